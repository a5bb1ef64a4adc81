// The audit README's DuckDB queries run, as written, on OCSF NDJSON written the way `--format ocsf` writes it
// (every event as analysed, then the findings): DuckDB (PyPI, installed by `scripts/services.sh tools`) loads the
// file as is, and the answers match what the analysis itself counted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireTool } from '@svm/test-harness';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFiles, toOcsfEvent, toOcsfFinding } from '../src/index.js';

const python = requireTool('duckdb');
const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const log = fileURLToPath(new URL('../../../examples/quickstart/data/vault-audit.log', import.meta.url));

/** The statements of the README's DuckDB example (the ```sql block of the OCSF section). */
function readmeQueries(): string[] {
  const section = readme.slice(readme.indexOf('## OCSF for data lakes'));
  const sql = /```sql\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return sql
    .split(';')
    .map((q) => q.replace(/^--.*$/gm, '').trim())
    .filter(Boolean);
}

describe.skipIf(!python)('the README’s DuckDB queries over the OCSF output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'svm-duckdb-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('load the NDJSON as is and agree with the analysis', async () => {
    const lines: string[] = [];
    const records: Array<Record<string, unknown>> = [];
    const { result } = await analyzeFiles([log], {
      onEvent: (ev) => {
        const r = toOcsfEvent(ev);
        records.push(r);
        lines.push(JSON.stringify(r));
      },
    });
    for (const f of result.findings) lines.push(JSON.stringify(toOcsfFinding(f)));
    writeFileSync(join(dir, 'events.ocsf.ndjson'), `${lines.join('\n')}\n`);

    const queries = readmeQueries();
    expect(queries).toHaveLength(2);
    const script = [
      'import duckdb, json, sys',
      'out = []',
      'for q in json.load(sys.stdin):',
      '    out.append([list(r) for r in duckdb.sql(q).fetchall()])',
      'print(json.dumps(out, default=str))',
    ].join('\n');
    const run = spawnSync(python as string, ['-c', script], {
      cwd: dir,
      input: JSON.stringify(queries),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const [readers, byRule] = JSON.parse(run.stdout) as [
      Array<[string, number, number]>,
      Array<[string, string, number, number]>,
    ];

    // Who read most: the same counts as the events themselves.
    const reads = new Map<string, number>();
    for (const r of records) {
      if (r['class_uid'] !== 6003 || r['activity_id'] !== 2 || r['status_id'] !== 1) continue;
      const name = (r['actor'] as { user: { name: string } }).user.name;
      reads.set(name, (reads.get(name) ?? 0) + 1);
    }
    const top = Math.max(...reads.values());
    expect(readers.length).toBeGreaterThan(0);
    expect(readers[0]?.[1]).toBe(top);
    expect(reads.get(readers[0]?.[0] as string)).toBe(top);

    // The findings by rule: the analysis's own findings.
    const rules = new Map<string, number>();
    for (const f of result.findings) rules.set(f.rule, (rules.get(f.rule) ?? 0) + 1);
    expect(Object.fromEntries(byRule.map(([rule, , n]) => [rule, n]))).toEqual(Object.fromEntries(rules));
    expect(byRule.reduce((n, [, , , events]) => n + Number(events), 0)).toBe(
      result.findings.reduce((n, f) => n + f.count, 0),
    );
  }, 60_000);
});
