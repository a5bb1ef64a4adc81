import { type Operation, type Policy, fixedClock } from '@svm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GenRule, pathArb, policySetArb, toHcl } from '../../test/arbitraries.ts';
import { naiveCapabilities } from '../../test/naive-acl.ts';
import { parsePolicy } from '../parse/parse-policy.js';
import { type CompileOptions, compilePolicies } from './compile.js';
import { DEFAULT_POLICY_HCL, defaultPolicyHcl } from './default-policy.js';
import { capabilities, evaluate, explain } from './evaluate.js';

const pol = (name: string, text: string): Policy => parsePolicy(text, { name, file: `${name}.hcl` });
const acl = (text: string, options?: CompileOptions) => compilePolicies([pol('p', text)], options);
const caps = (text: string, path: string, options?: CompileOptions) => capabilities(acl(text, options), path);
const allowed = (
  text: string,
  path: string,
  operation: Operation,
  extra: { data?: Record<string, unknown>; wrapTtl?: number } = {},
  options?: CompileOptions,
) => evaluate(acl(text, options), { path, operation, ...extra }).allowed;
const block = (path: string, capsList: string[], extra = '') =>
  `path "${path}" {\n  capabilities = ${JSON.stringify(capsList)}\n${extra}}\n`;

describe('path matching', () => {
  it('exact patterns match only that string', () => {
    const t = block('secret/foo', ['read']);
    expect([caps(t, 'secret/foo'), caps(t, 'secret/foo/'), caps(t, 'secret/food')]).toEqual([
      ['read'],
      ['read'],
      ['deny'],
    ]);
    // secret/foo/ gets read only through LIST's trailing-slash fallback; a READ of it does not.
    expect(allowed(t, 'secret/foo/', 'read')).toBe(false);
  });

  it('a trailing * is a prefix glob: dev/* matches dev/ and anything below, not dev', () => {
    const t = block('dev/*', ['list']) + block('secret/zip-*', ['read']);
    expect(caps(t, 'dev/')).toEqual(['list']);
    expect(caps(t, 'dev/a/b')).toEqual(['list']);
    expect(caps(t, 'dev')).toEqual(['deny']);
    expect(caps(t, 'secret/zip-zap/zong')).toEqual(['read']);
  });

  it('a * elsewhere is a literal character', () => {
    const t = block('secret/*/foo', ['read']);
    expect(caps(t, 'secret/x/foo')).toEqual(['deny']);
    expect(caps(t, 'secret/*/foo')).toEqual(['read']);
  });

  it('+ matches exactly one segment, including an empty one', () => {
    const t = block('a/+/c', ['read']);
    expect(caps(t, 'a/b/c')).toEqual(['read']);
    expect(caps(t, 'a//c')).toEqual(['read']);
    expect(caps(t, 'a/b/x/c')).toEqual(['deny']);
    expect(caps(t, 'a/b/c/d')).toEqual(['deny']);
  });

  it('a trailing / in a + pattern is one more (empty) segment', () => {
    const t = block('a/+/', ['read']);
    expect(allowed(t, 'a/x/', 'read')).toBe(true);
    expect(allowed(t, 'a/x', 'read')).toBe(false);
  });

  it('+ with a trailing * prefix-matches the last pattern segment and accepts any further segments', () => {
    const t = block('foo/+/ba*', ['read']);
    expect(caps(t, 'foo/x/bar/anything')).toEqual(['read']);
    expect(caps(t, 'foo/x/bar')).toEqual(['read']);
    expect(caps(t, 'foo/x/b')).toEqual(['deny']);
    expect(caps(t, 'foo/x')).toEqual(['deny']);
  });

  it('a + inside a segment makes a + pattern whose other segments compare literally (OpenBao 2.7.2 sys/capabilities)', () => {
    // Answers recorded from OpenBao 2.7.2 for this exact policy.
    const t =
      block('lit/+bar', ['read']) +
      block('+/b/+a/c', ['update']) +
      block('x/+y/z*', ['list']) +
      block('q/+/+r*', ['create']);
    const got = Object.fromEntries(
      [
        'lit/+bar',
        'lit/xbar',
        'lit/+bar/',
        'a/b/+a/c',
        'a/b/xa/c',
        'x/+y/z',
        'x/+y/zzz/k',
        'x/+y/',
        'q/a/+rr/s',
        'q/a/+r',
        'q/a/r',
      ].map((p) => [p, caps(t, p)]),
    );
    expect(got).toEqual({
      'lit/+bar': ['read'],
      'lit/xbar': ['deny'],
      'lit/+bar/': ['read'],
      'a/b/+a/c': ['update'],
      'a/b/xa/c': ['deny'],
      'x/+y/z': ['list'],
      'x/+y/zzz/k': ['list'],
      'x/+y/': ['deny'],
      'q/a/+rr/s': ['create'],
      'q/a/+r': ['create'],
      'q/a/r': ['deny'],
    });
    expect(evaluate(acl(t), { path: 'a/b/+a/c', operation: 'update' }).decidedBy?.pattern).toBe('+/b/+a/c');
  });

  it('strips leading slashes from the request path', () => {
    expect(caps(block('secret/a', ['read']), '//secret/a')).toEqual(['read']);
  });
});

describe('priority between matching rules (Vault docs and acl.go comments)', () => {
  it.each([
    ['secret/*', 'secret/+/+/foo/*', 'secret/a/b/foo/c', 'secret/*'],
    ['foo/a*', 'foo/+', 'foo/ab', 'foo/a*'],
    ['foo/bar/+/baz', 'foo/+/bar/baz', 'foo/bar/bar/baz', 'foo/bar/+/baz'],
    ['foo/+/bar', 'foo/+/ba*', 'foo/x/bar', 'foo/+/bar'],
    ['foo/+', 'foo/*', 'foo/x', 'foo/+'],
    ['foo/bar/+/baz', 'foo/+/+/baz', 'foo/bar/x/baz', 'foo/bar/+/baz'],
    ['foo/+/bar/ba*', 'foo/+/bar/b*', 'foo/x/bar/baz', 'foo/+/bar/ba*'],
    ['secret/app/*', 'secret/*', 'secret/app/x', 'secret/app/*'],
  ])('%s vs %s on %s: %s wins', (p1, p2, path, winner) => {
    for (const order of [
      [p1, p2],
      [p2, p1],
    ]) {
      const text = order.map((p, i) => block(p, [i === 0 ? 'read' : 'list'])).join('');
      const d = evaluate(acl(text), { path, operation: 'read' });
      expect(d.decidedBy?.pattern).toBe(winner);
    }
  });

  it('losing candidates add nothing: secret/* [read] + secret/app/* [list] gives only list on secret/app/x', () => {
    const text = block('secret/*', ['read']) + block('secret/app/*', ['list']);
    expect(caps(text, 'secret/app/x')).toEqual(['list']);
    expect(allowed(text, 'secret/app/x', 'read')).toBe(false);
    const e = explain(acl(text), { path: 'secret/app/x', operation: 'read' });
    expect(e.explanation.candidates.map((c) => [c.pattern, c.outcome])).toEqual([
      ['secret/*', 'lost'],
      ['secret/app/*', 'decided'],
    ]);
    expect(e.explanation.candidates[0]?.why).toMatch(/only the longest matching \* prefix/);
  });

  it('an exact rule beats a prefix deny (Vault test: sys/seal sudo vs sys/* deny)', () => {
    const text = block('sys/*', ['deny']) + block('sys/seal', ['sudo', 'update']);
    expect(caps(text, 'sys/seal')).toEqual(['sudo', 'update']);
    expect(caps(text, 'sys/mounts')).toEqual(['deny']);
    const e = explain(acl(text), { path: 'sys/seal', operation: 'update' });
    expect(e.allowed).toBe(true);
    expect(e.explanation.candidates.find((c) => c.pattern === 'sys/*')?.why).toMatch(/exact rule .* always wins/);
  });

  it('a more specific allow under a denied prefix wins (OpenBao ListScanWildcardDeny)', () => {
    const text = block('foo/metadata/private/*', ['deny']) + block('foo/metadata/private/granted/*', ['list']);
    expect(caps(text, 'foo/metadata/private/granted/x/')).toEqual(['list']);
    expect(caps(text, 'foo/metadata/private/other/')).toEqual(['deny']);
  });
});

describe('LIST lookup order and flavors', () => {
  it('LIST falls back to the exact rule without the trailing slash', () => {
    const text = block('secret/metadata/app', ['list']);
    expect(allowed(text, 'secret/metadata/app/', 'list')).toBe(true);
    expect(evaluate(acl(text), { path: 'secret/metadata/app/', operation: 'list' }).step).toBe('exact-trimmed');
  });

  it('LIST with + rules works on the path without its slash (+/sys/policies/acl)', () => {
    expect(allowed(block('+/sys/policies/acl', ['list']), 'ns1/sys/policies/acl/', 'list')).toBe(true);
  });

  it('vault tries the non-exact lookup without the trailing slash first; openbao with it', () => {
    const text = block('foo*', ['read']) + block('foo/*', ['list']);
    expect(caps(text, 'foo/', { flavor: 'vault' })).toEqual(['read']);
    expect(caps(text, 'foo/', { flavor: 'openbao' })).toEqual(['list']);
  });
});

describe('explain', () => {
  it('shows every LIST step in the flavor order and marks rules of later steps as not reached', () => {
    const text = block('foo*', ['read']) + block('foo/*', ['list']);
    const vault = explain(acl(text), { path: 'foo/', operation: 'list' });
    expect(vault.explanation.steps).toEqual([
      { step: 'exact', lookupPath: 'foo/', matched: null },
      { step: 'exact-trimmed', lookupPath: 'foo', matched: null },
      { step: 'non-exact-trimmed', lookupPath: 'foo', matched: 'foo*' },
      { step: 'non-exact', lookupPath: 'foo/', matched: null },
    ]);
    expect(vault.explanation.candidates.map((c) => [c.pattern, c.outcome])).toEqual([
      ['foo*', 'decided'],
      ['foo/*', 'not-reached'],
    ]);
    expect(vault.allowed).toBe(false);
    const bao = explain(acl(text, { flavor: 'openbao' }), { path: 'foo/', operation: 'list' });
    expect(bao.explanation.steps.map((s) => s.step)).toEqual([
      'exact',
      'exact-trimmed',
      'non-exact',
      'non-exact-trimmed',
    ]);
    expect(bao.allowed).toBe(true);
    expect(bao.decidedBy).toMatchObject({ policy: 'p', pattern: 'foo/*' });
  });

  it('says why a + rule lost to a more specific one', () => {
    const e = explain(acl(block('secret/+/config', ['read']) + block('secret/app/+', ['update'])), {
      path: 'secret/app/config',
      operation: 'read',
    });
    expect(e.decidedBy?.pattern).toBe('secret/app/+');
    expect(e.explanation.candidates.find((c) => c.pattern === 'secret/+/config')?.why).toBe(
      'lower priority than "secret/app/+": its first wildcard is at position 7, earlier than 11 in the winner; its capabilities are not added',
    );
  });
});

describe('capabilities in evaluate() results are what sys/capabilities says for the path, whatever the operation', () => {
  it('issue 10: an exact rule on secret/metadata/app gives ["list"] for secret/metadata/app/ (OpenBao 2.7.2 says ["list"])', () => {
    const c = acl(block('secret/metadata/app', ['list']));
    for (const operation of ['read', 'update', 'delete', 'list', 'help'] as const) {
      const d = evaluate(c, { path: 'secret/metadata/app/', operation });
      expect(d.capabilities, operation).toEqual(['list']);
    }
    // A READ of the slashed path gets no LIST fallback, so nothing decides it.
    expect(evaluate(c, { path: 'secret/metadata/app/', operation: 'read' }).decidedBy).toBeNull();
    // LIST of the path without its slash: sys/capabilities on that path, the rule's own capabilities in decidedBy.
    const l = evaluate(acl(block('secret/metadata/app/*', ['read'])), {
      path: 'secret/metadata/app',
      operation: 'list',
    });
    expect(l.capabilities).toEqual(['deny']);
    expect(l.decidedBy).toMatchObject({ policy: 'p', pattern: 'secret/metadata/app/*', capabilities: ['read'] });
  });
});

describe('merging blocks with the same pattern', () => {
  it('unions capabilities across policies and names the granting policy', () => {
    const a = compilePolicies([pol('a', block('s/*', ['read'])), pol('b', block('s/*', ['update']))]);
    expect(capabilities(a, 's/x')).toEqual(['read', 'update']);
    expect(evaluate(a, { path: 's/x', operation: 'update' }).decidedBy).toMatchObject({
      policy: 'b',
      pattern: 's/*',
      capabilities: ['read', 'update'],
    });
  });

  it('deny wins whichever comes first, and only for that pattern', () => {
    for (const order of [
      ['a', 'b'],
      ['b', 'a'],
    ]) {
      const texts: Record<string, string> = {
        a: block('s/*', ['read', 'list']),
        b: block('s/*', ['deny']) + block('s/x/*', ['read']),
      };
      const c = compilePolicies(order.map((n) => pol(n, texts[n] as string)));
      expect(capabilities(c, 's/y')).toEqual(['deny']);
      expect(capabilities(c, 's/x/1')).toEqual(['read']);
      expect(evaluate(c, { path: 's/y', operation: 'read' }).decidedBy).toMatchObject({
        policy: 'b',
        pattern: 's/*',
        capabilities: ['deny'],
      });
    }
  });

  it('the same pattern twice in one policy merges like two policies', () => {
    expect(caps(block('a', ['read']) + block('a', ['list']), 'a')).toEqual(['list', 'read']);
  });

  it('deny clears the merged parameters', () => {
    const c = compilePolicies([
      pol('a', block('s', ['deny'])),
      pol('b', block('s', ['update'], '  allowed_parameters = { "x" = [] }\n')),
    ]);
    expect(c.exact.get('s')?.allowedParameters).toBeNull();
  });

  it('wrapping TTLs: the smaller non-zero value wins for both min and max; max < min after merging denies', () => {
    const c = compilePolicies([
      pol('a', block('w', ['read'], '  min_wrapping_ttl = 100\n  max_wrapping_ttl = 1000\n')),
      pol('b', block('w', ['read'], '  min_wrapping_ttl = 50\n  max_wrapping_ttl = 300\n')),
    ]);
    expect([c.exact.get('w')?.minWrappingTtl, c.exact.get('w')?.maxWrappingTtl]).toEqual([50, 300]);
    const conflict = compilePolicies([
      pol('a', block('w', ['read'], '  min_wrapping_ttl = 500\n')),
      pol('b', block('w', ['read'], '  max_wrapping_ttl = 300\n')),
    ]);
    expect(evaluate(conflict, { path: 'w', operation: 'read', wrapTtl: 400 }).reason).toBe('wrapping-ttl-too-long');
    expect(evaluate(conflict, { path: 'w', operation: 'read', wrapTtl: 200 }).reason).toBe('wrapping-ttl-too-short');
  });

  it('parameter lists: an empty list wins, otherwise the new values come first; required parameters are unioned', () => {
    const c = compilePolicies([
      pol(
        'a',
        block('p', ['update'], '  allowed_parameters = { "x" = ["1"], "y" = [] }\n  required_parameters = ["x"]\n'),
      ),
      pol(
        'b',
        block(
          'p',
          ['update'],
          '  allowed_parameters = { "X" = ["2"], "y" = ["3"] }\n  required_parameters = ["x", "z"]\n',
        ),
      ),
    ]);
    const e = c.exact.get('p');
    expect(Object.fromEntries(e?.allowedParameters ?? [])).toEqual({ x: ['2', '1'], y: [] });
    expect(e?.requiredParameters).toEqual(['x', 'z']);
  });
});

describe('operations and capabilities', () => {
  const t = block('s/*', ['update']) + block('r/*', ['read', 'sudo']);
  it.each([
    ['revoke', 's/x', true],
    ['renew', 's/x', true],
    ['rollback', 's/x', true],
    ['update', 's/x', true],
    ['create', 's/x', false],
    ['read', 'r/x', true],
    ['delete', 'r/x', false],
    ['help', 'nothing/here', true],
    ['scan', 'r/x', false],
    ['recover', 'r/x', false],
  ] as const)('%s on %s: %s', (op, path, expected) => {
    expect(allowed(t, path, op)).toBe(expected);
  });

  it('reports sudo even when the operation is refused', () => {
    const d = evaluate(acl(t), { path: 'r/x', operation: 'delete' });
    expect([d.allowed, d.sudo, d.reason]).toEqual([false, true, 'missing-capability']);
  });

  it('refusal messages, cached per rule and operation, name the operation asked for each time', () => {
    const compiled = acl(t);
    const del = () => evaluate(compiled, { path: 'r/x', operation: 'delete' }).message;
    const renew = () => evaluate(compiled, { path: 'r/x', operation: 'renew' }).message;
    expect([del(), del()]).toEqual([
      '"r/*" does not grant delete (only read, sudo)',
      '"r/*" does not grant delete (only read, sudo)',
    ]);
    expect([renew(), renew()]).toEqual([
      '"r/*" does not grant update (only read, sudo)',
      '"r/*" does not grant update (only read, sudo)',
    ]);
    expect(evaluate(compiled, { path: 'r/x', operation: 'delete' }).decidedBy).toMatchObject({
      policy: 'p',
      pattern: 'r/*',
      file: 'p.hcl',
    });
  });

  it('scan is OpenBao only; recover is Vault only', () => {
    expect(allowed(block('a', ['scan']), 'a', 'scan', {}, { flavor: 'openbao' })).toBe(true);
    expect(allowed(block('a', ['recover']), 'a', 'recover', {}, { flavor: 'vault' })).toBe(true);
    expect(() => acl(block('a', ['scan']), { flavor: 'vault' })).toThrowError(/invalid capability "scan" for vault/);
  });

  it('legacy policy values map to capabilities and add to the list; write has no patch; deny overrides', () => {
    expect(caps('path "a" { policy = "read" \n capabilities = ["update", "sudo"] }', 'a')).toEqual([
      'list',
      'read',
      'sudo',
      'update',
    ]);
    expect(caps('path "a" { policy = "write" }', 'a')).toEqual(['create', 'delete', 'list', 'read', 'update']);
    expect(caps('path "a" { policy = "sudo" }', 'a')).toEqual(['create', 'delete', 'list', 'read', 'sudo', 'update']);
    expect(caps('path "a" { policy = "deny" \n capabilities = ["read"] }', 'a')).toEqual(['deny']);
  });

  it('deny in a block drops its other capabilities', () => {
    expect(caps(block('a', ['read', 'deny', 'list']), 'a')).toEqual(['deny']);
  });

  it('an empty capability list still wins the lookup (and grants nothing)', () => {
    expect(caps(block('a/*', ['read']) + block('a/b', []), 'a/b')).toEqual(['deny']);
  });
});

describe('parameter checks (read, create, update, patch only)', () => {
  const t = block(
    'p/*',
    ['create', 'update', 'read', 'list', 'delete'],
    '  required_parameters = ["name"]\n  allowed_parameters = { "name" = [] , "env" = ["dev-*", "*-test", "*mid*", "exact"], "n" = [1, 2] }\n  denied_parameters = { "env" = ["dev-secret"] }\n',
  );
  it.each([
    [{ name: 'a' }, true],
    [{}, false],
    [{ name: 'a', env: 'dev-1' }, true],
    [{ name: 'a', env: 'x-test' }, true],
    [{ name: 'a', env: 'amidb' }, true],
    [{ name: 'a', env: 'exact' }, true],
    [{ name: 'a', env: 'exactly' }, false],
    [{ name: 'a', env: 'dev-secret' }, false],
    [{ name: 'a', other: 1 }, false],
    [{ name: 'a', n: 2 }, true],
    [{ name: 'a', n: 3 }, false],
    [{ NAME: 'a' }, false],
    [{ name: 'a', ENV: 'dev-1' }, true],
  ])('update with %j: %s', (data, expected) => {
    expect(allowed(t, 'p/x', 'update', { data })).toBe(expected);
  });

  it('does not check parameters on list and delete', () => {
    expect(allowed(t, 'p/x', 'delete', { data: { other: 1 } })).toBe(true);
    expect(allowed(t, 'p/x', 'list', { data: { other: 1 } })).toBe(true);
  });

  it('a denied "*" refuses any data; an allowed "*" alone allows any', () => {
    expect(
      allowed(block('a', ['update'], '  denied_parameters = { "*" = [] }\n'), 'a', 'update', { data: { x: 1 } }),
    ).toBe(false);
    expect(allowed(block('a', ['update'], '  denied_parameters = { "*" = [] }\n'), 'a', 'update')).toBe(true);
    expect(
      allowed(block('a', ['update'], '  allowed_parameters = { "*" = [] }\n'), 'a', 'update', { data: { x: 1 } }),
    ).toBe(true);
    expect(
      allowed(block('a', ['update'], '  allowed_parameters = { "*" = [], "x" = ["1"] }\n'), 'a', 'update', {
        data: { x: '2' },
      }),
    ).toBe(false);
    expect(
      allowed(block('a', ['update'], '  allowed_parameters = { "*" = [], "x" = ["1"] }\n'), 'a', 'update', {
        data: { y: '2' },
      }),
    ).toBe(true);
  });

  it('vault (1.21+) matches list and comma-separated values element-wise; openbao and legacy mode match whole values', () => {
    const text = block(
      'auth/token/create',
      ['update'],
      '  allowed_parameters = { "policies" = ["web", "db"], "meta" = [] }\n  denied_parameters = { "meta" = ["bad"] }\n',
    );
    const list = { data: { policies: ['web', 'db'] } };
    const comma = { data: { policies: 'web, db' } };
    expect(allowed(text, 'auth/token/create', 'update', list, { flavor: 'vault' })).toBe(true);
    expect(allowed(text, 'auth/token/create', 'update', comma, { flavor: 'vault' })).toBe(true);
    expect(allowed(text, 'auth/token/create', 'update', list, { flavor: 'openbao' })).toBe(false);
    expect(
      allowed(text, 'auth/token/create', 'update', comma, { flavor: 'vault', legacyExactMatchingOnList: true }),
    ).toBe(false);
    expect(allowed(text, 'auth/token/create', 'update', { data: { meta: 'ok,bad' } }, { flavor: 'vault' })).toBe(false);
    expect(allowed(text, 'auth/token/create', 'update', { data: { meta: 'ok,bad' } }, { flavor: 'openbao' })).toBe(
      true,
    );
  });
});

describe('response wrapping', () => {
  it('max_wrapping_ttl alone forces wrapping', () => {
    const t = block('w', ['read'], '  max_wrapping_ttl = "5m"\n');
    expect(evaluate(acl(t), { path: 'w', operation: 'read' }).reason).toBe('wrapping-required');
    expect(allowed(t, 'w', 'read', { wrapTtl: 300 })).toBe(true);
    expect(allowed(t, 'w', 'read', { wrapTtl: 301 })).toBe(false);
  });
  it('min_wrapping_ttl needs a wrap of at least that long', () => {
    const t = block('w', ['read'], '  min_wrapping_ttl = 60\n');
    expect(allowed(t, 'w', 'read')).toBe(false);
    expect(allowed(t, 'w', 'read', { wrapTtl: 59 })).toBe(false);
    expect(allowed(t, 'w', 'read', { wrapTtl: 60 })).toBe(true);
  });
});

describe('root, default and templated policies', () => {
  it('root allows everything and must be alone', () => {
    const root = compilePolicies([{ name: 'root', rules: [] }]);
    expect(capabilities(root, 'anything')).toEqual(['root']);
    expect(evaluate(root, { path: 'sys/seal', operation: 'update' })).toMatchObject({ allowed: true, sudo: true });
    expect(() =>
      compilePolicies([
        { name: 'root', rules: [] },
        { name: 'x', rules: [] },
      ]),
    ).toThrowError('other policies present along with root');
  });

  it('the default policy grants what Vault documents; templated blocks need an identity', () => {
    const def = compilePolicies([pol('default', DEFAULT_POLICY_HCL)]);
    expect(capabilities(def, 'auth/token/lookup-self')).toEqual(['read']);
    expect(capabilities(def, 'cubbyhole/x')).toEqual(['create', 'delete', 'list', 'read', 'update']);
    expect(capabilities(def, 'identity/oidc/provider/p1/authorize')).toEqual(['read', 'update']);
    expect(capabilities(def, 'identity/entity/id/e1')).toEqual(['deny']);
    expect(def.skipped.map((s) => s.reason)).toEqual(['template-unresolved', 'template-unresolved']);
    const withId = compilePolicies([pol('default', DEFAULT_POLICY_HCL)], {
      identity: { entity: { id: 'e1', name: 'alice' } },
    });
    expect(capabilities(withId, 'identity/entity/id/e1')).toEqual(['read']);
    expect(capabilities(withId, 'identity/entity/name/alice')).toEqual(['read']);
    expect(defaultPolicyHcl('openbao')).not.toContain('control-group');
  });

  it('resolves alias and group templates, dropping the block when the alias is missing', () => {
    const t =
      block('kv/data/{{identity.entity.aliases.auth_jwt_1.name}}/*', ['read']) +
      block('kv/data/groups/{{identity.groups.names.ops.id}}/*', ['read']);
    const identity = {
      entity: { id: 'e', aliases: [{ mountAccessor: 'auth_jwt_1', name: 'bob' }] },
      groups: [{ id: 'g1', name: 'ops' }],
    };
    expect(caps(t, 'kv/data/bob/x', { identity })).toEqual(['read']);
    expect(caps(t, 'kv/data/groups/g1/x', { identity })).toEqual(['read']);
    expect(caps(t, 'kv/data/bob/x', { identity: { entity: { id: 'e' } } })).toEqual(['deny']);
  });

  it('ignores expired OpenBao paths', () => {
    const t = block('a', ['read'], '  expiration = "2026-01-01T00:00:00Z"\n');
    expect(caps(t, 'a', { flavor: 'openbao', clock: fixedClock('2025-12-31T00:00:00Z') })).toEqual(['read']);
    expect(caps(t, 'a', { flavor: 'openbao', clock: fixedClock('2026-01-02T00:00:00Z') })).toEqual(['deny']);
  });
});

describe('engine invariants (property-based)', () => {
  // Generated rules use OpenBao's `scan`; for Vault the same slot becomes `subscribe`.
  const build = (sets: GenRule[][], flavor: 'vault' | 'openbao' = 'openbao'): Policy[] =>
    sets.map((rules, i) =>
      pol(
        `p${i}`,
        toHcl(
          flavor === 'vault'
            ? rules.map((r) => ({ ...r, capabilities: r.capabilities.map((c) => (c === 'scan' ? 'subscribe' : c)) }))
            : rules,
        ),
      ),
    );
  const compileBao = (policies: Policy[]) => compilePolicies(policies, { flavor: 'openbao' });

  it('property: evaluate().capabilities equals capabilities() on the request path for every operation and flavor', () => {
    const ops: Operation[] = ['read', 'list', 'update', 'create', 'delete', 'patch', 'help'];
    fc.assert(
      fc.property(
        policySetArb,
        pathArb,
        fc.constantFrom(...ops),
        fc.constantFrom('vault' as const, 'openbao' as const),
        (sets, path, operation, flavor) => {
          const compiled = compilePolicies(build(sets, flavor), { flavor });
          const d = evaluate(compiled, { path, operation });
          expect(d.capabilities).toEqual(capabilities(compiled, path));
          // Without a trailing slash, every operation but LIST looks up the same rule as sys/capabilities.
          if (d.decidedBy && operation !== 'list' && !path.endsWith('/'))
            expect(d.decidedBy.capabilities).toEqual(d.capabilities);
        },
      ),
      { numRuns: 400 },
    );
  });
  it('capabilities() equals a naive linear transcription of vault/acl.go, for both flavors', () => {
    fc.assert(
      fc.property(
        policySetArb,
        fc.array(pathArb, { minLength: 1, maxLength: 10 }),
        fc.constantFrom('vault', 'openbao' as const),
        (sets, paths, flavor) => {
          const policies = build(sets, flavor);
          const compiled = compilePolicies(policies, { flavor });
          for (const path of paths)
            expect(capabilities(compiled, path)).toEqual(naiveCapabilities(policies, path, flavor));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('the order of policies does not change any answer', () => {
    fc.assert(
      fc.property(policySetArb, fc.array(pathArb, { minLength: 1, maxLength: 8 }), (sets, paths) => {
        const policies = build(sets);
        const a = compileBao(policies);
        const b = compileBao([...policies].reverse());
        for (const path of paths) expect(capabilities(b, path)).toEqual(capabilities(a, path));
      }),
      { numRuns: 500 },
    );
  });

  it('exactly one rule decides: the answer is that rule’s capabilities, never a union of patterns', () => {
    fc.assert(
      fc.property(policySetArb, pathArb, (sets, path) => {
        const compiled = compileBao(build(sets));
        const d = evaluate(compiled, { path, operation: 'list' });
        if (d.decidedBy) expect(d.decidedBy.capabilities).toEqual(capabilities(compiled, d.path));
        const e = explain(compiled, { path, operation: 'list' });
        expect(e.explanation.candidates.filter((c) => c.outcome === 'decided').length).toBe(d.decidedBy ? 1 : 0);
        if (d.decidedBy)
          expect(e.explanation.candidates.find((c) => c.outcome === 'decided')?.capabilities).toEqual(
            d.decidedBy.capabilities,
          );
      }),
      { numRuns: 500 },
    );
  });

  it('without a trailing slash, an operation is allowed exactly when capabilities() lists its capability', () => {
    fc.assert(
      fc.property(
        policySetArb,
        pathArb,
        fc.constantFrom('read', 'update', 'create', 'delete', 'list', 'patch' as const),
        (sets, rawPath, op) => {
          const path = rawPath.replace(/\/+$/, '') || 'a';
          const compiled = compileBao(build(sets));
          // LIST requests are looked up with a trailing slash, as Vault's HTTP layer sends them.
          expect(evaluate(compiled, { path, operation: op }).allowed).toBe(
            capabilities(compiled, op === 'list' ? `${path}/` : path).includes(op),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('sudo is reported exactly when the deciding rule has sudo, whatever the operation', () => {
    fc.assert(
      fc.property(policySetArb, pathArb, (sets, rawPath) => {
        const path = rawPath.replace(/\/+$/, '') || 'a';
        const compiled = compileBao(build(sets));
        expect(evaluate(compiled, { path, operation: 'delete' }).sudo).toBe(
          capabilities(compiled, path).includes('sudo'),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('decidedBy', () => {
  it("names the deciding policy's file and the block's position when the policy came from a file", () => {
    const a = parsePolicy('path "s/*" {\n  capabilities = ["read"]\n}\n', { name: 'a', file: 'policies/a.hcl' });
    const b = parsePolicy('# ops\n\npath "s/*" {\n  capabilities = ["update"]\n}\n', {
      name: 'b',
      file: 'policies/b.hcl',
    });
    const acl = compilePolicies([a, b]);
    expect(evaluate(acl, { path: 's/x', operation: 'update' }).decidedBy).toEqual({
      policy: 'b',
      pattern: 's/*',
      capabilities: ['read', 'update'],
      file: 'policies/b.hcl',
      position: { line: 3, column: 6 },
    });
    expect(evaluate(acl, { path: 's/x', operation: 'read' }).decidedBy).toEqual({
      policy: 'a',
      pattern: 's/*',
      capabilities: ['read', 'update'],
      file: 'policies/a.hcl',
      position: { line: 1, column: 6 },
    });
    expect(
      evaluate(compilePolicies([parsePolicy('path "s/*" { capabilities = ["read"] }', { name: 'c' })]), {
        path: 's/x',
        operation: 'read',
      }).decidedBy,
    ).toEqual({ policy: 'c', pattern: 's/*', capabilities: ['read'] });
  });
});
