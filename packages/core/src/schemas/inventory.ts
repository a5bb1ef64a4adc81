import { z } from 'zod';
import { IsoDate } from './common.js';
import { MAX_INTERVAL_DAYS } from '../duration.js';

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;

function isDateLike(value: string): boolean {
  if (value.length === 10) return IsoDate.safeParse(value).success;
  const m = DATE_TIME.exec(value);
  return m !== null && IsoDate.safeParse(m[1]).success;
}

/**
 * Canonical secret types (the original rotation_planner.py names). Other type names are accepted and kept
 * as given; planners treat them with their fallback defaults (90 days, manual rotation).
 */
export const SECRET_TYPES = [
  'database',
  'password',
  'tls-certificate',
  'api-key',
  'ssh-key',
  'encryption-key',
  'oauth-secret',
  'service-token',
] as const;

/**
 * One of {@link SECRET_TYPES}.
 *
 * @example
 * ```ts
 * SecretType.parse('api-key'); // 'api-key'
 * ```
 */
export const SecretType = z.enum(SECRET_TYPES);
export type SecretType = z.infer<typeof SecretType>;

/**
 * How much harm a leaked or broken secret does: used to order work and in reports.
 *
 * @example
 * ```ts
 * Criticality.parse('high');
 * ```
 */
export const Criticality = z.enum(['low', 'medium', 'high', 'critical']);
export type Criticality = z.infer<typeof Criticality>;

/**
 * What a cryptographic key is used for, in NIST SP 800-57 Part 1 terms (Table 1). Sets the recommended
 * cryptoperiod a compliance check compares against.
 *
 * @example
 * ```ts
 * KeyPurpose.parse('data-encryption');
 * ```
 */
export const KeyPurpose = z.enum([
  'data-encryption',
  'key-wrapping',
  'symmetric-authentication',
  'private-authentication',
  'private-signature',
  'key-transport',
  'key-agreement',
  'master-key',
]);
export type KeyPurpose = z.infer<typeof KeyPurpose>;

/**
 * A calendar date. `YYYY-MM-DD`, or a full ISO 8601 date-time with `Z` or an offset, whose calendar date
 * is taken in the planner's time zone. In YAML the date may be unquoted (`last_rotated: 2026-01-15`).
 *
 * @example
 * ```ts
 * DateLike.parse('2026-01-15');
 * DateLike.parse('2026-01-15T23:30:00-08:00');
 * ```
 */
export const DateLike = z.string({ error: 'expected YYYY-MM-DD' }).refine(isDateLike, {
  message: 'expected YYYY-MM-DD',
});
export type DateLike = z.infer<typeof DateLike>;

const DAYS_TEXT = /^\s*(\d+|((\d+(\.\d+)?)(ns|us|µs|ms|s|m|h|d))+)\s*$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/g;
const PART_DAYS: Record<string, number> = {
  ns: 1e-6 / 86_400_000,
  us: 1e-3 / 86_400_000,
  µs: 1e-3 / 86_400_000,
  ms: 1 / 86_400_000,
  s: 1 / 86_400,
  m: 1 / 1_440,
  h: 1 / 24,
  d: 1,
};

/** Days a `DaysInput` string stands for (sub-day durations round up to one day, as the planner does). */
function daysOfText(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  let days = 0;
  for (const m of t.matchAll(DURATION_PART)) days += Number(m[1]) * (PART_DAYS[m[2] as string] as number);
  return Math.ceil(days - 1e-9);
}

const DAYS_RANGE = `expected at least 1 day and at most ${MAX_INTERVAL_DAYS} days (100 years)`;

/**
 * A whole number of days, or a duration string (`30d`, `720h`, `24h`). A bare number means days.
 * Sub-day durations (`12h`) are planned as one day, the planner's granularity. At least one day and at
 * most {@link MAX_INTERVAL_DAYS} (100 years).
 *
 * @example
 * ```ts
 * DaysInput.parse('90d');
 * DaysInput.parse(30);
 * ```
 */
export const DaysInput = z.union([
  z.number().int().min(1, { error: DAYS_RANGE }).max(MAX_INTERVAL_DAYS, { error: DAYS_RANGE }),
  z
    .string()
    .regex(DAYS_TEXT, { message: 'expected days such as 30, 30d or 24h' })
    .refine((v) => !DAYS_TEXT.test(v) || (daysOfText(v) >= 1 && daysOfText(v) <= MAX_INTERVAL_DAYS), {
      message: DAYS_RANGE,
    }),
]);
export type DaysInput = z.infer<typeof DaysInput>;

/** `""` in the original format means "never rotated", like a missing value. */
const OptionalDate = z
  .string({ error: 'expected YYYY-MM-DD' })
  .refine((v) => v === '' || isDateLike(v), { message: 'expected YYYY-MM-DD' })
  .nullable()
  .optional();

/**
 * One secret in a rotation inventory. The original script's keys (`name, type, store, last_rotated,
 * owner, environment`) are accepted unchanged; everything else is optional. Keys are snake_case.
 *
 * | key | meaning |
 * |---|---|
 * | `id` | stable identifier (defaults to `name`, then `unnamed-<index>` as in the original) |
 * | `name`, `type`, `store` | display name, secret type ({@link SECRET_TYPES} or any other), store name or URI |
 * | `created`, `last_rotated` | when the current value was set (`last_rotated` wins) |
 * | `expires_at`, `issued_at` | expiry and issue date (certificates, tokens) |
 * | `interval`, `renew_before`, `strategy` | overrides of the type's defaults |
 * | `owner`, `team` | who rotates it; `team` (else `owner`) is the unit `--capacity` counts |
 * | `criticality`, `environment` | ordering and reporting |
 * | `compliance` | profile tags (`pci-dss-v4`, `nist-sp-800-57`, `cabf-tls`); other tags are kept |
 * | `depends_on` | ids that must be rotated before (or on the same day as) this one |
 * | `key_purpose`, `pki` | NIST 800-57 key purpose; `private` PKI certificates skip CA/B Forum limits |
 *
 * @example
 * ```ts
 * InventoryItem.parse({ name: 'prod-db-password', type: 'database', last_rotated: '2026-01-15' });
 * ```
 */
export const InventoryItem = z
  .object(
    {
      id: z.string().min(1).optional(),
      name: z.string().min(1).optional(),
      /** Any type name; the canonical ones are {@link SECRET_TYPES}. */
      type: z.string().min(1).optional(),
      /** A store name such as `vault`, or a store URI such as `aws-sm://eu-west-1`. */
      store: z.string().optional(),
      created: OptionalDate,
      last_rotated: OptionalDate,
      expires_at: OptionalDate,
      /** Issue date of a certificate (for CA/Browser Forum validity limits). */
      issued_at: OptionalDate,
      interval: DaysInput.optional(),
      renew_before: DaysInput.optional(),
      strategy: z.string().min(1).optional(),
      owner: z.string().optional(),
      team: z.string().optional(),
      criticality: Criticality.optional(),
      environment: z.string().optional(),
      compliance: z.array(z.string().min(1)).optional(),
      depends_on: z.array(z.string().min(1)).optional(),
      key_purpose: KeyPurpose.optional(),
      pki: z.enum(['public', 'private']).optional(),
      tags: z.record(z.string(), z.string()).optional(),
    },
    { error: 'expected a secret (an object with keys such as name, type, last_rotated)' },
  )
  .loose();
export type InventoryItem = z.infer<typeof InventoryItem>;

/**
 * A rotation inventory: the original top-level array, or `{ version: 1, secrets: [...] }`.
 * `svm inventory discover` writes the second form; both load everywhere.
 *
 * @example
 * ```ts
 * Inventory.parse([{ name: 'a', type: 'api-key', last_rotated: '2026-01-01' }]);
 * ```
 */
export const Inventory = z.union(
  [
    z.array(InventoryItem),
    z
      .object({
        version: z.literal(1).optional(),
        secrets: z.array(InventoryItem),
      })
      .loose(),
  ],
  { error: 'expected a list of secrets, or { version: 1, secrets: [...] }' },
);
export type Inventory = z.infer<typeof Inventory>;

/**
 * The items of an inventory, whichever form it came in.
 *
 * @example
 * ```ts
 * inventoryItems({ secrets: [] }); // []
 * ```
 */
export function inventoryItems(inventory: Inventory): InventoryItem[] {
  return Array.isArray(inventory) ? inventory : inventory.secrets;
}
