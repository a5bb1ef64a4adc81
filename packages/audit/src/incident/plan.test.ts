import fc from 'fast-check';
import { CredentialKind, IncidentPlan, IncidentSignal } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { classifyIncident, planIncident } from './plan.js';

const signals = fc.uniqueArray(fc.constantFrom(...IncidentSignal.options), { minLength: 1, maxLength: 4 });
const credential = fc.constantFrom(...CredentialKind.options);
const detectedAt = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true });

describe('classifyIncident', () => {
  it.each([
    [['public-repo-used'], 'P0'],
    [['public-repo'], 'P1'],
    [['internal-log'], 'P2'],
    [['expired-or-limited'], 'P3'],
    [['audit-log-gap'], 'P1'],
    [['failed-auth-unknown-source'], 'P2'],
    [['public-repo', 'non-production'], 'P2'],
    [['public-repo-used', 'expired-or-limited'], 'P3'],
    [['vault-node-compromised', 'non-production'], 'P0'],
    [['internal-log', 'public-repo'], 'P1'],
  ] as const)('%j → %s', (given, expected) => {
    expect(classifyIncident(given).severity).toBe(expected);
  });

  it('always answers P0 when Vault or KMS infrastructure is compromised', () => {
    fc.assert(
      fc.property(signals, fc.constantFrom('vault-node-compromised', 'kms-key-compromised' as const), (s, infra) => {
        expect(classifyIncident([...s, infra]).severity).toBe('P0');
      }),
    );
  });

  it('never rates a non-production leak above P2 without an infrastructure compromise', () => {
    fc.assert(
      fc.property(signals, (s) => {
        fc.pre(!s.includes('vault-node-compromised') && !s.includes('kms-key-compromised'));
        const { severity } = classifyIncident([...s, 'non-production']);
        expect(['P2', 'P3']).toContain(severity);
      }),
    );
  });
});

describe('planIncident', () => {
  it('produces a valid plan whose deadlines follow the phases and the response window', () => {
    fc.assert(
      fc.property(signals, credential, detectedAt, fc.boolean(), fc.boolean(), (s, c, t, regulated, customer) => {
        const plan = planIncident({
          signals: s,
          credential: c,
          detectedAt: t,
          regulatedData: regulated,
          customerData: customer,
        });
        IncidentPlan.parse(plan);
        expect(Date.parse(plan.respondBy) - t.getTime()).toBe(plan.responseWithinMinutes * 60_000);
        const order = ['contain', 'assess', 'recover', 'post-mortem'];
        for (let i = 1; i < plan.steps.length; i++) {
          const [a, b] = [plan.steps[i - 1], plan.steps[i]];
          expect(order.indexOf(b?.phase ?? '')).toBeGreaterThanOrEqual(order.indexOf(a?.phase ?? ''));
          expect(Date.parse(b?.due ?? '')).toBeGreaterThanOrEqual(Date.parse(a?.due ?? ''));
        }
        expect(plan.notify).toContain('the security team');
        expect(plan.notify.includes('compliance')).toBe(regulated);
        expect(plan.notify.includes('executives')).toBe(plan.severity === 'P0');
        expect(plan.seal.recommended).toBe(s.includes('vault-node-compromised'));
      }),
    );
  });

  it('puts the secret name into the commands', () => {
    const plan = planIncident({
      signals: ['public-repo'],
      credential: 'aws-secret',
      secret: 'prod/payments/stripe',
      detectedAt: new Date('2026-03-01T10:00:00Z'),
    });
    expect(plan.severity).toBe('P1');
    expect(plan.respondBy).toBe('2026-03-01T11:00:00.000Z');
    const revoke = plan.steps.find((s) => s.id === 'revoke');
    expect(revoke?.commands).toEqual([
      'svm incident contain --secret <store> prod/payments/stripe --since <exposure-start> --audit <audit-logs> --signal public-repo --execute',
      'aws secretsmanager rotate-secret --secret-id prod/payments/stripe --rotate-immediately',
    ]);
    expect(plan.steps.find((s) => s.id === 'blast-radius')?.commands).toEqual([
      'svm incident blast-radius --secret <store> prod/payments/stripe --since <exposure-start> --audit <audit-logs>',
    ]);
    expect(revoke?.due).toBe('2026-03-01T10:15:00.000Z');
  });
});
