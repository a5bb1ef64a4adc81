import type { AuditEvent } from '@svm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeEvents } from './analyzer.js';
import { parseLines } from './internal/parse-batch.js';
import { toAnalysisJson } from './render/json.js';

/*
 * Issue 10, "Audit analyzer": every regression here failed before its fix. Property tests run with fixed seeds
 * (fast-check prints the seed and the shrunk counterexample on failure).
 */
const SEED = 20_261_205;
const T0 = Date.parse('2026-03-03T12:00:00Z'); // a Tuesday, business hours
const MIN = 60_000;
const HOUR = 3_600_000;
let n = 0;
function ev(over: Partial<AuditEvent> & { at?: number }): AuditEvent {
  const { at = 0, ...rest } = over;
  return {
    time: new Date(T0 + at).toISOString(),
    source: 'vault',
    identity: 'approle-web',
    identityKind: 'machine',
    authMethod: 'approle',
    operation: 'read',
    path: 'secret/data/a',
    secret: 'secret/a',
    outcome: 'success',
    sourceIp: '10.0.0.7',
    requestId: `x${n++}`,
    ...rest,
  };
}
const HMAC = (c: string) => `hmac-sha256:${c.repeat(64)}`;

/** One Vault call as the file device writes it: a request line and a response line. */
function vaultCall(o: {
  t: number;
  path: string;
  op?: string;
  id?: string | null;
  accessor?: string;
  display?: string;
  policies?: string[];
  ip?: string;
  error?: string;
  respData?: Record<string, unknown>;
}): [string, string] {
  const auth = {
    accessor: o.accessor ?? HMAC('a'),
    client_token: HMAC('c'),
    display_name: o.display ?? 'approle-web',
    policies: o.policies ?? ['default', 'web'],
    token_type: 'service',
  };
  const request: Record<string, unknown> = {
    ...(o.id === null ? {} : { id: o.id ?? `req-${n++}` }),
    operation: o.op ?? 'read',
    mount_point: 'secret/',
    mount_type: 'kv',
    namespace: { id: 'root' },
    path: o.path,
    remote_address: o.ip ?? '10.0.0.7',
  };
  const err = o.error ? { error: o.error } : {};
  const rq = { time: new Date(T0 + o.t).toISOString(), type: 'request', auth, request, ...err };
  const rs = {
    time: new Date(T0 + o.t + 3).toISOString(),
    type: 'response',
    auth,
    request,
    response: { mount_type: 'kv', ...(o.respData ? { data: o.respData } : {}) },
    ...err,
  };
  return [JSON.stringify(rq), JSON.stringify(rs)];
}
const kvData = { data: { password: HMAC('d') }, metadata: { version: 3, destroyed: false } };

describe('every line is read', () => {
  it('a truncated response entry of a plain successful call is malformed (40 truncated lines report 40)', () => {
    const lines: string[] = [];
    const truncated = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const [rq, rs] = vaultCall({ t: i * 1000, path: `secret/data/app/k${i % 7}`, respData: kvData });
      lines.push(rq, rs);
    }
    // 40 lines lose their tail (a disk full, a crash mid-write): 20 requests and 20 responses of plain reads.
    for (let k = 0; k < 40; k++) {
      const i = k * 10 + (k % 2);
      lines[i] = (lines[i] as string).slice(0, (lines[i] as string).length - 1 - (k % 5) * 7);
      truncated.add(i + 1);
    }
    const { malformed } = parseLines(lines, 'audit.log', 1, 'auto');
    expect(malformed.map((m) => m.line).sort((a, b) => a - b)).toEqual([...truncated].sort((a, b) => a - b));
    expect(malformed.every((m) => m.reason === 'truncated or invalid JSON')).toBe(true);
  });

  it('property: whatever lines are damaged (cut short or one character changed) and however the log is cut into batches, exactly the lines JSON.parse rejects are reported', () => {
    const base: string[] = [];
    for (let i = 0; i < 60; i++)
      base.push(
        ...vaultCall({
          t: i * 1000,
          path: `secret/data/app/k${i % 5}`,
          respData: kvData,
          ...(i % 9 === 0 ? { error: 'permission denied' } : {}),
        }),
      );
    const parses = (l: string) => {
      try {
        JSON.parse(l);
        return true;
      } catch {
        return false;
      }
    };
    // Documented: a line with a file-device prefix or syslog header is read from its first '{'.
    const invalid = (l: string) => !parses(l) && !(l.indexOf('{') > 0 && parses(l.slice(l.indexOf('{'))));
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            line: fc.nat(base.length - 1),
            at: fc.nat(),
            drop: fc.integer({ min: 1, max: 300 }),
            ch: fc.option(fc.constantFrom('"', '\\', ',', '}', ']', '{', 'x', '\u0001', ' ', ':')),
          }),
          { maxLength: 30, selector: (d) => d.line },
        ),
        fc.nat(base.length),
        (damage, cutAt) => {
          const lines = [...base];
          for (const d of damage) {
            const l = lines[d.line] as string;
            // Cut short by `drop` characters, or one character replaced.
            lines[d.line] =
              d.ch === null
                ? l.slice(0, d.drop < l.length ? l.length - d.drop : 1)
                : l.slice(0, d.at % l.length) + d.ch + l.slice((d.at % l.length) + 1);
          }
          const a = parseLines(lines.slice(0, cutAt), 'f', 1, 'auto');
          const b = parseLines(lines.slice(cutAt), 'f', cutAt + 1, 'auto');
          const got = [...a.malformed, ...b.malformed]
            .filter((m) => m.reason === 'truncated or invalid JSON' || m.reason === 'not JSON')
            .map((m) => m.line)
            .sort((x, y) => x - y);
          const expected = lines.map((l, i) => (invalid(l) ? i + 1 : 0)).filter((x) => x > 0);
          expect(got).toEqual(expected);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('a paired call built from its request entry', () => {
  it('property: the event equals the one parsed from the response entry alone, whatever the response adds', () => {
    // The parser builds a plain call from its smaller request entry when the response repeats the request's
    // members and adds nothing the event reads; a response member that could matter sends it to the response.
    const extras = [
      '',
      ',"auth":{"accessor":"hmac-sha256:x","policies":["p"],"token_ttl":60,"display_name":"userpass-bob"}',
      ',"data":{"error":"boom"}',
      ',"data":{"error":null}',
      ',"\\u0061uth":{"accessor":"hmac-sha256:y"}',
      ',"headers":{"x":["a\\"b"]}',
    ];
    const topExtras = [
      '',
      ',"error":"permission denied"',
      ',"error":""',
      ',"time":"2026-03-03T14:00:00+02:00"',
      ',"type":"request"',
      ',"request":{"path":"secret/data/other","operation":"delete"}',
      ',"auth":{"display_name":"root"}',
      ',"forwarded":true',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom('secret/data/app/k1', 'auth/userpass/login/bob', 'auth/token/create', 'auth/token/lookup-self'),
        fc.constantFrom('read', 'update', 'list'),
        fc.nat(extras.length - 1),
        fc.nat(topExtras.length - 1),
        fc.constantFrom('Z', '+00:00'),
        (path, op, e, t, zone) => {
          const [rq, rs] = vaultCall({ t: 0, path, op, respData: kvData });
          let resp = rs.replace('"response":{"mount_type":"kv"', `"response":{"mount_type":"kv"${extras[e]}`);
          resp = `${resp.slice(0, -1)}${topExtras[t]}}`;
          if (zone !== 'Z') resp = resp.replace(/^(\{"time":"[^"]*)Z"/, `$1${zone}"`);
          const paired = parseLines([rq, resp], 'f', 1, 'auto');
          const alone = parseLines(['', resp], 'f', 1, 'auto');
          expect(paired.malformed).toEqual([]);
          expect(paired.events).toEqual(alone.events.map((x) => ({ ...x, entry: undefined })));
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });
});

describe('paths as logged', () => {
  it("a finding's path is the request path as in the log; the logical KV path is `secret`", () => {
    const lines: string[] = [];
    for (let i = 0; i < 6; i++)
      lines.push(
        ...vaultCall({
          t: i * 1000,
          path: 'secret/data/production/svc03/config',
          error: 'permission denied',
          respData: { error: HMAC('e') },
        }),
      );
    const r = analyzeEvents(parseLines(lines, 'audit.log', 1, 'auto').events);
    const f = r.findings.find((x) => x.rule === 'denied-access');
    expect(f).toMatchObject({ path: 'secret/data/production/svc03/config', secret: 'secret/production/svc03/config' });
    expect(f?.evidence?.['paths']).toEqual(['secret/data/production/svc03/config']);
    expect(toAnalysisJson(r).findings[0]).toMatchObject({
      path: 'secret/data/production/svc03/config',
      secret: 'secret/production/svc03/config',
    });
  });
});

describe('failed-auth per source and target identity', () => {
  const fail = (at: number, user: string, ip = '185.220.101.7') =>
    ev({
      at,
      outcome: 'failed-auth',
      operation: 'update',
      path: `auth/userpass/login/${user}`,
      secret: undefined,
      identity: `userpass-${user}`,
      authMethod: 'userpass',
      identityKind: 'human',
      sourceIp: ip,
    });
  it("one user's typo is not folded into another user's brute force: 15 failures are 15, not 16", () => {
    const events = Array.from({ length: 15 }, (_, i) => fail(i * 20_000, 'bob'));
    events.splice(7, 0, fail(7 * 20_000 - 5000, 'alice'));
    const f = analyzeEvents(events).findings.filter((x) => x.rule === 'failed-auth');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      identity: 'userpass-bob',
      count: 15,
      time: new Date(T0).toISOString(),
      lastTime: new Date(T0 + 14 * 20_000).toISOString(),
    });
  });
  it('two users failing from one address are two findings, each with its own count', () => {
    const events = [
      ...Array.from({ length: 6 }, (_, i) => fail(i * 10_000, 'bob')),
      ...Array.from({ length: 8 }, (_, i) => fail(i * 10_000 + 1, 'carol')),
    ].sort((a, b) => a.time.localeCompare(b.time));
    const f = analyzeEvents(events).findings.filter((x) => x.rule === 'failed-auth');
    expect(f.map((x) => [x.identity, x.count]).sort()).toEqual([
      ['userpass-bob', 6],
      ['userpass-carol', 8],
    ]);
  });
  it('property: every finding counts exactly the failures of its source and identity; time is the first, lastTime the last', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.nat(10 * MIN),
            user: fc.constantFrom('bob', 'carol', 'dave'),
            ip: fc.constantFrom('10.9.9.1', '10.9.9.2'),
          }),
          { maxLength: 60 },
        ),
        (raw) => {
          const events = raw.sort((a, b) => a.at - b.at).map((x) => fail(x.at, x.user, x.ip));
          const found = analyzeEvents(events).findings.filter((x) => x.rule === 'failed-auth');
          for (const f of found) {
            const mine = events.filter((e) => e.identity === f.identity && e.sourceIp === f.sourceIp);
            // All within one 10-minute span < the 15-minute window: one incident covers every failure of the key.
            expect(f.count).toBe(mine.length);
            expect(f.time).toBe(mine[0]?.time);
            expect(f.lastTime).toBe(mine[mine.length - 1]?.time);
          }
          const keys = new Set(events.map((e) => `${e.sourceIp}/${e.identity}`));
          const expected = [...keys].filter(
            (k) => events.filter((e) => `${e.sourceIp}/${e.identity}` === k).length >= 5,
          ).length;
          expect(found).toHaveLength(expected);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('bulk-read names where the reads went', () => {
  it('path is the longest common prefix of the paths read; JSON keeps a bounded sample in evidence', () => {
    const events = Array.from({ length: 40 }, (_, i) =>
      ev({
        at: i * 2000,
        identity: 'userpass-erin',
        authMethod: 'userpass',
        identityKind: 'human',
        path: `secret/data/prod/team${i % 2}/s${i}`,
        secret: `secret/prod/team${i % 2}/s${i}`,
      }),
    );
    const f = analyzeEvents(events).findings.filter((x) => x.rule === 'bulk-read');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ path: 'secret/data/prod/', secret: 'secret/prod/', count: 40 });
    const j = toAnalysisJson(analyzeEvents(events)).findings.find((x) => x.rule === 'bulk-read');
    const sample = j?.evidence?.['paths'] as string[];
    expect(sample.length).toBeGreaterThan(0);
    expect(sample.length).toBeLessThanOrEqual(25);
    for (const p of sample) expect(p.startsWith('secret/data/prod/team')).toBe(true);
  });
});

describe('volume-spike from a cold start', () => {
  it('a new identity reading one secret 400 times in an hour is a spike (no history anywhere)', () => {
    const events = Array.from({ length: 400 }, (_, i) =>
      ev({ at: i * 8000, identity: 'approle-newcomer', path: 'secret/data/prod/db', secret: 'secret/prod/db' }),
    );
    const f = analyzeEvents(events).findings.filter((x) => x.rule === 'volume-spike');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ identity: 'approle-newcomer', count: 400, path: 'secret/data/prod/db' });
  });
  it("an identity with no history is compared with the path's baseline across identities", () => {
    const events: AuditEvent[] = [];
    // Ten machines read the path 6 times an hour for 12 hours; then a newcomer reads it 80 times in an hour.
    for (let h = 0; h < 12; h++)
      for (let m = 0; m < 10; m++)
        for (let k = 0; k < 6; k++)
          events.push(
            ev({
              at: h * HOUR + k * 10 * MIN + m * 1000,
              identity: `approle-m${m}`,
              path: 'secret/data/prod/db',
              secret: 'secret/prod/db',
            }),
          );
    for (let k = 0; k < 80; k++)
      events.push(
        ev({
          at: 12 * HOUR + k * 40_000,
          identity: 'approle-newcomer',
          path: 'secret/data/prod/db',
          secret: 'secret/prod/db',
        }),
      );
    events.sort((a, b) => a.time.localeCompare(b.time));
    const f = analyzeEvents(events).findings.filter((x) => x.rule === 'volume-spike');
    expect(f.map((x) => [x.identity, x.count])).toEqual([['approle-newcomer', 80]]);
    // A newcomer at the path's usual rate is not a spike; nor under a higher configurable floor.
    const calm = events
      .filter((e) => e.identity !== 'approle-newcomer')
      .concat(
        Array.from({ length: 6 }, (_, k) =>
          ev({
            at: 12 * HOUR + k * 10 * MIN,
            identity: 'approle-newcomer',
            path: 'secret/data/prod/db',
            secret: 'secret/prod/db',
          }),
        ),
      );
    expect(analyzeEvents(calm).findings.filter((x) => x.rule === 'volume-spike')).toEqual([]);
    const cold = Array.from({ length: 400 }, (_, i) => ev({ at: i * 8000, identity: 'approle-newcomer' }));
    expect(
      analyzeEvents(cold, { volumeSpike: { coldStartPerHour: 500 } }).findings.filter((x) => x.rule === 'volume-spike'),
    ).toEqual([]);
  });
});

describe('tokens are told apart by accessor', () => {
  const root = (at: number, accessor: string, i: number, ip = '10.0.0.9') =>
    ev({
      at,
      identity: 'token',
      authMethod: 'token',
      identityKind: 'unknown',
      policies: ['root'],
      accessor,
      path: `secret/data/ops/s${i}`,
      secret: `secret/ops/s${i}`,
      sourceIp: ip,
    });
  it('two root tokens named `token` do not merge: no bulk-read from 12 + 12 reads, separate usage rows with accessors', () => {
    const events = Array.from({ length: 24 }, (_, i) => root(i * 5000, i % 2 ? HMAC('1') : HMAC('2'), i));
    const r = analyzeEvents(events);
    expect(r.findings.filter((x) => x.rule === 'bulk-read')).toEqual([]);
    const rows = r.aggregates.identities.filter((x) => x.identity === 'token');
    expect(rows.map((x) => [x.accessor, x.events]).sort()).toEqual([
      [HMAC('1'), 12],
      [HMAC('2'), 12],
    ]);
    // The root-token findings name each token by its accessor.
    expect(
      r.findings
        .filter((x) => x.rule === 'root-token')
        .map((x) => x.accessor)
        .sort(),
    ).toEqual([HMAC('1'), HMAC('2')]);
  });
  it("a newly created root token's address is not learned from another root token's history", () => {
    const old = Array.from({ length: 12 }, (_, i) => root(i * 10 * MIN, HMAC('1'), i % 3));
    const fresh = Array.from({ length: 12 }, (_, i) => root(3 * HOUR + i * 10 * MIN, HMAC('2'), i % 3, '45.77.12.9'));
    const newIp = analyzeEvents([...old, ...fresh]).findings.filter((x) => x.rule === 'new-source-ip');
    // Token 2 has no baseline of its own, so its address is not "new" relative to token 1's.
    expect(newIp).toEqual([]);
  });
});

describe('a request/response pair without a request id', () => {
  it('is one event, not two', () => {
    const lines = [
      ...vaultCall({ t: 0, path: 'secret/data/a', id: null, respData: kvData }),
      ...vaultCall({ t: 5000, path: 'secret/data/b', id: null, respData: kvData }),
    ];
    const r = analyzeEvents(parseLines(lines, 'audit.log', 1, 'auto').events);
    expect(r.events).toBe(2);
    // Batches cut between a request and its response.
    const p1 = parseLines(lines.slice(0, 1), 'audit.log', 1, 'auto').events;
    const p2 = parseLines(lines.slice(1), 'audit.log', 2, 'auto').events;
    expect(analyzeEvents([...p1, ...p2]).events).toBe(2);
  });
});
