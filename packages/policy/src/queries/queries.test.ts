import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../parse/parse-policy.js';
import { DEFAULT_POLICY_HCL } from '../engine/default-policy.js';
import { diffPolicies } from './diff.js';
import { whoCan, whoCanRoles } from './who-can.js';
import type { GeneratedRole } from '../generate/types.js';

const pol = (name: string, text: string) => parsePolicy(text, { name });

describe('whoCan', () => {
  const policies = [
    pol('reader', 'path "secret/data/*" { capabilities = ["read"] }'),
    pol('writer', 'path "secret/data/app/*" { capabilities = ["create", "update"] }'),
    pol('denier', 'path "secret/*" { capabilities = ["deny"] }'),
  ];
  it('evaluates each policy alone and lists the allowed ones first', () => {
    const r = whoCan(policies, { path: 'secret/data/app/x', operation: 'read' });
    expect(r.map((e) => [e.policy, e.allowed, e.decidedBy?.pattern ?? null])).toEqual([
      ['reader', true, 'secret/data/*'],
      ['denier', false, 'secret/*'],
      ['writer', false, 'secret/data/app/*'],
    ]);
  });
  it('can evaluate every policy together with the default policy', () => {
    const r = whoCan(
      policies,
      { path: 'auth/token/lookup-self', operation: 'read' },
      { alongWith: [pol('default', DEFAULT_POLICY_HCL)] },
    );
    expect(r.every((e) => e.allowed)).toBe(true);
  });
});

describe('diffPolicies', () => {
  it('reports capabilities added and removed per path', () => {
    const before = [pol('a', 'path "secret/data/*" { capabilities = ["read", "list"] }')];
    const after = [
      pol(
        'a',
        'path "secret/data/*" { capabilities = ["read"] }\npath "secret/data/new" { capabilities = ["read", "update"] }',
      ),
    ];
    expect(diffPolicies(before, after, ['secret/data/x', 'secret/data/new', 'other', 'secret/data/x'])).toEqual([
      { path: 'secret/data/x', before: ['list', 'read'], after: ['read'], added: [], removed: ['list'] },
      {
        path: 'secret/data/new',
        before: ['list', 'read'],
        after: ['read', 'update'],
        added: ['update'],
        removed: ['list'],
      },
      { path: 'other', before: ['deny'], after: ['deny'], added: [], removed: [] },
    ]);
  });
});

describe('whoCanRoles', () => {
  const role = (name: string, body: Record<string, unknown>): GeneratedRole =>
    ({
      app: 'app',
      environment: 'prod',
      method: 'kubernetes',
      mount: 'kubernetes',
      name,
      namespace: undefined,
      body,
    }) as GeneratedRole;
  const policies = [pol('reader', 'path "secret/data/*" { capabilities = ["read"] }')];
  it('evaluates each role with all its token policies and the default policy, naming missing ones', () => {
    const r = whoCanRoles(
      [
        role('a', { token_policies: ['reader', 'ghost'] }),
        role('b', { token_policies: ['ghost'] }),
        role('c', { token_policies: [], token_no_default_policy: true }),
      ],
      policies,
      { path: 'secret/data/x', operation: 'read' },
    );
    expect(r.map((e) => [e.role, e.allowed, e.missing])).toEqual([
      ['auth/kubernetes/role/a', true, ['ghost']],
      ['auth/kubernetes/role/b', false, ['ghost']],
      ['auth/kubernetes/role/c', false, []],
    ]);
    expect(r[0]?.decidedBy).toMatchObject({ policy: 'reader', pattern: 'secret/data/*' });
  });
  it('gives every role the built-in default policy unless token_no_default_policy is set', () => {
    const req = { path: 'auth/token/lookup-self', operation: 'read' as const };
    expect(whoCanRoles([role('a', { token_policies: [] })], [], req)[0]?.allowed).toBe(true);
    expect(whoCanRoles([role('a', { token_policies: [], token_no_default_policy: true })], [], req)[0]?.allowed).toBe(
      false,
    );
  });
});
