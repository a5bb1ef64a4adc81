import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../parse/parse-policy.js';
import { policyTour, policyTourBrief } from './tour.js';

const pol = (name: string, text: string) => parsePolicy(text, { name });

describe('policyTour', () => {
  const policies = [
    pol('admin-only', 'path "sys/*" { capabilities = ["read"] }'),
    pol(
      'web',
      'path "secret/data/web/+/config" { capabilities = ["read"] }\npath "secret/data/web/prod/*" { capabilities = ["deny"] }',
    ),
  ];

  it('takes the first policy that reads something, a sample read, its neighbour and a sys/ write', () => {
    const { subject, lines } = policyTour(policies);
    expect(subject?.name).toBe('web');
    expect(lines).toEqual([
      '  read secret/data/web/prod/config: denied by "secret/data/web/prod/*" (explicit deny beats the broader rule)',
      '  read secret/data/web-other/prod/config: denied (no rule matches: deny by default)',
      '  update sys/policies/acl/admin: denied (no rule matches: deny by default)',
    ]);
  });

  it('uses the preferred policy and the given requests when that policy is loaded', () => {
    const { subject, lines } = policyTour(policies, { prefer: 'admin-only', requests: ['sys/mounts'] });
    expect(subject?.name).toBe('admin-only');
    expect(lines[0]).toBe('  read sys/mounts: allowed by "sys/*"');
    expect(policyTour(policies, { prefer: 'missing', requests: ['x'] }).subject?.name).toBe('web');
    expect(policyTour([])).toEqual({ subject: undefined, lines: [] });
  });
});

describe('policyTourBrief', () => {
  const policies = [
    parsePolicy('path "sys/*" { capabilities = ["read"] }', { name: 'admin-only' }),
    parsePolicy('path "secret/data/web/+/config" { capabilities = ["read"] }', { name: 'web' }),
  ];

  it('heads the tour with what was loaded and the policy the token holds', () => {
    const lines = policyTourBrief(policies, { from: 'policies/' });
    expect(lines?.[0]).toBe('2 policies from policies/; a token holding "web" (1 rule):');
    expect(lines?.slice(1)).toEqual(policyTour(policies).lines);
    expect(policyTourBrief(policies.slice(0, 1), { from: 'x', prefer: 'admin-only' })?.[0]).toBe(
      '1 policy from x; a token holding "admin-only" (1 rule):',
    );
    expect(policyTourBrief([], { from: 'empty/' })).toBeUndefined();
  });
});
