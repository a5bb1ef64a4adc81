import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const BURST = fileURLToPath(new URL('../../audit/test/fixtures/openbao-setup-burst.log', import.meta.url));

function suppressionsFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'svm-cli-sup-'));
  const file = join(dir, 'suppressions.yaml');
  writeFileSync(file, text);
  return file;
}

describe('svm audit analyze: grouping, windows, suppressions, terminal width', () => {
  it('groups by default; --no-group gives one finding per detection', async () => {
    const grouped = JSON.parse((await runCli(['audit', 'analyze', BURST, '--json', '--fail-on', 'none'])).stdout);
    const raw = JSON.parse(
      (await runCli(['audit', 'analyze', BURST, '--json', '--fail-on', 'none', '--no-group'])).stdout,
    );
    expect(grouped.findings.length).toBe(9);
    expect(raw.findings.length).toBe(36);
    const burst = grouped.findings.find((f: { count: number }) => f.count === 27);
    expect(burst).toMatchObject({ rule: 'policy-change', identity: 'token', path: 'sys/policies/acl/' });
    expect(burst.evidence.total).toBe(27);
    expect(burst.evidence.members).toHaveLength(27);
  });

  it('the text table fits 100 columns when stdout is not a terminal, and never wraps a row', async () => {
    const r = await runCli(['audit', 'analyze', BURST, '--fail-on', 'none']);
    const lines = r.stdout.split('\n');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(100);
    expect(lines.find((l) => l.startsWith('medium    policy-change'))).toMatch(/27 +27 policies written by token at…$/);
  });

  it('--since/--until limit the window; a bad value is a usage error naming the flag', async () => {
    const r = await runCli([
      'audit',
      'analyze',
      BURST,
      '--json',
      '--fail-on',
      'none',
      '--since',
      '2026-12-05T22:55:00Z',
      '--until',
      '2026-12-05 22:56',
    ]);
    const doc = JSON.parse(r.stdout);
    expect(doc.window).toMatchObject({ since: '2026-12-05T22:55:00.000Z', until: '2026-12-05T22:56:00.000Z' });
    expect(doc.window.warmup).toBeGreaterThan(0);
    expect(doc.window.after).toBeGreaterThan(0);
    for (const f of doc.findings)
      expect(Date.parse(f.lastTime ?? f.time)).toBeGreaterThanOrEqual(Date.parse('2026-12-05T22:55:00Z'));
    const bad = await runCli(['audit', 'analyze', BURST, '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^svm: error: --since: expected an ISO date or instant/);
  });

  it('--suppressions: suppressed findings are listed apart and never fail --fail-on; expired ones warn', async () => {
    const file = suppressionsFile(`suppressions:
  - id: bootstrap
    rule: [root-token, policy-change, auth-method-change, long-ttl-token, off-hours, denied-access]
    window: { from: 2026-12-05T22:50:00Z, until: 2026-12-05T23:00:00Z }
    expires: 2099-01-01
    reason: cluster bootstrap
  - rule: audit-device-change
    expires: 2020-01-01
    reason: old
`);
    // Without suppressions the root-token findings fail the default gate (high).
    expect((await runCli(['audit', 'analyze', BURST, '--json'])).code).toBe(1);
    const r = await runCli(['audit', 'analyze', BURST, '--json', '--suppressions', file]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings).toEqual([]);
    expect(doc.suppressed.length).toBe(9);
    expect(doc.suppressed[0].suppression).toEqual({ index: 0, id: 'bootstrap', reason: 'cluster bootstrap' });
    expect(doc.suppressions.expired).toEqual([{ index: 1, reason: 'old', expires: '2020-01-01', matched: 0 }]);
    const text = await runCli(['audit', 'analyze', BURST, '--suppressions', file]);
    expect(text.stderr).toContain('suppression #2 expired (2020-01-01); no longer applied');
    expect(text.stdout).toContain('9 suppressed finding(s)');
  });

  it('a bad suppression file is one line naming the file, line and field (exit 2)', async () => {
    const file = suppressionsFile('suppressions:\n  - rule: root-tokn\n    expires: 2099-01-01\n    reason: x\n');
    const r = await runCli(['audit', 'analyze', BURST, '--suppressions', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${file}:2: suppressions[0].rule: unknown rule (expected one of`);
  });
});
