import type { DowntimeRisk } from '@svm/core';

/** A rotation method: how a secret of some type is replaced, step by step, and what it risks. */
export interface RotationStrategy {
  /** Stable id, printed as `method`. */
  id: string;
  title: string;
  downtimeRisk: DowntimeRisk;
  steps: readonly string[];
}

/**
 * The rotation methods the planner knows, from the secrets-vault-manager guidance (rotation strategy by
 * secret type) and the stores' own rotation models (AWS alternating users, Vault static roles, Azure
 * two-credential rotators).
 *
 * @example
 * ```ts
 * STRATEGIES['dual-account'].steps.length; // 5
 * ```
 */
export const STRATEGIES = {
  'dual-account': {
    id: 'dual-account',
    title: 'Dual-account swap (A/B)',
    downtimeRisk: 'none',
    steps: [
      'Rotate the password of the inactive account (app_user_b) and store it',
      'Switch the application to the inactive account on its next credential fetch',
      'Confirm no sessions still use the previous account',
      'After the grace period rotate the previous account (app_user_a)',
      'Record the rotation date in the inventory',
    ],
  },
  'password-change': {
    id: 'password-change',
    title: 'Password change',
    downtimeRisk: 'low',
    steps: [
      'Generate a new password that meets the complexity policy',
      'Set it at the source and update the secret store',
      'Update or notify every consumer; expect a re-login',
      'Record the rotation date in the inventory',
    ],
  },
  'overlap-window': {
    id: 'overlap-window',
    title: 'Overlap window (current/previous)',
    downtimeRisk: 'none',
    steps: [
      'Generate a new key with the provider',
      'Store it as current and move the old key to previous',
      'Deploy or restart consumers so they read current',
      'Confirm zero use of the previous key in the provider or audit logs',
      'Revoke the previous key',
    ],
  },
  'renew-before-expiry': {
    id: 'renew-before-expiry',
    title: 'Certificate renewal (ACME or Vault PKI)',
    downtimeRisk: 'none',
    steps: [
      'Issue a new certificate (ACME or Vault PKI) with a fresh key pair',
      'Deploy it next to the current one and reload gracefully',
      'Verify the served chain and expiry',
      'Revoke the old certificate if its key may be exposed',
    ],
  },
  'ca-signed-certificate': {
    id: 'ca-signed-certificate',
    title: 'SSH key replaced by CA-signed certificates',
    downtimeRisk: 'none',
    steps: [
      'Generate a new key pair (prefer short-lived certificates signed by the Vault SSH CA)',
      'Sign or distribute the new public key',
      'Remove the old public key from authorized_keys / revoke its certificate',
      'Record the rotation date in the inventory',
    ],
  },
  dynamic: {
    id: 'dynamic',
    title: 'Dynamic, short-lived credentials',
    downtimeRisk: 'none',
    steps: [
      'Issue credentials on demand with a short TTL (Vault dynamic secrets, STS)',
      'Let leases expire; renew only while in use',
      'Revoke leases of retired consumers',
    ],
  },
  'versioning-rewrap': {
    id: 'versioning-rewrap',
    title: 'Key versioning and rewrap',
    downtimeRisk: 'none',
    steps: [
      'Rotate the key to a new version (old versions keep decrypting)',
      'Rewrap stored ciphertext to the new version',
      'Raise the minimum decryption version once rewrap is complete',
    ],
  },
  manual: {
    id: 'manual',
    title: 'Manual rotation',
    downtimeRisk: 'medium',
    steps: [
      'Create the new value at the source',
      'Update the secret store and every consumer',
      'Disable the old value after consumers confirm',
      'Record the rotation date in the inventory',
    ],
  },
} as const satisfies Record<string, RotationStrategy>;

/** A known strategy id. */
export type StrategyId = keyof typeof STRATEGIES;

/** Built-in rules for one secret type. */
export interface TypeRule {
  /** Interval in days. */
  intervalDays: number;
  /** Days before expiry the rotation is due. */
  renewBeforeDays: number;
  strategy: string;
  /** When an expiry is known and no interval was set on the item, only the expiry drives the due date. */
  expiryOnly: boolean;
}

/** Fallback for types the planner does not know (the original's 90 days). */
export const UNKNOWN_TYPE_RULE: TypeRule = {
  intervalDays: 90,
  renewBeforeDays: 60,
  strategy: 'manual',
  expiryOnly: false,
};

/**
 * Built-in defaults per canonical type: the original script's intervals and the guidance's methods.
 *
 * @example
 * ```ts
 * DEFAULT_TYPE_RULES.database.intervalDays; // 30
 * ```
 */
export const DEFAULT_TYPE_RULES: Readonly<Record<string, TypeRule>> = {
  database: { intervalDays: 30, renewBeforeDays: 60, strategy: 'dual-account', expiryOnly: false },
  password: { intervalDays: 30, renewBeforeDays: 60, strategy: 'password-change', expiryOnly: false },
  'api-key': { intervalDays: 90, renewBeforeDays: 60, strategy: 'overlap-window', expiryOnly: false },
  'tls-certificate': { intervalDays: 60, renewBeforeDays: 60, strategy: 'renew-before-expiry', expiryOnly: true },
  'ssh-key': { intervalDays: 90, renewBeforeDays: 60, strategy: 'ca-signed-certificate', expiryOnly: false },
  'service-token': { intervalDays: 1, renewBeforeDays: 60, strategy: 'dynamic', expiryOnly: false },
  'encryption-key': { intervalDays: 90, renewBeforeDays: 60, strategy: 'versioning-rewrap', expiryOnly: false },
  'oauth-secret': { intervalDays: 90, renewBeforeDays: 60, strategy: 'overlap-window', expiryOnly: false },
};

const TYPE_ALIASES: Readonly<Record<string, string>> = {
  db: 'database',
  'db-creds': 'database',
  'db-password': 'database',
  'database-password': 'database',
  'database-credentials': 'database',
  'tls-cert': 'tls-certificate',
  tls: 'tls-certificate',
  certificate: 'tls-certificate',
  cert: 'tls-certificate',
  'ssl-certificate': 'tls-certificate',
  apikey: 'api-key',
  'api-token': 'api-key',
  ssh: 'ssh-key',
  'ssh-keys': 'ssh-key',
  token: 'service-token',
  'kms-key': 'encryption-key',
  'transit-key': 'encryption-key',
  encryption: 'encryption-key',
  oauth: 'oauth-secret',
  'oauth-client-secret': 'oauth-secret',
  'client-secret': 'oauth-secret',
};

/**
 * The canonical name of a type: lower-cased, `_`/spaces as `-`, aliases (`tls-cert`, `db-creds`,
 * `kms-key`, …) mapped to the original names. Unknown names come back normalised; missing is `unknown`.
 *
 * @example
 * ```ts
 * canonicalType('TLS_Cert'); // 'tls-certificate'
 * ```
 */
export function canonicalType(type: string | undefined): string {
  if (type === undefined || type.trim() === '') return 'unknown';
  if (DEFAULT_TYPE_RULES[type]) return type;
  const normal = type
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, '-');
  return TYPE_ALIASES[normal] ?? normal;
}

/**
 * Look up a strategy by id, or `undefined`.
 *
 * @example
 * ```ts
 * strategyById('overlap-window')?.downtimeRisk; // 'none'
 * ```
 */
export function strategyById(id: string): RotationStrategy | undefined {
  return Object.hasOwn(STRATEGIES, id) ? STRATEGIES[id as StrategyId] : undefined;
}
