/**
 * The exported Sigma rules against the real sigma-cli and pySigma backends (installed by
 * `scripts/services.sh tools` into .svm-services/venv-sigma; required under CI=true): `sigma check` finds no
 * error and no issue, and every rule converts for Splunk (SPL) and Elasticsearch — Lucene for single-event
 * rules and for the event rules of correlations (pySigma's Lucene backend has no correlations), ES|QL for the
 * correlation rules. The queries are snapshotted, so a change in what svm exports shows up in review.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from '@svm/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGMA_PIPELINE_FILE, exportSigmaRules, writeSigmaRules } from '../src/index.js';

const sigma = requireTool('sigma');

function run(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(sigma as string, args, { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** `sigma convert -t <target> -p <pipeline> -od <dir> <input>` → converted query per rule file stem. */
function convert(target: string, input: string, pipeline: string, work: string): Record<string, string> {
  const out = join(work, `out-${target}`);
  const r = run(['convert', '-t', target, '-p', pipeline, '-od', out, input]);
  expect(r.status, r.out).toBe(0);
  const queries: Record<string, string> = {};
  for (const f of readdirSync(out).sort()) queries[f.replace(/\.txt$/, '')] = readFileSync(join(out, f), 'utf8').trim();
  return queries;
}

describe.skipIf(!sigma)('exported rules with sigma-cli and pySigma (Elasticsearch, Splunk)', () => {
  const exported = exportSigmaRules();
  const stems = exported.rules.map((r) => r.path.replace(/\.yml$/, ''));
  let work: string;
  let rulesDir: string;
  let pipeline: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'svm-sigma-'));
    rulesDir = join(work, 'rules');
    await writeSigmaRules(exported, rulesDir);
    pipeline = join(rulesDir, SIGMA_PIPELINE_FILE);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('sigma check: no error, no condition error, no validation issue in any exported rule', () => {
    const r = run(['check', '--fail-on-error', '--fail-on-issues', rulesDir]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('Found 0 errors, 0 condition errors and 0 issues');
  });

  it('sigma check reads the rules (a broken condition in one file fails it)', () => {
    const broken = join(work, 'broken');
    mkdirSync(broken, { recursive: true });
    const file = exported.files.find((f) => f.path === 'svm_vault_root_token.yml') as { content: string };
    writeFileSync(
      join(broken, 'svm_vault_root_token.yml'),
      file.content.replace(/condition: .*/, 'condition: used and nosuch'),
    );
    expect(run(['check', '--fail-on-error', broken]).status).not.toBe(0);
  });

  it('Splunk: every rule converts (with the Vault/OpenBao pipeline)', () => {
    const q = convert('splunk', rulesDir, pipeline, work);
    expect(Object.keys(q).sort()).toEqual([...stems].sort());
    for (const s of stems) expect(q[s], s).not.toBe('');
    // The pipeline mapped svm's Vault field names to the audit JSON.
    expect(q['svm_vault_root_token']).toContain('auth.policies="root"');
    expect(q['svm_vault_failed_auth']).toContain('by _time request.remote_address request.path');
    expect(q).toMatchSnapshot();
  });

  it('Elasticsearch: single-event and event rules convert to Lucene, correlations to ES|QL', () => {
    const luceneIn = join(work, 'lucene-in');
    const esqlIn = join(work, 'esql-in');
    mkdirSync(luceneIn, { recursive: true });
    mkdirSync(esqlIn, { recursive: true });
    for (const r of exported.rules) {
      const content = (exported.files.find((f) => f.path === r.path) as { content: string }).content;
      if (r.kind === 'single') writeFileSync(join(luceneIn, r.path), content);
      else {
        // The correlation's event rule (the file's second document) on its own for Lucene.
        writeFileSync(join(luceneIn, r.path), content.split('\n---\n')[1] as string);
        writeFileSync(join(esqlIn, r.path), content);
      }
    }
    const lucene = convert('lucene', luceneIn, pipeline, work);
    const esql = convert('esql', esqlIn, pipeline, work);
    expect(Object.keys(lucene).sort()).toEqual([...stems].sort());
    const correlations = exported.rules
      .filter((r) => r.kind === 'correlation')
      .map((r) => r.path.replace(/\.yml$/, ''));
    expect(Object.keys(esql).sort()).toEqual(correlations.sort());
    expect(esql['svm_vault_bulk_read']).toContain('count_distinct(request.path)');
    expect(esql['svm_vault_bulk_read']).toMatch(/value_count >= 20$/);
    expect({ lucene, esql }).toMatchSnapshot();
  });
});
