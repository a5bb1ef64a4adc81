import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateVaultTraffic } from '../../test/traffic.js';
import { detectSource } from './detect.js';
import { emptyVaultFields, vaultFieldsOf } from './vault.js';
import { scanVaultLine, scanVaultTail } from './vault-scan.js';
import type { Obj } from '../internal/json.js';

/*
 * The text scan must agree with JSON.parse + vaultFieldsOf on every line it accepts, and accept no line JSON.parse
 * rejects. Lines are generated with the odd cases in: repeated keys (the last wins), escaped keys and values,
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
const line = fc
  .tuple(
    // Most lines carry what makes a Vault record (a `type` and a `request` object), somewhere among the rest.
    fc.boolean(),
    scalar,
    request,
    objectOf(topKeys, topValue, ['timestamp', 'eventName', 'Records', 'other']),
    fc.nat(),
    fc.boolean(),
    fc.array(fc.constantFrom('', ' ', '\n', '\t', '\r'), { minLength: 8, maxLength: 8 }),
  )
  .map(([vaultLike, type, req, j, at, spaced, spaces]) => {
    if (vaultLike && j.k === 'obj') {
      const m = [...j.m];
      m.splice(at % (m.length + 1), 0, ['"type"', type], ['"request"', req]);
      j = { k: 'obj', m };
    }
    let k = 0;
    return write(j, spaced ? () => spaces[k++ % spaces.length] as string : () => '');
  });

function parsed(text: string): Obj | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
  } catch {
    return undefined;
  }
}

describe('scanVaultLine', () => {
  it('property: an accepted line is a Vault record to JSON.parse and detection, with exactly its fields', () => {
    let accepted = 0;
    fc.assert(
      fc.property(line, (text) => {
        const f = emptyVaultFields();
        if (!scanVaultLine(text, f)) return;
        accepted++;
        const o = parsed(text);
        expect(o).toBeDefined();
        expect(detectSource(o as Obj)).toBe('vault');
        expect(f).toEqual(vaultFieldsOf(o as Obj));
      }),
      { numRuns: 6000 },
    );
    // The generator reaches the accepting path often enough for the property to mean something.
    expect(accepted).toBeGreaterThan(1000);
  });

  it('property: a line JSON.parse rejects (cut short, one character changed) is never accepted', () => {
    fc.assert(
      fc.property(
        line,
        fc.nat(),
        fc.nat(),
        fc.constantFrom('cut', '"', '}', ',', 'x', '\\', '\u0001'),
        (text, at, _, how) => {
          const i = at % (text.length + 1);
          const bad = how === 'cut' ? text.slice(0, i) : text.slice(0, i) + how + text.slice(i + 1);
          if (
            parsed(bad) !== undefined ||
            (() => {
              try {
                JSON.parse(bad);
                return true;
              } catch {
                return false;
              }
            })()
          )
            return;
          expect(scanVaultLine(bad, emptyVaultFields())).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('accepts every line the file device writes (the bench traffic) with the fields JSON.parse gives', () => {
    const lines: string[] = [];
    generateVaultTraffic({ seed: 3, start: '2026-01-05T00:00:00Z', days: 1, machines: 5, humans: 2 }, (l) =>
      lines.push(l),
    );
    expect(lines.length).toBeGreaterThan(500);
    for (const l of lines) {
      const f = emptyVaultFields();
      expect(scanVaultLine(l, f), l).toBe(true);
      expect(f).toEqual(vaultFieldsOf(JSON.parse(l) as Obj));
    }
  });

  it('declines what detection gives to another source, escaped keys and non-objects', () => {
    const f = emptyVaultFields();
    expect(scanVaultLine('{"type":"request","request":{"path":"a"},"timestamp":"x"}', f)).toBe(false);
    expect(scanVaultLine('{"type":"response","request":{},"response":{"status_code":200}}', f)).toBe(false);
    expect(scanVaultLine('{"\\u0074ype":"request","request":{}}', f)).toBe(false);
    expect(scanVaultLine('{"request":{"path":"a"}}', f)).toBe(false); // neither type nor auth: not Vault
    expect(scanVaultLine('[{"type":"request","request":{}}]', f)).toBe(false);
    expect(scanVaultLine('{"type":"request","request":{}} x', f)).toBe(false);
    expect(scanVaultLine(' {"type":"request","request":{}}\t', f)).toBe(true);
  });
});

describe('scanVaultTail', () => {
  it('finishes a response from its request members: a trailing comma, junk or a repeated time is declined', () => {
    const req = '{"time":"2026-01-01T00:00:00Z","type":"request","request":{"id":"r","path":"p"}}';
    const head = '{"time":"2026-01-01T00:00:01Z","type":"response","request":{"id":"r","path":"p"}';
    const at = head.length;
    const base = () => {
      const f = emptyVaultFields();
      expect(scanVaultLine(req, f)).toBe(true);
      return { ...f, time: '2026-01-01T00:00:01Z', type: 'response' };
    };
    const ok = `${head},"response":{"secret":{"lease_id":"l"}}}`;
    const f = base();
    expect(scanVaultTail(ok, at, f)).toBe(true);
    expect(f).toEqual(vaultFieldsOf(JSON.parse(ok) as Obj));
    expect(scanVaultTail(`${head}}`, at, base())).toBe(true);
    expect(scanVaultTail(`${head},}`, at, base())).toBe(false);
    expect(scanVaultTail(`${head},"response":{}} x`, at, base())).toBe(false);
    expect(scanVaultTail(`${head},"time":"2026-01-01T00:00:02Z"}`, at, base())).toBe(false);
    expect(scanVaultTail(`${head},"a":"\u0001"}`, at, base())).toBe(false);
  });
});
