import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'svm-cli-sigma-'));
const snapshotOf = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const p = join(e.parentPath, e.name);
        return [p.slice(dir.length + 1), readFileSync(p, 'utf8')];
      })
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );

describe('svm audit export-rules', () => {
  it('writes one Sigma file per detection and source plus the Vault/OpenBao pipeline; a re-export is byte-identical', async () => {
    const a = tmp();
    const r = await runCli(['audit', 'export-rules', '--format', 'sigma', '--out', a]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`40 Sigma rules written to ${a}`);
    expect(r.stdout).toMatch(/new-source-ip: .*; use /);
    const files = snapshotOf(a);
    expect(Object.keys(files)).toHaveLength(41);
    expect(Object.keys(files)).toContain('pipelines/svm_vault_openbao.yaml');
    const b = tmp();
    expect((await runCli(['audit', 'export-rules', '--out', b])).code).toBe(0);
    expect(snapshotOf(b)).toEqual(files);
  });

  it('--json lists the rules and what was left out; --source limits the sources', async () => {
    const dir = tmp();
    const r = await runCli(['audit', 'export-rules', '--out', dir, '--source', 'gcp,azure', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      out: string;
      rules: { source: string; path: string }[];
      notExpressible: unknown[];
    };
    expect(Object.keys(doc)).toEqual(['out', 'rules', 'notExpressible']);
    expect(new Set(doc.rules.map((x) => x.source))).toEqual(new Set(['gcp', 'azure']));
    expect(readdirSync(dir).sort()).toEqual(doc.rules.map((x) => x.path).sort());
    expect(doc.notExpressible).toHaveLength(3);
  });

  it('a wrong --source or --format is a usage error: one line, exit 2', async () => {
    const r = await runCli(['audit', 'export-rules', '--out', tmp(), '--source', 'splunk']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("--source: expected one of vault, openbao, cloudtrail, gcp, azure, got 'splunk'");
    expect((await runCli(['audit', 'export-rules', '--out', tmp(), '--format', 'yara'])).code).toBe(2);
  });
});
