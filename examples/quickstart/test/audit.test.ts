import { expect, it } from 'vitest';
import { runExample } from './run-example.ts';

it('runs the @svm/audit quick start as documented: every planted incident, no machine flagged at night', () => {
  const out = runExample('audit');
  const lines = out.trim().split('\n');
  expect(lines[0]).toBe('371 events, 0 malformed, 11 findings');
  const rules = lines.slice(1, 12).map((l) => l.split(/\s+/).slice(0, 3).join(' '));
  expect(rules).toEqual([
    'medium off-hours userpass-carol:',
    'medium new-source-ip userpass-alice:',
    'high failed-auth userpass-mallory:',
    'high root-token root:',
    'critical audit-device-change root:',
    'medium policy-change oidc-bob:',
    'medium secret-destroy oidc-bob:',
    'high long-ttl-token oidc-bob:',
    'medium denied-access oidc-dave:',
    'high bulk-read userpass-erin:',
    'medium volume-spike approle-billing:',
  ]);
  expect(out).not.toMatch(/approle-orders|kubernetes-prod-payments/);
  expect(lines[12]).toBe('# Audit log analysis');
});
