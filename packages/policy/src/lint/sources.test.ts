import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintSources } from './lint.js';
import { findLintSources, lintExitCode, lintFindingJson, renderLintText } from './sources.js';

describe('findLintSources', () => {
  it('takes HCL always, JSON/YAML/Terraform only when they look like Vault input, named under shownAs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-lint-src-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.hcl'), 'path "x" { capabilities = ["read"] }');
    writeFileSync(join(dir, 'sub', 'p.json'), '{"path": {"x": {"capabilities": ["read"]}}}');
    writeFileSync(join(dir, 'package.json'), '{"name": "not a policy"}');
    writeFileSync(join(dir, 'main.tf'), 'resource "aws_s3_bucket" "b" {}');
    writeFileSync(join(dir, 'vault.tf'), 'resource "vault_policy" "p" {}');
    const sources = await findLintSources(dir, { shownAs: 'vault' });
    expect(sources.map((s) => s.file).sort()).toEqual(['vault/a.hcl', 'vault/sub/p.json', 'vault/vault.tf']);
  });
});

describe('lint results', () => {
  const report = lintSources([{ file: 'p.hcl', text: 'path "*" {\n  capabilities = ["sudo", "read"]\n}\n' }]);

  it('exit code follows --fail-on; invalid input is 2', () => {
    expect(report.findings.length).toBeGreaterThan(0);
    expect(lintExitCode(report, 'none')).toBe(0);
    expect(lintExitCode(report, 'info')).toBe(1);
    expect(lintExitCode({ ...report, invalid: 1 }, 'none')).toBe(2);
  });

  it('JSON has exactly the contract fields, text one line per finding and a count', () => {
    const f = report.findings[0];
    if (!f) throw new Error('no finding');
    expect(Object.keys(lintFindingJson(f)).slice(0, 6)).toEqual([
      'rule',
      'category',
      'severity',
      'message',
      'file',
      'line',
    ]);
    const text = renderLintText(report, { red: (s) => `<r>${s}</r>` });
    expect(text.split('\n')[0]).toMatch(/^p\.hcl:\d+(:\d+)?: /);
    expect(text.split('\n').at(-1)).toMatch(/^\d+ findings? \(.*\) in 1 file \(1 policy, 0 auth roles\)\.$/);
    expect(renderLintText({ findings: [], files: 2, policies: 3, roles: 1, engines: 0, invalid: 0 })).toBe(
      'No findings in 2 files (3 policies, 1 auth role).',
    );
  });
});
