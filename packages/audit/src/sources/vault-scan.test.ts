import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateVaultTraffic } from '../../test/traffic.js';
import { parseLines } from '../internal/parse-batch.js';
import { normalizeVault, vaultFieldsOf } from './vault.js';
import { detectSource, OTHER_SOURCE_MEMBERS } from './detect.js';
import { scanVaultTail } from './vault-scan.js';
import type { Obj } from '../internal/json.js';

/*
 * The scan of a response's own members must agree with JSON.parse + vaultFieldsOf on every response it accepts,
 * and accept no line JSON.parse rejects; a request/response pair must parse to what its response alone does. Lines are generated with the odd cases in: repeated keys (the last wins), escaped keys and values,
 * values of the wrong type, whitespace between tokens, numbers as strings, other sources' members.
 */

// Objects as member lists, so a key can repeat (JSON.stringify cannot write that).
type J = { k: 'obj'; m: Array<[string, J]> } | { k: 'arr'; v: J[] } | { k: 'raw'; text: string };

function write(j: J, ws: () => string): string {
  switch (j.k) {
    case 'raw':
      return j.text;
    case 'arr':
      return `[${ws()}${j.v.map((x) => write(x, ws)).join(`${ws()},${ws()}`)}${ws()}]`;
    case 'obj':
      return `{${ws()}${j.m.map(([k, v]) => `${k}${ws()}:${ws()}${write(v, ws)}`).join(`${ws()},${ws()}`)}${ws()}}`;
  }
}

const key = (name: string, escaped: boolean) =>
  escaped ? `"\\u00${name.charCodeAt(0).toString(16)}${name.slice(1)}"` : JSON.stringify(name);

const stringValue = fc.oneof(
  fc.constantFrom('', 'root', 'approle', 'secret/data/app/db', 'auth/userpass/login/bob', '10.0.0.7', 'kv', '60'),
  fc.string({ maxLength: 8 }),
  fc.constantFrom('a"b', 'line\nbreak', 'tab\there', 'é', '\u2028', 'x\\y', ' 42 ', '1e3', '-0', 'NaN'),
);
const scalar: fc.Arbitrary<J> = fc.oneof(
  stringValue.map((s) => ({ k: 'raw' as const, text: JSON.stringify(s) })),
  fc.constantFrom('true', 'false', 'null', '0', '-1.5e2', '3600', '1e400', '-0').map((text) => ({
    k: 'raw' as const,
    text,
  })),
  // A string written with an escape that JSON.stringify would not use.
  fc.constantFrom('"\\u0072oot"', '"a\\/b"', '"\\ud83d\\ude00"').map((text) => ({ k: 'raw' as const, text })),
);

/** Objects of 0–9 members named from `keys` (a name can repeat), now and then one of the `rare` names. */
function objectOf(
  keys: readonly string[],
  value: (name: string) => fc.Arbitrary<J>,
  rare: readonly string[] = ['other'],
): fc.Arbitrary<J> {
  const name = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...keys, 'client_token') },
    { weight: 1, arbitrary: fc.constantFrom(...rare) },
  );
  return fc
    .array(
      fc
        .tuple(name, fc.boolean(), fc.nat(19))
        .chain(([name, esc, e]) => value(name).map((v) => [key(name, esc && e === 0), v] as [string, J])),
      { maxLength: 9 },
    )
    .map((m) => ({ k: 'obj' as const, m }));
}

const anyValue: fc.Arbitrary<J> = fc.letrec<{ v: J }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }).map((v) => ({ k: 'arr' as const, v })),
    objectOf(['error', 'allowed', 'x'], () => tie('v')),
  ),
})).v;

const sometimes = (a: fc.Arbitrary<J>) => fc.oneof(a, a, a, anyValue);
const meta = objectOf(['role_name', 'username', 'email'], () => sometimes(scalar));
const policyResults = objectOf(['allowed', 'granting_policies'], () => sometimes(scalar));
const strings = fc.array(sometimes(scalar), { maxLength: 3 }).map((v) => ({ k: 'arr' as const, v }));
const auth = objectOf(
  ['display_name', 'metadata', 'entity_id', 'accessor', 'policies', 'policy_results', 'token_ttl'],
  (name) =>
    sometimes(
      name === 'metadata' ? meta : name === 'policy_results' ? policyResults : name === 'policies' ? strings : scalar,
    ),
);
const request = objectOf(['id', 'path', 'mount_type', 'mount_point', 'operation', 'remote_address'], () =>
  sometimes(scalar),
);
const response = objectOf(
  ['auth', 'data', 'secret', 'mount_type'],
  (name) =>
    sometimes(
      name === 'auth'
        ? auth
        : name === 'data'
          ? objectOf(['error', 'password'], () => anyValue)
          : name === 'secret'
            ? objectOf(['lease_id'], () => sometimes(scalar))
            : scalar,
    ),
  ['status_code', 'other'],
);
const topKeys = ['time', 'type', 'error', 'auth', 'request', 'response', 'request', 'auth'];
const topValue = (name: string) =>
  sometimes(name === 'auth' ? auth : name === 'request' ? request : name === 'response' ? response : scalar);
const members = (rare: readonly string[]) => objectOf(topKeys, topValue, rare).map((j) => (j.k === 'obj' ? j.m : []));

/**
 * A Vault call as the file device writes it, with odd members anywhere: the request's members (shared verbatim),
 * then the response's own, which may repeat, override or break anything.
 */
const call = fc
  .tuple(
    members(['other']),
    request,
    fc.nat(),
    members(['timestamp', 'eventName', 'category', 'Records', 'other']),
    fc.boolean(),
    fc.array(fc.constantFrom('', ' ', '\n', '\t', '\r'), { minLength: 8, maxLength: 8 }),
  )
  .map(([shared, req, at, own, spaced, spaces]) => {
    const m = [...shared];
    m.splice(at % (m.length + 1), 0, ['"request"', req]);
    let k = 0;
    const ws = spaced ? () => spaces[k++ % spaces.length] as string : () => '';
    const list = (xs: Array<[string, J]>) => xs.map(([k, v]) => `,${ws()}${k}${ws()}:${ws()}${write(v, ws)}`).join('');
    const shared_ = list(m);
    return {
      request: `{"time":"2026-03-03T12:00:00.000001Z","type":"request"${shared_}}`,
      /** The response up to where its own members start. */
      head: `{"time":"2026-03-03T12:00:00.000002Z","type":"response"${shared_}`,
      own: `${list(own)}${ws()}}`,
    };
  });

function parsed(text: string): Obj | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
  } catch {
    return undefined;
  }
}

const damage = fc.tuple(fc.nat(), fc.constantFrom('cut', '"', '}', ',', 'x', '\\', '\u0001', ' '));
const damaged = (text: string, [at, how]: [number, string]) => {
  const i = at % (text.length + 1);
  return how === 'cut' ? text.slice(0, i) : text.slice(0, i) + how + text.slice(i + 1);
};

describe('scanVaultTail', () => {
  it('property: what it accepts has exactly the fields JSON.parse gives the whole response; it accepts no invalid line', () => {
    let accepted = 0;
    fc.assert(
      fc.property(call, fc.boolean(), damage, ({ head, own }, hurt, d) => {
        // Damage lands in the members the response adds (the shared ones were validated with the request).
        const tail = hurt ? damaged(own, d) : own;
        const response = head + tail;
        const before = parsed(`${head}}`);
        if (before === undefined) return;
        const f = vaultFieldsOf(before);
        const ok = scanVaultTail(response, head.length, f);
        const whole = parsed(response);
        if (whole === undefined) {
          expect(ok).toBe(false);
          return;
        }
        if (!ok) return;
        accepted++;
        expect(f).toEqual(vaultFieldsOf(whole));
      }),
      { numRuns: 6000 },
    );
    // The generator reaches the accepting path often enough for the property to mean something.
    expect(accepted).toBeGreaterThan(800);
  });

  it('property: a pair parses to the one event its response alone parses to; every invalid line is reported', () => {
    const invalidReasons = new Set(['truncated or invalid JSON', 'not JSON']);
    fc.assert(
      fc.property(call, fc.boolean(), fc.boolean(), damage, ({ request: rq, head, own }, hurtResp, hurtReq, d) => {
        const request = hurtReq ? damaged(rq, d) : rq;
        const response = head + (hurtResp ? damaged(own, d) : own);
        const paired = parseLines([request, response], 'f', 1, 'auto');
        const alone = parseLines([request], 'f', 1, 'auto');
        const respAlone = parseLines(['', response], 'f', 1, 'auto');
        expect(paired.malformed.filter((m) => invalidReasons.has(m.reason)).map((m) => m.line)).toEqual(
          [parsed(request) ? 0 : 1, parsed(response) ? 0 : 2].filter((x) => x > 0),
        );
        const events = (x: typeof paired) => x.events.map((e) => ({ ...e, entry: undefined }));
        const o = parsed(request);
        // A request that waits for its response, and a response that repeats its members verbatim: a pair.
        const waits =
          !hurtReq &&
          o !== undefined &&
          detectSource(o) === 'vault' &&
          OTHER_SOURCE_MEMBERS.every((k) => o[k] === undefined) &&
          vaultFieldsOf(o).requestId !== undefined;
        if (!waits) {
          if (!hurtReq) expect(events(paired)).toEqual([...events(alone), ...events(respAlone)]);
        } else if (respAlone.events.length === 1) expect(events(paired)).toEqual(events(respAlone));
        else expect(events(paired)).toEqual(events(alone));
      }),
      { numRuns: 3000 },
    );
  });

  it('every call the bench traffic holds is finished from its request, with the fields JSON.parse gives', () => {
    const lines: string[] = [];
    generateVaultTraffic({ seed: 3, start: '2026-01-05T00:00:00Z', days: 1, machines: 5, humans: 2 }, (l) =>
      lines.push(l),
    );
    let pairs = 0;
    for (let i = 1; i < lines.length; i++) {
      const req = lines[i - 1] as string;
      const resp = lines[i] as string;
      if (!req.includes('"type":"request"') || !resp.includes('"type":"response"')) continue;
      const shared = req.slice(req.indexOf('","type":"request"') + 18, -1);
      const at = resp.indexOf(shared);
      if (at < 0) continue;
      const headEnd = at + shared.length;
      const f = vaultFieldsOf(JSON.parse(`${resp.slice(0, headEnd)}}`) as Obj);
      expect(scanVaultTail(resp, headEnd, f), resp).toBe(true);
      expect(f).toEqual(vaultFieldsOf(JSON.parse(resp) as Obj));
      pairs++;
    }
    expect(pairs).toBeGreaterThan(200);
  });

  it('declines members another source reads, escaped keys, a trailing comma, junk after the end, a control character in the time', () => {
    const req = '{"time":"2026-01-01T00:00:00Z","type":"request","request":{"id":"r","path":"p"}}';
    const head = '{"time":"2026-01-01T00:00:01Z","type":"response","request":{"id":"r","path":"p"}';
    const at = head.length;
    const base = () => ({ ...vaultFieldsOf(JSON.parse(req) as Obj), time: '2026-01-01T00:00:01Z', type: 'response' });
    const ok = `${head},"response":{"secret":{"lease_id":"l"}}}`;
    const f = base();
    expect(scanVaultTail(ok, at, f)).toBe(true);
    expect(f).toEqual(vaultFieldsOf(JSON.parse(ok) as Obj));
    expect(scanVaultTail(`${head}}`, at, base())).toBe(true);
    expect(scanVaultTail(`${head},}`, at, base())).toBe(false);
    expect(scanVaultTail(`${head},"response":{}} x`, at, base())).toBe(false);
    expect(scanVaultTail(`${head},"timestamp":"x"}`, at, base())).toBe(false);
    expect(scanVaultTail(`${head},"response":{"status_code":200}}`, at, base())).toBe(false);
    expect(scanVaultTail(`${head},"\\u0074ype":"request"}`, at, base())).toBe(false);
    const ctl = String.fromCharCode(1);
    expect(scanVaultTail(`${head},"a":"${ctl}"}`, at, base())).toBe(false);
    const timeCtl = head.replace('01Z', `0${ctl}Z`);
    expect(scanVaultTail(`${timeCtl}}`, timeCtl.length, base())).toBe(false);
  });
});

describe('request entries in the layout Vault writes (auth block and request members read once per text)', () => {
  // `{"time":…,"type":"request","auth":{…},"request":{"id":"…",<members>,"remote_port":…<members>}<members>}`
  const vaultRequest = fc
    .tuple(
      auth,
      fc.oneof(
        fc.constantFrom('"r-1"', '""', '"a\\"b"', '"\\u0072"'),
        stringValue.map((v) => JSON.stringify(v)),
      ),
      members(['other']).chain(() =>
        fc.array(
          fc.tuple(
            fc.constantFrom(
              'id',
              'path',
              'operation',
              'mount_type',
              'mount_point',
              'remote_address',
              'client_id',
              'data',
            ),
            // A nested `remote_port` member: the run must still end at the request's own.
            fc.oneof(sometimes(scalar), fc.constant<J>({ k: 'raw', text: '{"remote_port":7}' })),
          ),
          { maxLength: 6 },
        ),
      ),
      fc.constantFrom('48055', '-1', '"x"', '{}', '1e2'),
      // A second `remote_port`, and one nested in a later member, as well as the usual ones.
      fc.array(
        fc.tuple(
          fc.constantFrom('path', 'headers', 'id', 'remote_port'),
          fc.oneof(sometimes(scalar), fc.constant<J>({ k: 'raw', text: '{"remote_port":8}' })),
        ),
        { maxLength: 2 },
      ),
      members(['timestamp', 'other']).chain((m) =>
        fc.constantFrom(m, [...m, ['x', { k: 'raw', text: '{"remote_port":9}' }] as [string, J]]),
      ),
    )
    .map(([a, id, mid, port, after, top]) => {
      const ws = () => '';
      const list = (xs: Array<[string, J]>) =>
        xs.map(([k, v]) => `,${k.startsWith('"') ? k : JSON.stringify(k)}:${write(v, ws)}`).join('');
      const entry = (id: string) =>
        `{"time":"2026-03-03T12:00:00.000001Z","type":"request","auth":${write(a, ws)},"request":{"id":${id}${list(mid)},"remote_port":${port}${list(after)}}${list(top)}}`;
      // The same entry under another id: its members are read from memory.
      return { line: entry(id), again: entry('"r-2"') };
    });

  const reference = (line: string, lineNo: number) => {
    if (line.trim() === '') return { events: [], malformed: [] };
    // As the general parse reads a line: whole, else from its first '{' (a prefix before the JSON).
    const brace = line.indexOf('{');
    const o = parsed(line) ?? (brace > 0 ? parsed(line.slice(brace)) : undefined);
    if (o === undefined)
      return {
        events: [],
        malformed: [line.trimStart().startsWith('{') ? 'truncated or invalid JSON' : 'not JSON'],
      };
    if (detectSource(o) !== 'vault') return undefined;
    const ev = normalizeVault(o, { file: 'f', line: lineNo });
    if (ev === undefined) return { events: [], malformed: ['not a vault audit record'] };
    return ev.time === '' ? { events: [], malformed: ['no valid timestamp'] } : { events: [ev], malformed: [] };
  };

  it('property: each entry, read the first time or again from memory, is the event JSON.parse gives; damage is reported', () => {
    fc.assert(
      fc.property(vaultRequest, damage, fc.boolean(), ({ line, again }, d, hurt) => {
        // The same members again under another id (read from memory), then maybe damaged.
        const third = hurt ? damaged(line, d) : line;
        for (const [i, l] of [line, again, third].entries()) {
          const want = reference(l, 1);
          if (want === undefined) continue;
          const got = parseLines([l], 'f', 1, 'auto');
          expect(got.malformed.map((m) => m.reason)).toEqual(want.malformed);
          expect(got.events, `entry ${i}: ${l}`).toEqual(want.events);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('pairing in a batch', () => {
  const req = (id: string, path: string) =>
    `{"time":"2026-03-03T12:00:00.000001Z","type":"request","auth":{"display_name":"approle","metadata":{"role_name":"web"}},"request":{"id":"${id}","operation":"read","path":"${path}","remote_address":"10.0.0.7","remote_port":1}}`;
  const resp = (id: string, path: string) =>
    `${req(id, path).replace('"type":"request"', '"type":"response"').slice(0, -1)},"response":{"data":{}}}`;

  it('two requests with one id: neither is dropped (the earlier stands alone, the later pairs)', () => {
    const r = parseLines([req('x', 'secret/a'), req('x', 'secret/b'), resp('x', 'secret/b')], 'f', 1, 'auto');
    expect(r.events.map((e) => [e.path, e.entry ?? 'pair', e.line])).toEqual([
      ['secret/a', 'request', 1],
      ['secret/b', 'pair', 3],
    ]);
  });

  it('interleaved calls pair by id; a request whose response never came is returned for cross-batch pairing', () => {
    const r = parseLines(
      [req('a', 'secret/a'), req('b', 'secret/b'), resp('a', 'secret/a'), req('c', 'secret/c'), resp('b', 'secret/b')],
      'f',
      1,
      'auto',
    );
    expect(r.events.map((e) => [e.path, e.entry ?? 'pair', e.line])).toEqual([
      ['secret/a', 'pair', 3],
      ['secret/b', 'pair', 5],
      ['secret/c', 'request', 4],
    ]);
  });
});

describe('names derived once per path and per token', () => {
  it('the same path under another mount type or mount point gets its own logical secret', () => {
    const ev = (mountType: string | undefined, mountPoint: string | undefined) =>
      normalizeVault({
        time: '2026-03-03T12:00:00Z',
        type: 'request',
        request: { path: 'kv2/data/app/db', mount_type: mountType, mount_point: mountPoint, operation: 'read' },
      })?.secret;
    expect(ev('kv', 'kv2/')).toBe('kv2/app/db');
    expect(ev('system', 'kv2/')).toBeUndefined();
    expect(ev('kv', 'kv2/data/')).toBe('kv2/data/app/db');
    expect(ev(undefined, undefined)).toBe('kv2/app/db');
    expect(ev('kv', 'kv2/')).toBe('kv2/app/db');
  });

  it('one auth block read for many calls gives each call the identity and method of its own block', () => {
    const a = { display_name: 'approle', metadata: { role_name: 'web' } };
    const b = { display_name: 'userpass-alice' };
    const names = [a, b, a].map((auth) => {
      const e = normalizeVault({ time: '2026-03-03T12:00:00Z', type: 'request', auth, request: { path: 'p' } });
      return [e?.identity, e?.authMethod];
    });
    expect(names).toEqual([
      ['approle-web', 'approle'],
      ['userpass-alice', 'userpass'],
      ['approle-web', 'approle'],
    ]);
  });
});

describe('OTHER_SOURCE_MEMBERS', () => {
  it('lists members whose presence can turn a Vault-looking record into another source', () => {
    const vault = { time: 't', type: 'request', request: { path: 'p' } };
    // Members that decide only together with another one are checked with their companion.
    const companion: Record<string, Record<string, unknown>> = {
      'detail-type': { detail: {} },
      operationName: { category: 'x' },
      detail: { 'detail-type': 'x' },
      category: { operationName: 'x' },
      callerIpAddress: { operationName: 'x' },
      resourceId: { operationName: 'x' },
    };
    for (const m of OTHER_SOURCE_MEMBERS) {
      if (m === 'Records' || m === 'records') continue;
      expect(detectSource({ ...vault, ...companion[m], [m]: 'x' }), m).not.toBe('vault');
    }
    expect(detectSource(vault)).toBe('vault');
  });
});
