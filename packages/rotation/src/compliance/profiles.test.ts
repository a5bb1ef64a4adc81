import type { InventoryItem } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { planRotations } from '../plan/plan.js';
import { cabfMaxValidityDays, profileIdOf } from './profiles.js';

const NOW = '2026-03-01';
const violations = (item: Record<string, unknown>, profiles: string[] = []) =>
  planRotations([{ name: 'x', ...item }], { now: NOW, profiles }).items[0]?.violations?.map(
    (v) => `${v.profile} ${v.requirement}: ${v.message}`,
  );

describe('PCI DSS v4', () => {
  it('8.3.9: passwords at most every 90 days', () => {
    expect(violations({ type: 'password', last_rotated: '2026-02-01' }, ['pci-dss-v4'])).toEqual([]);
    expect(violations({ type: 'password', last_rotated: '2025-11-10', interval: '120d' }, ['pci'])).toEqual([
      'pci-dss-v4 8.3.9: rotation interval of 120 days exceeds the 90-day maximum for single-factor passwords',
      'pci-dss-v4 8.3.9: password last changed 111 days ago (limit 90)',
    ]);
    expect(violations({ type: 'password', last_rotated: '2025-12-01', interval: '90d' }, ['pci'])).toEqual([]); // 90 days ago: at the limit
  });

  it('8.6.3: application/system credentials changed at the defined frequency', () => {
    expect(violations({ type: 'database', last_rotated: '2026-01-01', compliance: ['pci-dss-v4'] })).toEqual([
      'pci-dss-v4 8.6.3: not changed at the frequency set by the targeted risk analysis: overdue by 29 days',
    ]);
    expect(violations({ type: 'api-key', compliance: ['PCI-DSS'] })).toEqual([
      'pci-dss-v4 8.6.3: no change date is recorded for an application/system credential',
    ]);
    expect(violations({ type: 'api-key', last_rotated: '2026-02-01', compliance: ['pci'] })).toEqual([]);
  });

  it('3.7.4: keys changed at the end of the cryptoperiod', () => {
    expect(violations({ type: 'encryption-key', last_rotated: '2025-10-15' }, ['pci'])).toEqual([
      'pci-dss-v4 3.7.4: key is past the end of its defined cryptoperiod by 47 days',
    ]);
    expect(violations({ type: 'encryption-key', last_rotated: '2026-02-15', interval: '1000d' }, ['pci'])).toEqual([
      'pci-dss-v4 3.7.4: cryptoperiod of 1000 days exceeds the NIST SP 800-57 guidance of 730 days',
    ]);
  });
});

describe('NIST SP 800-57', () => {
  it('flags intervals, key age and validity past the cryptoperiod for the key purpose', () => {
    expect(violations({ type: 'encryption-key', last_rotated: '2026-02-01' }, ['nist'])).toEqual([]);
    expect(violations({ type: 'encryption-key', last_rotated: '2026-02-01', interval: '800d' }, ['nist'])).toEqual([
      'nist-sp-800-57 Table 1 (data-encryption): rotation interval of 800 days exceeds the 730-day cryptoperiod',
    ]);
    expect(
      violations({ type: 'encryption-key', key_purpose: 'master-key', last_rotated: '2025-01-01', interval: '400d' }, [
        'nist',
      ]),
    ).toEqual([
      'nist-sp-800-57 Table 1 (master-key): rotation interval of 400 days exceeds the 365-day cryptoperiod',
      'nist-sp-800-57 Table 1 (master-key): key in use for 424 days, past its 365-day cryptoperiod',
    ]);
    expect(
      violations({ type: 'tls-certificate', issued_at: '2025-06-01', expires_at: '2028-06-01', pki: 'private' }, [
        'nist',
      ]),
    ).toEqual([
      'nist-sp-800-57 Table 1 (private-authentication): validity of 1096 days exceeds the 730-day cryptoperiod',
    ]);
    expect(violations({ type: 'api-key', last_rotated: '2020-01-01' }, ['nist'])).toEqual([]);
  });
});

describe('CA/Browser Forum TLS validity', () => {
  it('uses the SC-081v3 schedule by issue date', () => {
    expect(cabfMaxValidityDays('2026-03-14')).toBe(398);
    expect(cabfMaxValidityDays('2026-03-15')).toBe(200);
    expect(cabfMaxValidityDays('2027-03-14')).toBe(200);
    expect(cabfMaxValidityDays('2027-03-15')).toBe(100);
    expect(cabfMaxValidityDays('2029-03-14')).toBe(100);
    expect(cabfMaxValidityDays('2029-03-15')).toBe(47);
  });

  it('flags certificates issued with more validity than allowed on their issue date', () => {
    // (Only the validity rule here; renewal of an overdue certificate is checked below.)
    const cert = (issued: string, expires: string) =>
      violations({ type: 'tls-certificate', issued_at: issued, expires_at: expires }, ['cabf-tls'])?.filter(
        (v) => !v.startsWith('cabf-tls renewal'),
      );
    expect(cert('2025-03-01', '2026-04-03')).toEqual([]); // 398 days
    expect(cert('2025-03-01', '2026-04-04')).toEqual([
      'cabf-tls BR 6.3.2 / SC-081v3: validity of 399 days exceeds the 398-day maximum for certificates issued on 2025-03-01',
    ]);
    expect(cert('2026-03-15', '2026-10-01')).toEqual([]); // 200 days
    expect(cert('2026-03-15', '2026-10-02')).toHaveLength(1);
    expect(
      violations({ type: 'tls-certificate', issued_at: '2025-01-01', expires_at: '2026-12-01', pki: 'private' }, [
        'cabf',
      ]),
    ).toEqual([]);
    expect(violations({ type: 'tls-certificate', last_rotated: '2026-02-01' }, ['cabf'])).toEqual([
      'cabf-tls BR 6.3.2 / SC-081v3: expires_at is not recorded, so the validity period cannot be checked',
    ]);
  });
});

describe('profile names', () => {
  it('maps tags and aliases; other tags are not profiles', () => {
    expect(profileIdOf('PCI')).toBe('pci-dss-v4');
    expect(profileIdOf('nist_800_57')).toBe('nist-sp-800-57');
    expect(profileIdOf('soc2')).toBeUndefined();
    expect(() => planRotations([], { now: NOW, profiles: ['hipaa'] })).toThrow(/unknown compliance profile 'hipaa'/);
    expect(planRotations([], { now: NOW, profiles: ['all'] }).settings.profiles).toEqual([
      'pci-dss-v4',
      'nist-sp-800-57',
      'cabf-tls',
    ]);
  });
});

describe('an overdue item carries a violation of every profile that applies to it', () => {
  // Regression: an ssh-key 613 days overdue tagged pci-dss-v4 (and planned with --profile pci-dss-v4) had none.
  it.each<[string, InventoryItem]>([
    ['ssh-key', { last_rotated: '2024-03-28' }],
    ['tls-certificate', { issued_at: '2024-01-01', expires_at: '2024-12-01', pki: 'private' }],
    ['vendor-credential', { last_rotated: '2024-01-01' }],
    ['password', { last_rotated: '2026-01-01' }],
  ])('%s tagged pci-dss-v4, with and without --profile', (type, dates) => {
    for (const profiles of [[], ['pci-dss-v4'], ['pci-dss-v4', 'nist-sp-800-57']]) {
      const plan = planRotations([{ name: 'x', type, compliance: ['pci-dss-v4'], ...dates }], { now: NOW, profiles });
      const item = plan.items[0];
      expect(item?.status).toBe('overdue');
      expect(item?.violations?.filter((v) => v.profile === 'pci-dss-v4').length).toBeGreaterThan(0);
      // NIST SP 800-57 covers keys (ssh keys, certificates), not passwords or unknown credentials.
      if (profiles.includes('nist-sp-800-57') && (type === 'ssh-key' || type === 'tls-certificate'))
        expect(item?.violations?.some((v) => v.profile === 'nist-sp-800-57')).toBe(true);
    }
  });

  it('the 613-days-overdue ssh key names how late it is', () => {
    expect(
      violations({ type: 'ssh-key', last_rotated: '2024-03-28', compliance: ['pci-dss-v4'] }, ['pci-dss-v4']),
    ).toEqual(['pci-dss-v4 12.3.1: not changed at the frequency defined for it: overdue by 613 days (due 2024-06-26)']);
  });

  it('cabf-tls: an overdue public certificate, even with a valid validity period', () => {
    expect(
      violations({
        type: 'tls-certificate',
        issued_at: '2025-06-01',
        expires_at: '2026-03-20',
        compliance: ['cabf-tls'],
      }),
    ).toEqual(['cabf-tls renewal: renewal overdue by 41 days (due 2026-01-19)']);
  });
});
