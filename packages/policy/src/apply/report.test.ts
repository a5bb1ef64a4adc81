import { describe, expect, it } from 'vitest';
import type { ApplyPlan } from './apply.js';
import { applyDocument, renderApplyText, vaultConnection } from './report.js';

describe('vaultConnection', () => {
  it('takes the flag, then VAULT_*, then BAO_*', () => {
    expect(vaultConnection({ BAO_ADDR: 'http://b:8200', BAO_TOKEN: 't', BAO_NAMESPACE: 'ns' })).toEqual({
      address: 'http://b:8200',
      token: 't',
      namespace: 'ns',
    });
    expect(
      vaultConnection({ VAULT_ADDR: 'http://v', VAULT_TOKEN: 't' }, { address: 'https://x', namespace: 'n' }),
    ).toEqual({ address: 'https://x', token: 't', namespace: 'n' });
  });

  it('refuses a missing or non-http address and a missing token', () => {
    expect(() => vaultConnection({})).toThrow('no server address');
    expect(() => vaultConnection({ VAULT_ADDR: 'ftp://x' })).toThrow('--address must be an http(s) URL, got "ftp://x"');
    expect(() => vaultConnection({ VAULT_ADDR: 'http://x' })).toThrow(
      expect.objectContaining({ code: 'CREDENTIALS_MISSING' }),
    );
  });
});

describe('apply document and text', () => {
  const plan: ApplyPlan = {
    summary: { create: 1, update: 1, unchanged: 1 },
    items: [
      {
        action: 'create',
        request: { kind: 'policy', method: 'PUT', path: 'sys/policies/acl/web', body: {} },
        changes: [],
        textDiff: [],
      },
      {
        action: 'update',
        request: { kind: 'role', method: 'POST', path: 'auth/approle/role/web', body: {}, authMethod: 'approle' },
        changes: [{ field: 'token_ttl', from: undefined, to: 3600 }],
        textDiff: [],
      },
      {
        action: 'unchanged',
        request: { kind: 'policy', method: 'PUT', path: 'sys/policies/acl/db', body: {}, namespace: 'team' },
        changes: [],
        textDiff: [],
      },
    ],
  } as unknown as ApplyPlan;

  it('lists every object and what was written', () => {
    const doc = applyDocument(plan, { address: 'http://v', dryRun: false, written: 2 });
    expect(doc.items.map((i) => [i.action, i.kind, i.path])).toEqual([
      ['create', 'policy', 'sys/policies/acl/web'],
      ['update', 'role', 'auth/approle/role/web'],
      ['unchanged', 'policy', 'sys/policies/acl/db'],
    ]);
    expect(renderApplyText(plan, doc)).toBe(
      [
        'Plan against http://v: 1 to create, 1 to update, 1 unchanged.',
        '  + policy sys/policies/acl/web',
        '  ~ approle role auth/approle/role/web',
        '      token_ttl: (unset) → 3600',
        '  = policy sys/policies/acl/db (namespace team)',
        'Applied: 2 writes.',
      ].join('\n'),
    );
    expect(renderApplyText(plan, { ...doc, dryRun: true }).endsWith('Dry run: nothing written.')).toBe(true);
  });
});
