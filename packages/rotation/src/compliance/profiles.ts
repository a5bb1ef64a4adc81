import type { ComplianceViolation, KeyPurpose, RotationStatus } from '@svm/core';
import { type EpochDay, formatIsoDay, parseIsoDay } from '../internal/days.js';

/** What a compliance check sees of one planned item (all dates are epoch days in the plan's zone). */
export interface ComplianceSubject {
  type: string;
  intervalDays: number | null;
  today: EpochDay;
  /** When the current value was set, if known. */
  lastRotated: EpochDay | undefined;
  issuedAt: EpochDay | undefined;
  expiresAt: EpochDay | undefined;
  due: EpochDay;
  status: RotationStatus;
  keyPurpose: KeyPurpose | undefined;
  pki: 'public' | 'private' | undefined;
}

/** A compliance profile: an id, what it covers, and its check. */
export interface ComplianceProfile {
  id: string;
  title: string;
  check(subject: ComplianceSubject): ComplianceViolation[];
}

/** PCI DSS v4.0.1 8.3.9: passwords that are the only factor for user access change at least every 90 days. */
const PCI_PASSWORD_MAX_DAYS = 90;
/** PCI DSS 8.6.3 covers application and system accounts: these types are their credentials. */
const PCI_SYSTEM_ACCOUNT_TYPES = new Set(['database', 'api-key', 'oauth-secret', 'service-token']);
/** PCI DSS 3.7.4 covers keys protecting stored account data. */
const PCI_KEY_TYPES = new Set(['encryption-key']);

const pciDssV4: ComplianceProfile = {
  id: 'pci-dss-v4',
  title: 'PCI DSS v4.0.1 (8.3.9, 8.6.3, 3.7.4)',
  check(s) {
    const out: ComplianceViolation[] = [];
    const v = (requirement: string, message: string) => out.push({ profile: 'pci-dss-v4', requirement, message });
    if (s.type === 'password') {
      if (s.intervalDays !== null && s.intervalDays > PCI_PASSWORD_MAX_DAYS) {
        v(
          '8.3.9',
          `rotation interval of ${s.intervalDays} days exceeds the 90-day maximum for single-factor passwords`,
        );
      }
      if (s.lastRotated === undefined)
        v('8.3.9', 'no password change date is recorded (required at least every 90 days)');
      else if (s.today - s.lastRotated > PCI_PASSWORD_MAX_DAYS) {
        v('8.3.9', `password last changed ${s.today - s.lastRotated} days ago (limit 90)`);
      }
    }
    if (PCI_SYSTEM_ACCOUNT_TYPES.has(s.type)) {
      if (s.status === 'never-rotated') v('8.6.3', 'no change date is recorded for an application/system credential');
      else if (s.status === 'overdue') {
        v(
          '8.6.3',
          `not changed at the frequency set by the targeted risk analysis: overdue by ${s.today - s.due} days`,
        );
      }
    }
    if (PCI_KEY_TYPES.has(s.type)) {
      if (s.status === 'never-rotated')
        v('3.7.4', 'no key change date is recorded, so the cryptoperiod cannot be shown');
      else if (s.status === 'overdue')
        v('3.7.4', `key is past the end of its defined cryptoperiod by ${s.today - s.due} days`);
      const limit = NIST_CRYPTOPERIOD_DAYS[s.keyPurpose ?? 'data-encryption'];
      if (s.intervalDays !== null && s.intervalDays > limit) {
        v('3.7.4', `cryptoperiod of ${s.intervalDays} days exceeds the NIST SP 800-57 guidance of ${limit} days`);
      }
    }
    // Every other overdue item in scope (passwords within 90 days but past their own interval, SSH keys,
    // certificates, other types): the frequency the entity defined for it (12.3.1 targeted risk analysis) is missed.
    if (s.status === 'overdue' && !PCI_SYSTEM_ACCOUNT_TYPES.has(s.type) && !PCI_KEY_TYPES.has(s.type)) {
      v(
        s.type === 'password' ? '8.3.9' : '12.3.1',
        `not changed at the frequency defined for it: overdue by ${s.today - s.due} days (due ${formatIsoDay(s.due)})`,
      );
    }
    return out;
  },
};

/**
 * NIST SP 800-57 Part 1 Rev. 5, Table 1: the longest recommended cryptoperiod (originator-usage period for
 * symmetric keys) per key purpose, in days (1 year = 365 days).
 */
export const NIST_CRYPTOPERIOD_DAYS: Readonly<Record<KeyPurpose, number>> = {
  'data-encryption': 730,
  'key-wrapping': 730,
  'symmetric-authentication': 730,
  'private-authentication': 730,
  'private-signature': 1095,
  'key-transport': 730,
  'key-agreement': 730,
  'master-key': 365,
};

/** Key purpose assumed per type when the item does not say. */
const DEFAULT_KEY_PURPOSE: Readonly<Record<string, KeyPurpose>> = {
  'encryption-key': 'data-encryption',
  'ssh-key': 'private-authentication',
  'tls-certificate': 'private-authentication',
};

const nistSp80057: ComplianceProfile = {
  id: 'nist-sp-800-57',
  title: 'NIST SP 800-57 Part 1 Rev. 5 cryptoperiods (Table 1)',
  check(s) {
    const purpose = s.keyPurpose ?? DEFAULT_KEY_PURPOSE[s.type];
    // Only cryptographic keys have a cryptoperiod (SP 800-57); other credentials are out of scope here.
    if (!purpose) return [];
    const limit = NIST_CRYPTOPERIOD_DAYS[purpose];
    const out: ComplianceViolation[] = [];
    const v = (message: string) =>
      out.push({ profile: 'nist-sp-800-57', requirement: `Table 1 (${purpose})`, message });
    if (s.intervalDays !== null && s.intervalDays > limit)
      v(`rotation interval of ${s.intervalDays} days exceeds the ${limit}-day cryptoperiod`);
    const start = s.issuedAt ?? s.lastRotated;
    if (start === undefined) {
      if (s.expiresAt === undefined)
        v('no creation, issue or rotation date is recorded, so the cryptoperiod cannot be shown');
    } else if (s.today - start > limit) v(`key in use for ${s.today - start} days, past its ${limit}-day cryptoperiod`);
    const ageFlagged = out.length > 0 && start !== undefined && s.today - start > limit;
    if (start !== undefined && s.expiresAt !== undefined && s.expiresAt - start > limit) {
      v(`validity of ${s.expiresAt - start} days exceeds the ${limit}-day cryptoperiod`);
    }
    if (s.status === 'overdue' && !ageFlagged)
      v(
        `rotation overdue by ${s.today - s.due} days (due ${formatIsoDay(s.due)}): the key stays in use past its planned cryptoperiod`,
      );
    return out;
  },
};

/**
 * CA/Browser Forum Baseline Requirements maximum TLS subscriber certificate validity by issue date
 * (ballot SC-081v3): 398 days, then 200 from 2026-03-15, 100 from 2027-03-15 and 47 from 2029-03-15.
 */
export const CABF_VALIDITY_SCHEDULE: ReadonlyArray<{ from: string; maxDays: number }> = [
  { from: '2029-03-15', maxDays: 47 },
  { from: '2027-03-15', maxDays: 100 },
  { from: '2026-03-15', maxDays: 200 },
  { from: '0000-01-01', maxDays: 398 },
];
const CABF_SCHEDULE_DAYS = CABF_VALIDITY_SCHEDULE.map((s) => ({
  from: parseIsoDay(s.from) as number,
  maxDays: s.maxDays,
}));

/**
 * The CA/Browser Forum maximum validity (days) for a publicly trusted TLS certificate issued on `issued`.
 *
 * @example
 * ```ts
 * cabfMaxValidityDays('2026-03-15'); // 200
 * ```
 */
export function cabfMaxValidityDays(issued: string | EpochDay): number {
  const day = typeof issued === 'string' ? parseIsoDay(issued) : issued;
  if (day === undefined) throw new RangeError(`not a date: ${String(issued)}`);
  return (CABF_SCHEDULE_DAYS.find((s) => day >= s.from) as { maxDays: number }).maxDays;
}

const cabfTls: ComplianceProfile = {
  id: 'cabf-tls',
  title: 'CA/Browser Forum TLS maximum validity (SC-081v3)',
  check(s) {
    if (s.type !== 'tls-certificate' || s.pki === 'private') return [];
    const out: ComplianceViolation[] = [];
    const v = (message: string) => out.push({ profile: 'cabf-tls', requirement: 'BR 6.3.2 / SC-081v3', message });
    const issued = s.issuedAt ?? s.lastRotated;
    if (s.expiresAt === undefined) v('expires_at is not recorded, so the validity period cannot be checked');
    else if (issued === undefined) v('issued_at is not recorded, so the validity period cannot be checked');
    else {
      const validity = s.expiresAt - issued;
      const max = cabfMaxValidityDays(issued);
      if (validity > max)
        v(
          `validity of ${validity} days exceeds the ${max}-day maximum for certificates issued on ${formatIsoDay(issued)}`,
        );
    }
    if (s.status === 'overdue') {
      out.push({
        profile: 'cabf-tls',
        requirement: 'renewal',
        message: `renewal overdue by ${s.today - s.due} days (due ${formatIsoDay(s.due)})${s.expiresAt !== undefined && s.expiresAt < s.today ? `; expired ${s.today - s.expiresAt} days ago` : ''}`,
      });
    }
    return out;
  },
};

/**
 * The built-in compliance profiles by id.
 *
 * @example
 * ```ts
 * Object.keys(COMPLIANCE_PROFILES); // ['pci-dss-v4', 'nist-sp-800-57', 'cabf-tls']
 * ```
 */
export const COMPLIANCE_PROFILES: Readonly<Record<string, ComplianceProfile>> = {
  'pci-dss-v4': pciDssV4,
  'nist-sp-800-57': nistSp80057,
  'cabf-tls': cabfTls,
};

const PROFILE_ALIASES: Readonly<Record<string, string>> = {
  pci: 'pci-dss-v4',
  'pci-dss': 'pci-dss-v4',
  'pci-dss-4': 'pci-dss-v4',
  'pci-dss-4.0': 'pci-dss-v4',
  'pci-dss-4.0.1': 'pci-dss-v4',
  'pci-dss-v4.0.1': 'pci-dss-v4',
  nist: 'nist-sp-800-57',
  'nist-800-57': 'nist-sp-800-57',
  'sp-800-57': 'nist-sp-800-57',
  cabf: 'cabf-tls',
  'ca-browser-forum': 'cabf-tls',
  'cab-forum': 'cabf-tls',
};

/**
 * The profile id a tag or `--profile` value names (`pci`, `PCI-DSS` → `pci-dss-v4`), or `undefined` for tags
 * that are not profiles (such as `soc2`).
 *
 * @example
 * ```ts
 * profileIdOf('PCI'); // 'pci-dss-v4'
 * ```
 */
export function profileIdOf(tag: string): string | undefined {
  const normal = tag
    .trim()
    .toLowerCase()
    .replace(/[_\s/]+/g, '-');
  if (Object.hasOwn(COMPLIANCE_PROFILES, normal)) return normal;
  return PROFILE_ALIASES[normal];
}
