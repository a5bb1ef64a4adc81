import type { AuditEvent } from '@svm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeEvents } from '../analyzer.js';
import type { AnalyzerOptions } from '../options.js';

const T0 = Date.parse('2026-03-03T12:00:00Z'); // a Tuesday
let n = 0;
function ev(over: Partial<AuditEvent> & { at?: number }): AuditEvent {
  const { at = 0, ...rest } = over;
  return {
    time: new Date(T0 + at).toISOString(),
    source: 'vault',
    identity: 'userpass-alice',
    identityKind: 'unknown',
    authMethod: 'userpass',
    operation: 'read',
    path: 'secret/data/a',
    secret: 'secret/a',
    outcome: 'success',
    sourceIp: '198.51.100.7',
    requestId: `q${n++}`,
    ...rest,
  };
}
const rules = (events: AuditEvent[], o: AnalyzerOptions = {}) => analyzeEvents(events, o).findings.map((f) => f.rule);
const MIN = 60_000;

describe('failed-auth', () => {
  const fail = (i: number, ip = '185.220.101.7') =>
    ev({
      at: i * 30_000,
      outcome: 'failed-auth',
      path: 'auth/userpass/login/bob',
      identity: 'userpass-bob',
      sourceIp: ip,
    });
  it('4 failures in 15 minutes are quiet; 5 are a high finding with the total count', () => {
    expect(rules([0, 1, 2, 3].map((i) => fail(i)))).toEqual([]);
    const r = analyzeEvents([0, 1, 2, 3, 4, 5, 6].map((i) => fail(i)));
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      rule: 'failed-auth',
      severity: 'high',
      count: 7,
      sourceIp: '185.220.101.7',
      identity: 'userpass-bob',
    });
  });
  it('5 failures spread over more than 15 minutes are quiet; the threshold is configurable', () => {
    expect(rules([0, 1, 2, 3, 4].map((i) => ({ ...fail(0), time: new Date(T0 + i * 4 * MIN).toISOString() })))).toEqual(
      [],
    );
    expect(
      rules(
        [0, 1, 2].map((i) => fail(i)),
        { failedAuth: { threshold: 3 } },
      ),
    ).toEqual(['failed-auth']);
  });
  it('property: never fires below the threshold, whatever the timing', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(3_600_000), { maxLength: 4 }), (times) => {
        expect(rules(times.map((t) => ({ ...fail(0), time: new Date(T0 + t).toISOString() })))).toEqual([]);
      }),
    );
  });
});

describe('off-hours', () => {
  it('flags humans at 02:00 and on Saturdays, never machines, in the configured zone', () => {
    const night = ev({ at: 14 * 3_600_000, authMethod: 'userpass' }); // 02:00 Wed UTC
    const sat = ev({ at: 4 * 86_400_000, authMethod: 'oidc', identity: 'oidc-bob' }); // Saturday noon
    const machine = ev({ at: 14 * 3_600_000, authMethod: 'approle', identity: 'approle-x' });
    expect(rules([night, sat, machine]).sort()).toEqual(['off-hours', 'off-hours']);
    // 12:00 UTC is 21:00 in Tokyo: outside 07–20 there.
    expect(rules([ev({})], { offHours: { timeZone: 'Asia/Tokyo' } })).toEqual(['off-hours']);
    expect(rules([ev({})])).toEqual([]);
  });
  it('rejects an unknown time zone', () => {
    expect(() => analyzeEvents([], { offHours: { timeZone: 'Mars/Base' } })).toThrow(/unknown time zone/);
  });
});

describe('new-source-ip', () => {
  const baseline = Array.from({ length: 12 }, (_, i) => ev({ at: i * 10 * MIN, sourceIp: `10.1.2.${i}` }));
  it('flags a new /24 after the baseline is learned, once', () => {
    const r = analyzeEvents([
      ...baseline,
      ev({ at: 3 * 3_600_000, sourceIp: '45.77.12.9' }),
      ev({ at: 3 * 3_600_000 + 1000, sourceIp: '45.77.12.10' }),
    ]);
    expect(r.findings.map((f) => [f.rule, f.sourceIp])).toEqual([['new-source-ip', '45.77.12.9']]);
  });
  it('not while learning, not for allow-listed CIDRs, not for the same /24, and IPv6 is grouped by /64', () => {
    expect(rules([ev({ sourceIp: '10.1.2.1' }), ev({ at: 1000, sourceIp: '45.77.12.9' })])).toEqual([]);
    expect(
      rules([...baseline, ev({ at: 3 * 3_600_000, sourceIp: '45.77.12.9' })], {
        newSourceIp: { allow: ['45.77.0.0/16'] },
      }),
    ).toEqual([]);
    expect(rules([...baseline, ev({ at: 3 * 3_600_000, sourceIp: '10.1.2.200' })])).toEqual([]);
    const v6 = Array.from({ length: 12 }, (_, i) => ev({ at: i * 10 * MIN, sourceIp: `2001:db8:0:1::${i + 1}` }));
    expect(rules([...v6, ev({ at: 3 * 3_600_000, sourceIp: '2001:db8:0:1::ffff' })])).toEqual([]);
    expect(rules([...v6, ev({ at: 3 * 3_600_000, sourceIp: '2001:db8:0:2::1' })])).toEqual(['new-source-ip']);
  });
});

describe('volume-spike', () => {
  const steady = (hours: number, perHour: number) =>
    Array.from({ length: hours * perHour }, (_, i) =>
      ev({
        identity: 'approle-x',
        authMethod: 'approle',
        at: Math.floor(i / perHour) * 3_600_000 + (i % perHour) * 1000,
      }),
    );
  it('flags an hour over 3× the baseline after 6 hours of history', () => {
    const spike = Array.from({ length: 40 }, (_, i) =>
      ev({ identity: 'approle-x', authMethod: 'approle', at: 8 * 3_600_000 + i * 1000 }),
    );
    const r = analyzeEvents([...steady(8, 10), ...spike]);
    expect(r.findings.map((f) => [f.rule, f.count])).toEqual([['volume-spike', 40]]);
  });
  it('2.5× is not a spike; a young key is not flagged; 0 → 3 is not a spike', () => {
    const mild = Array.from({ length: 25 }, (_, i) =>
      ev({ identity: 'approle-x', authMethod: 'approle', at: 8 * 3_600_000 + i * 1000 }),
    );
    expect(rules([...steady(8, 10), ...mild])).toEqual([]);
    const burst = Array.from({ length: 40 }, (_, i) =>
      ev({ identity: 'approle-x', authMethod: 'approle', at: 2 * 3_600_000 + i * 1000 }),
    );
    expect(rules([...steady(2, 10), ...burst])).toEqual([]);
    expect(rules([...steady(8, 0), ...steady(1, 3)])).toEqual([]);
  });
});

describe('single-event and grouped rules', () => {
  it('long-ttl-token: human over 24h (medium), anyone over 768h (high), TTL 0 (high), root excluded', () => {
    const r = analyzeEvents([
      ev({ path: 'auth/userpass/login/alice', tokenTtl: 7 * 86_400, issuedAccessor: 'a1' }),
      ev({
        at: 1000,
        identity: 'approle-x',
        authMethod: 'approle',
        path: 'auth/approle/login',
        tokenTtl: 3600 * 24 * 2,
      }),
      ev({ at: 2000, identity: 'token-ci', authMethod: 'token', path: 'auth/token/create', tokenTtl: 800 * 3600 }),
      ev({ at: 3000, identity: 'token-forever', authMethod: 'token', path: 'auth/token/create', tokenTtl: 0 }),
      ev({ at: 4000, identity: 'root', path: 'auth/token/create', tokenTtl: 0, issuedPolicies: ['root'] }),
    ]);
    expect(r.findings.filter((f) => f.rule === 'long-ttl-token').map((f) => [f.identity, f.severity])).toEqual([
      ['userpass-alice', 'medium'],
      ['token-ci', 'high'],
      ['token-forever', 'high'],
    ]);
    expect(r.findings.filter((f) => f.rule === 'root-token').map((f) => f.severity)).toEqual(['critical']);
  });
  it('audit-device-change, policy-change, auth-method-change, secret-destroy', () => {
    const r = analyzeEvents(
      [
        ev({ operation: 'update', path: 'sys/audit/file', secret: undefined }),
        ev({ at: 1, operation: 'delete', path: 'sys/policies/acl/ops', secret: undefined }),
        ev({ at: 2, operation: 'update', path: 'sys/policy/legacy', secret: undefined }),
        ev({ at: 3, operation: 'delete', path: 'sys/auth/userpass', secret: undefined }),
        ev({ at: 4, operation: 'update', path: 'sys/auth/oidc/tune', secret: undefined }),
        ev({ at: 5, operation: 'update', path: 'secret/destroy/a' }),
        ev({ at: 6, operation: 'delete', path: 'secret/metadata/b', secret: 'secret/b' }),
        ev({ at: 7, operation: 'read', path: 'sys/policies/acl/ops', secret: undefined }),
        ev({ at: 8, operation: 'update', path: 'sys/policies/acl/ops', secret: undefined, outcome: 'denied' }),
        // One finding per detection here (the two policy writes would otherwise be one grouped finding).
      ],
      { group: false },
    );
    const by = r.findings.map((f) => `${f.rule}:${f.severity}`).sort();
    expect(by).toEqual([
      'audit-device-change:high',
      'auth-method-change:high',
      'auth-method-change:medium',
      'denied-access:low',
      'policy-change:medium',
      'policy-change:medium',
      'secret-destroy:medium',
    ]);
    expect(r.findings.find((f) => f.rule === 'secret-destroy')?.count).toBe(2);
  });
  it('denied-access: a burst of 5 is medium; firewall denials are reported apart, low', () => {
    const r = analyzeEvents([
      ...[0, 1, 2, 3, 4].map((i) =>
        ev({ at: i * 1000, outcome: 'denied', path: `secret/data/p${i}`, secret: `secret/p${i}` }),
      ),
      ev({
        at: 9000,
        source: 'azure',
        identity: 'eve@x',
        outcome: 'denied',
        deniedBy: 'firewall',
        operation: 'SecretGet',
      }),
    ]);
    expect(r.findings.map((f) => [f.rule, f.severity, f.count])).toEqual([
      ['denied-access', 'medium', 5],
      ['denied-access', 'low', 1],
    ]);
    expect(r.findings[1]?.message).toMatch(/firewall/);
  });
  it('bulk-read: 20 distinct secrets in 5 minutes; a catch-all batch; 19 is quiet', () => {
    const reads = (k: number) =>
      Array.from({ length: k }, (_, i) => ev({ at: i * 5000, path: `secret/data/s${i}`, secret: `secret/s${i}` }));
    expect(rules(reads(19))).toEqual([]);
    const r = analyzeEvents(reads(30));
    expect(r.findings.map((f) => [f.rule, f.count])).toEqual([['bulk-read', 30]]);
    expect(
      rules([ev({ source: 'cloudtrail', operation: 'BatchGetSecretValue', batchSize: -1, identity: 'ci' })]),
    ).toEqual(['bulk-read']);
  });
  it('Azure: a 401 challenge then a 200 does not alert', () => {
    expect(
      rules([
        ev({ source: 'azure', identity: 'anonymous', outcome: 'error', statusCode: 401, operation: 'SecretGet' }),
        ev({
          at: 100,
          source: 'azure',
          identity: 'pay-api',
          identityKind: 'machine',
          operation: 'SecretGet',
          statusCode: 200,
        }),
      ]),
    ).toEqual([]);
  });
});

describe('password-spray', () => {
  /** Failure `i` (30 s apart) against user `u`. */
  const fail = (i: number, u: string, ip: string | null = '185.220.101.7') =>
    ev({
      at: i * 30_000,
      outcome: 'failed-auth',
      path: `auth/userpass/login/${u}`,
      identity: `userpass-${u}`,
      ...(ip ? { sourceIp: ip } : { sourceIp: undefined }),
    });
  const users = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `user${from + i}`);
  const sprays = (events: AuditEvent[], o: AnalyzerOptions = {}) =>
    analyzeEvents(events, { group: false, ...o }).findings.filter((f) => f.rule === 'password-spray');

  it('10 distinct users from one address within 15 minutes are one high finding; 9 are quiet', () => {
    expect(sprays(users(9).map((u, i) => fail(i, u)))).toEqual([]);
    const [f, ...rest] = sprays(users(12).map((u, i) => fail(i, u)));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'password-spray',
      severity: 'high',
      count: 12,
      sourceIp: '185.220.101.7',
      identity: null,
      path: 'auth/userpass/login/',
      time: new Date(T0).toISOString(),
      lastTime: new Date(T0 + 11 * 30_000).toISOString(),
    });
    expect(f?.evidence).toMatchObject({ distinctIdentities: 12, threshold: 10 });
    expect((f?.evidence as { identities?: string[] } | undefined)?.identities).toEqual(
      users(12).map((u) => `userpass-${u}`),
    );
    // Each user failed once: below failed-auth's per-user threshold, so spray is the only finding.
    expect(rules(users(12).map((u, i) => fail(i, u)))).toEqual(['password-spray']);
  });

  it('the same user failing 20 times is failed-auth, not a spray', () => {
    expect(rules(Array.from({ length: 20 }, (_, i) => fail(i, 'bob')))).toEqual(['failed-auth']);
  });

  it('counts every failure of the incident, repeated users included; the identity sample is bounded', () => {
    const events = users(40).flatMap((u, i) => [fail(2 * i, u), fail(2 * i + 1, u)]);
    const [f] = sprays(events, { failedAuth: { threshold: 100 }, passwordSpray: { windowMs: 60 * MIN } });
    expect(f?.count).toBe(80);
    expect(f?.evidence).toMatchObject({ distinctIdentities: 40 });
    expect((f?.evidence as { identities?: string[] } | undefined)?.identities).toHaveLength(25);
  });

  it('two addresses are apart: 5 users each from two addresses are no spray; without an address, none', () => {
    const events = users(10).map((u, i) => fail(i, u, i % 2 === 0 ? '185.220.101.7' : '185.220.101.8'));
    expect(sprays(events)).toEqual([]);
    expect(sprays(users(15).map((u, i) => fail(i, u, null)))).toEqual([]);
    const both = [
      ...users(10).map((u, i) => fail(i, u, '203.0.113.1')),
      ...users(10).map((u, i) => fail(i, u, '203.0.113.2')),
    ];
    expect(
      sprays(both)
        .map((f) => f.sourceIp)
        .sort(),
    ).toEqual(['203.0.113.1', '203.0.113.2']);
  });

  it('the window expires: users spread over more than 15 minutes are quiet; a gap ends an incident', () => {
    // 10 users, 2 minutes apart: any 15-minute window holds at most 8.
    const slow = users(10).map((u, i) => ({ ...fail(0, u), time: new Date(T0 + i * 2 * MIN).toISOString() }));
    expect(sprays(slow)).toEqual([]);
    // Two bursts of 10 users 30 minutes apart: two incidents.
    const late = users(10, 100).map((u, i) => ({
      ...fail(0, u),
      time: new Date(T0 + 30 * MIN + i * 1000).toISOString(),
    }));
    const found = sprays([...users(10).map((u, i) => fail(i, u)), ...late]);
    expect(found.map((f) => [f.count, f.time])).toEqual([
      [10, new Date(T0).toISOString()],
      [10, new Date(T0 + 30 * MIN).toISOString()],
    ]);
    // The thresholds are options.
    expect(
      sprays(
        users(3).map((u, i) => fail(i, u)),
        { passwordSpray: { distinctIdentities: 3 } },
      ),
    ).toHaveLength(1);
  });
});
