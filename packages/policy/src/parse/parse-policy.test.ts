import { isSvmError } from '@svm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from './parse-policy.js';

const parse = (text: string, flavor?: 'vault' | 'openbao') => parsePolicy(text, { name: 'p', file: 'p.hcl', flavor });
const errorOf = (text: string, flavor?: 'vault' | 'openbao'): string => {
  try {
    parse(text, flavor);
  } catch (e) {
    if (isSvmError(e)) return `${e.code} ${e.toString()}`;
    throw e;
  }
  throw new Error('expected a parse error');
};

describe('parsePolicy: HCL v1', () => {
  it('reads path blocks with positions for rules, capabilities and keys', () => {
    const p = parse(`# comment
path "secret/data/app/*" {
  capabilities = ["read", "list"]
  # another
  required_parameters = ["ttl"]
}
/* block comment */ path "/sys/seal" { policy = "sudo" }`);
    expect(p).toMatchInlineSnapshot(`
      {
        "file": "p.hcl",
        "name": "p",
        "rules": [
          {
            "capabilities": [
              "read",
              "list",
            ],
            "capabilityPositions": [
              {
                "column": 19,
                "line": 3,
              },
              {
                "column": 27,
                "line": 3,
              },
            ],
            "keyPositions": {
              "capabilities": {
                "column": 3,
                "line": 3,
              },
              "required_parameters": {
                "column": 3,
                "line": 5,
              },
            },
            "path": "secret/data/app/*",
            "position": {
              "column": 6,
              "line": 2,
            },
            "requiredParameters": [
              "ttl",
            ],
          },
          {
            "capabilities": [],
            "keyPositions": {
              "policy": {
                "column": 40,
                "line": 7,
              },
            },
            "legacyPolicy": "sudo",
            "path": "sys/seal",
            "position": {
              "column": 26,
              "line": 7,
            },
          },
        ],
      }
    `);
  });

  it('reads every path key: parameters with globbed and typed values, TTLs as seconds or durations, mfa, events', () => {
    const p = parse(`path "auth/token/create" {
  capabilities = ["create", "update"]
  allowed_parameters = {
    "policies" = ["web*", "*-ro", "*mid*"]
    "ttl" = []
    "num_uses" = [1, 2]
    "renewable" = [true]
  }
  denied_parameters { "no_parent" = [] }
  min_wrapping_ttl = 60
  max_wrapping_ttl = "1h"
  mfa_methods = ["totp"]
  subscribe_event_types = ["kv*"]
  comment = "tokens"
}`);
    const r = p.rules[0];
    expect(r?.allowedParameters).toEqual({
      policies: ['web*', '*-ro', '*mid*'],
      ttl: [],
      num_uses: [1, 2],
      renewable: [true],
    });
    expect(r?.deniedParameters).toEqual({ no_parent: [] });
    expect([r?.minWrappingTtl, r?.maxWrappingTtl]).toEqual([60, 3600]);
    expect(r?.mfaMethods).toEqual(['totp']);
    expect(r?.subscribeEventTypes).toEqual(['kv*']);
    expect(r?.comment).toBe('tokens');
  });

  it('accepts the documented control_group syntax (a block inside an object value), which HCL2 rejects', () => {
    const p = parse(`path "secret/data/prod/*" {
  capabilities = ["read"]
  control_group = {
    ttl = "4h"
    factor "ops" {
      identity {
        group_names = ["managers"]
        approvals = 2
      }
    }
  }
}`);
    expect(p.rules[0]?.controlGroup).toEqual({
      ttl: '4h',
      factor: { ops: { identity: { group_names: ['managers'], approvals: 2 } } },
    });
  });

  it('strips one leading slash, keeps the same pattern twice, and reads heredoc comments and escapes', () => {
    const p = parse(`path "//a" { capabilities = ["read"] }
path "a" { capabilities = [] }
path "a" { capabilities = ["list"], comment = <<EOT
multi
line
EOT
}
path "esc\\"aped\\u00e9" { capabilities = ["read",] }`);
    expect(p.rules.map((r) => r.path)).toEqual(['/a', 'a', 'a', 'esc"apedé']);
    expect(p.rules[2]?.comment).toBe('multi\nline\n');
  });

  it('keeps a parameter named __proto__ as an ordinary key', () => {
    const r = parse('path "a" { allowed_parameters = { "__proto__" = ["x"], "b" = [] } }').rules[0];
    expect(Object.keys(r?.allowedParameters ?? {})).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(r?.allowedParameters)).toBe(Object.prototype);
  });

  it('marks templated paths and validates their directives', () => {
    const p = parse('path "secret/data/{{identity.entity.aliases.auth_jwt_1234.name}}/*" { capabilities = ["read"] }');
    expect(p.rules[0]?.templated).toBe(true);
    expect(errorOf('path "secret/{{identity.entity.nope}}" { capabilities = ["read"] }')).toMatch(
      /unknown template "\{\{identity.entity.nope\}\}"/,
    );
  });

  it('reads JSON policies (auto-detected) with positions', () => {
    const p = parse(`{
  "path": {
    "secret/foo": { "capabilities": ["read"] },
    "secret/bar/*": { "policy": "write" }
  }
}`);
    expect(p.rules.map((r) => [r.path, r.capabilities, r.legacyPolicy, r.position])).toEqual([
      ['secret/foo', ['read'], undefined, { line: 3, column: 5 }],
      ['secret/bar/*', [], 'write', { line: 4, column: 5 }],
    ]);
  });

  it('checks keys and capabilities per flavor', () => {
    expect(parse('path "a" { capabilities = ["scan"] }', 'openbao').rules[0]?.capabilities).toEqual(['scan']);
    expect(errorOf('path "a" { capabilities = ["scan"] }', 'vault')).toMatchInlineSnapshot(
      `"POLICY_INVALID p.hcl:1:28: path "a": invalid capability "scan" (expected one of create, read, update, patch, delete, list, sudo, deny, subscribe, recover)"`,
    );
    expect(errorOf('path "a" { pagination_limit = 5 }', 'vault')).toMatchInlineSnapshot(
      `"POLICY_INVALID p.hcl:1:12: path "a": invalid key "pagination_limit" (not valid for vault)"`,
    );
  });
});

describe('parsePolicy: errors name file, line and column', () => {
  it.each([
    ['unknown capability', 'path "a" {\n  capabilities = ["read", "reed"]\n}'],
    ['"*" is not a capability', 'path "a" { capabilities = ["*"] }'],
    ['root is not a policy capability', 'path "a" { capabilities = ["root"] }'],
    ['+* is forbidden', 'path "secret/+*" { capabilities = ["read"] }'],
    ['unknown path key', 'path "a" {\n  capability = ["read"]\n}'],
    ['unknown top-level key', 'paths "a" { capabilities = ["read"] }'],
    ['bad legacy policy', 'path "a" { policy = "admin" }'],
    ['capabilities not a list', 'path "a" { capabilities = "read" }'],
    [
      'max below min wrapping TTL',
      'path "a" {\n  capabilities = ["read"]\n  min_wrapping_ttl = "1h"\n  max_wrapping_ttl = "10m"\n}',
    ],
    ['bad duration', 'path "a" { max_wrapping_ttl = "soon" }'],
    ['unterminated string', 'path "a {\n}'],
    ['missing brace', 'path "a" {\n  capabilities = ["read"]\n'],
    ['missing comma in list', 'path "a" { capabilities = ["read" "list"] }'],
    ['stray character', 'path "a" { capabilities = ["read"] } ;'],
    ['bad JSON', '{ "path": { "a": { "capabilities": ["read"], } }'],
  ])('%s', (_name, text) => {
    expect(errorOf(text)).toMatchSnapshot();
  });

  it('an unterminated heredoc points at its << (line and column of the opening, never a negative column)', () => {
    const err = (() => {
      try {
        parsePolicy('path "a" {\n  capabilities = ["read"]\n  x = <<EOF\nabc\n', { name: 'h', file: 'h.hcl' });
      } catch (e) {
        return e;
      }
    })();
    expect(isSvmError(err) && err.location).toEqual({ file: 'h.hcl', line: 3, column: 7 });
    expect(isSvmError(err) && err.message).toBe('heredoc not terminated: expected a line "EOF"');
  });

  it('accepts a `*` in the middle of a path (a literal character, as in Vault)', () => {
    expect(parse('path "secret/*/foo" { capabilities = ["read"] }').rules[0]?.path).toBe('secret/*/foo');
  });
});

describe('parsePolicy: fuzzing', () => {
  const assertTypedOrOk = (text: string): void => {
    try {
      parsePolicy(text, { name: 'fuzz' });
    } catch (e) {
      if (!isSvmError(e) || e.code !== 'POLICY_INVALID' || e.location.line === undefined) throw e;
      if (e.location.line < 1 || (e.location.column !== undefined && e.location.column < 1))
        throw new Error(`bad position ${e.location.line}:${e.location.column}`);
    }
  };

  it('never throws anything but a located POLICY_INVALID on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => assertTypedOrOk(s)),
      { numRuns: 3000 },
    );
  });

  it('never throws anything but a located POLICY_INVALID on token soup', () => {
    const tokens = [
      'path',
      '"a/+/b*"',
      '"x"',
      '{',
      '}',
      '[',
      ']',
      '=',
      ':',
      ',',
      'capabilities',
      '"read"',
      '"deny"',
      '1',
      '-2.5e3',
      '0x1F',
      'true',
      'null',
      '# c\n',
      '/*',
      '*/',
      '<<EOF\n',
      'EOF\n',
      '\n',
      '"${a}"',
      'policy',
      'allowed_parameters',
      '"\\u00e9"',
      '"\\q"',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 40 }), (parts) => assertTypedOrOk(parts.join(' '))),
      { numRuns: 3000 },
    );
  });

  it('survives deep nesting with a typed error instead of a stack overflow', () => {
    expect(() => parse(`path "a" { x = ${'['.repeat(5000)} }`)).toThrowError(/nesting deeper than/);
  });
});
