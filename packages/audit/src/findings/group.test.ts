import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toAnalysisJson } from '../render/json.js';
import { analyzeFiles } from '../stream/analyze-files.js';
import type { AuditFinding } from '../detectors/types.js';
import { groupFindings } from './group.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures');
const EXAMPLE = join(import.meta.dirname, '..', '..', '..', '..', 'examples', 'quickstart', 'data', 'vault-audit.log');
const BURST = join(FIXTURES, 'openbao-setup-burst.log');

const f = (over: Partial<AuditFinding> & { at: number }): AuditFinding => {
  const { at, ...rest } = over;
  return {
    rule: 'policy-change',
    severity: 'medium',
    time: new Date(Date.UTC(2026, 11, 5, 12, 36, 2) + at).toISOString(),
    identity: 'token',
    sourceIp: '10.0.0.1',
    path: 'sys/policies/acl/p',
    count: 1,
    message: "policy 'p' written",
    ...rest,
  };
};

describe('groupFindings', () => {
  it('27 policy writes by one token within a second are one finding naming the policies', () => {
    const names = Array.from({ length: 27 }, (_, i) =>
      i === 0 ? 'payments-read' : i === 1 ? 'billing-read' : `p${i}`,
    );
    const members = names.map((n, i) =>
      f({ at: i * 30, path: `sys/policies/acl/${n}`, message: `policy '${n}' written` }),
    );
    const [g, ...rest] = groupFindings(members);
    expect(rest).toEqual([]);
    expect(g).toMatchObject({
      rule: 'policy-change',
      count: 27,
      time: '2026-12-05T12:36:02.000Z',
      lastTime: '2026-12-05T12:36:02.780Z',
      path: 'sys/policies/acl/',
      sourceIp: '10.0.0.1',
    });
    expect(g?.message).toBe(
      '27 policies written by token at 12:36:02: payments-read, billing-read, p2, p3, p4, … (27 distinct)',
    );
    expect(g?.evidence?.['total']).toBe(27);
    expect(g?.evidence?.['members']).toHaveLength(27);
    expect(g?.evidence?.['objects']).toEqual(names);
  });

  it('keeps apart other identities, accessors, severities, rules and findings further apart than the gap', () => {
    const out = groupFindings(
      [
        f({ at: 0 }),
        f({ at: 1000 }),
        f({ at: 2000, identity: 'approle-ci' }),
        f({ at: 3000, accessor: 'hmac-sha256:bb' }),
        f({ at: 4000, severity: 'high' }),
        f({ at: 5000, rule: 'auth-method-change', path: 'sys/auth/userpass' }),
        f({ at: 1000 + 61_000 }),
      ],
      { gapMs: 60_000 },
    );
    expect(out.map((x) => [x.identity, x.accessor ?? '', x.severity, x.rule, x.count])).toEqual([
      ['token', '', 'medium', 'policy-change', 2],
      ['approle-ci', '', 'medium', 'policy-change', 1],
      ['token', 'hmac-sha256:bb', 'medium', 'policy-change', 1],
      ['token', '', 'high', 'policy-change', 1],
      ['token', '', 'medium', 'auth-method-change', 1],
      ['token', '', 'medium', 'policy-change', 1],
    ]);
    expect(out[0]?.message).toMatch(/^2 policies written by token between 12:36:02 and 12:36:03: p$/);
  });

  it('bounds the members kept and says how many there were', () => {
    const many = Array.from({ length: 50 }, (_, i) => f({ at: i, path: `sys/policies/acl/x${i}` }));
    const [g] = groupFindings(many, { maxMembers: 10, maxObjects: 5 });
    expect(g?.evidence?.['total']).toBe(50);
    expect(g?.evidence?.['members']).toHaveLength(10);
    expect(g?.evidence?.['objects']).toHaveLength(5);
    expect(g?.count).toBe(50);
  });

  it('invariants (fast-check, fixed seed): counts are kept, members of a group are within the gap, nothing is lost', () => {
    const finding = fc.record({
      at: fc.integer({ min: 0, max: 600_000 }),
      identity: fc.constantFrom('a', 'b', 'c'),
      severity: fc.constantFrom('medium' as const, 'high' as const),
      rule: fc.constantFrom('policy-change' as const, 'root-token' as const),
      count: fc.integer({ min: 1, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 60 }), fc.integer({ min: 0, max: 120_000 }), (raw, gapMs) => {
        const input = raw.map((r) => f(r));
        const out = groupFindings(input, { gapMs });
        expect(out.reduce((s, x) => s + x.count, 0)).toBe(input.reduce((s, x) => s + x.count, 0));
        const memberTotal = out.reduce((s, x) => s + ((x.evidence?.['total'] as number | undefined) ?? 1), 0);
        expect(memberTotal).toBe(input.length);
        for (const g of out) {
          const members = (g.evidence?.['members'] as Array<{ time: string }> | undefined) ?? [g];
          const times = members.map((m) => Date.parse(m.time)).sort((x, y) => x - y);
          for (let i = 1; i < times.length; i++)
            expect((times[i] as number) - (times[i - 1] as number)).toBeLessThanOrEqual(gapMs);
        }
      }),
      { seed: 20261205, numRuns: 200 },
    );
  });
});

describe('findings before and after grouping (the README table)', () => {
  const count = async (file: string) => {
    const grouped = (await analyzeFiles([file], { workers: 0 })).result;
    const raw = (await analyzeFiles([file], { workers: 0, group: false })).result;
    return { raw: raw.findings.length, grouped: grouped.findings.length, result: grouped };
  };

  it('the generated OpenBao setup burst: 36 findings become 9', async () => {
    const { raw, grouped, result } = await count(BURST);
    expect({ raw, grouped }).toEqual({ raw: 36, grouped: 9 });
    expect(result.grouping).toEqual({ before: 36, after: 9 });
    const burst = result.findings.find((x) => x.rule === 'policy-change' && x.count === 27);
    expect(burst?.message).toMatch(/^27 policies written by token at 22:54:16: payments-read, payments-write, /);
    // The JSON keeps every member.
    const json = toAnalysisJson(result).findings.find((x) => x.rule === 'policy-change' && x.count === 27);
    expect(json?.evidence?.['total']).toBe(27);
    expect(json?.evidence?.['members']).toHaveLength(27);
    // The rewrite of one policy three minutes later is a finding of its own.
    expect(result.findings.filter((x) => x.rule === 'policy-change').map((x) => x.count)).toEqual([27, 1]);
  });

  it.each([
    ['examples/quickstart/data/vault-audit.log', EXAMPLE, 11, 11],
    ['vault-audit.ndjson', join(FIXTURES, 'vault-audit.ndjson'), 5, 5],
    [
      'CloudTrail .json.gz',
      join(FIXTURES, '210987654321_CloudTrail_eu-west-1_20250212T0125Z_AbCdEfGh12345678.json.gz'),
      5,
      5,
    ],
    ['azure-keyvault-PT1H.json', join(FIXTURES, 'azure-keyvault-PT1H.json'), 5, 5],
    ['cloudtrail-eventbridge.ndjson', join(FIXTURES, 'cloudtrail-eventbridge.ndjson'), 2, 2],
    ['gcp-secretmanager.ndjson', join(FIXTURES, 'gcp-secretmanager.ndjson'), 2, 2],
    ['original-simple.ndjson', join(FIXTURES, 'original-simple.ndjson'), 1, 1],
  ])('%s: %i findings, %i grouped (distinct incidents stay apart)', async (_name, file, raw, grouped) => {
    expect(await count(file).then(({ raw, grouped }) => ({ raw, grouped }))).toEqual({ raw, grouped });
  });
});
