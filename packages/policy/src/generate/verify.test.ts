import { Requirements } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { generateConfig } from './plan.js';
import { renderTargets } from './targets.js';
import { verifyGeneratedConfig } from './verify.js';

const requirements = Requirements.parse({
  applications: [
    { name: 'web', auth: [{ method: 'approle' }], secrets: [{ kind: 'kv', path: 'config', access: ['read'] }] },
    { name: 'api', auth: [{ method: 'approle' }], secrets: [{ kind: 'kv', path: 'keys', access: ['read'] }] },
  ],
});

describe('verifyGeneratedConfig', () => {
  it('proves generated policies least-privilege: own requests allowed, the neighbours denied', () => {
    const config = generateConfig(requirements);
    const check = verifyGeneratedConfig(config, renderTargets(config, ['hcl']));
    expect(check).toMatchObject({ ok: true, wrong: 0, invalid: 0, serious: 0 });
    expect(check.allowed).toBeGreaterThan(0);
    expect(check.denied).toBeGreaterThanOrEqual(config.policies.length);
  });

  it('counts a policy that grants too much as wrong', () => {
    const config = generateConfig(requirements);
    const first = config.policies[0];
    if (!first) throw new Error('no policy');
    const loose = {
      ...config,
      policies: [{ ...first, hcl: 'path "*" {\n  capabilities = ["read"]\n}\n' }, ...config.policies.slice(1)],
    };
    const check = verifyGeneratedConfig(loose, renderTargets(loose, ['hcl']));
    expect(check.wrong).toBeGreaterThan(0);
    expect(check.ok).toBe(false);
  });
});
