import { z } from 'zod';

/** Stage labels svm understands, mapped per store (AWSCURRENT/AWSPREVIOUS/AWSPENDING, Vault custom metadata, …). */
export const SECRET_STAGES = ['current', 'previous', 'pending'] as const;

/**
 * A stage label of a secret version.
 *
 * @example
 * ```ts
 * SecretStage.parse('current'); // 'current'
 * ```
 */
export const SecretStage = z.enum(SECRET_STAGES);
export type SecretStage = z.infer<typeof SecretStage>;

/** ISO 8601 date-time with an offset (stores report UTC). */
const Timestamp = z.iso.datetime({ offset: true });

/**
 * The state of one version: readable (`enabled`), switched off but kept (`disabled`, GCP / Azure),
 * soft-deleted and restorable (`deleted`, Vault / file store), or gone for good (`destroyed`).
 *
 * @example
 * ```ts
 * SecretVersionState.parse('enabled');
 * ```
 */
export const SecretVersionState = z.enum(['enabled', 'disabled', 'deleted', 'destroyed']);
export type SecretVersionState = z.infer<typeof SecretVersionState>;

/**
 * One version of a secret, without its value.
 *
 * @example
 * ```ts
 * SecretVersion.parse({ version: '2', stages: ['current'], state: 'enabled', createdAt: '2026-11-25T22:00:00Z' });
 * ```
 */
export const SecretVersion = z.object({
  /** The store's own version id: a number for Vault / GCP / the file store, a UUID for AWS, a hex id for Azure. */
  version: z.string().min(1),
  stages: z.array(SecretStage),
  state: SecretVersionState,
  createdAt: Timestamp.optional(),
});
export type SecretVersion = z.infer<typeof SecretVersion>;

/**
 * A store's rotation settings for a secret, as far as the store models them.
 *
 * @example
 * ```ts
 * SecretRotation.parse({ enabled: true, intervalDays: 30 });
 * ```
 */
export const SecretRotation = z.object({
  enabled: z.boolean(),
  /** AWS `AutomaticallyAfterDays`, GCP `rotationPeriod` in days. */
  intervalDays: z.number().positive().optional(),
  /** AWS `ScheduleExpression` (`rate(…)` / `cron(…)`). */
  schedule: z.string().optional(),
  nextRotationAt: Timestamp.optional(),
});
export type SecretRotation = z.infer<typeof SecretRotation>;

/**
 * What a store knows about a secret, never its value. Fields a store does not track are left out.
 *
 * @example
 * ```ts
 * SecretMetadata.parse({ name: 'db-password', tags: {}, versionCount: 2, currentVersion: '2' });
 * ```
 */
export const SecretMetadata = z.object({
  name: z.string().min(1),
  createdAt: Timestamp.optional(),
  updatedAt: Timestamp.optional(),
  /** When the current value was last replaced (AWS `LastRotatedDate`, else the current version's creation). */
  lastRotatedAt: Timestamp.optional(),
  /** AWS `LastAccessedDate` (day precision); other stores do not report reads. */
  lastAccessedAt: Timestamp.optional(),
  /** Azure `expiresOn`, GCP `expireTime`, file store `expiresAt`. */
  expiresAt: Timestamp.optional(),
  /** Soft-deleted (restorable) secrets carry the time they were deleted. */
  deletedAt: Timestamp.optional(),
  rotation: SecretRotation.optional(),
  currentVersion: z.string().optional(),
  versionCount: z.number().int().nonnegative().optional(),
  /** Tags, labels or custom metadata (names and values are not secret). */
  tags: z.record(z.string(), z.string()),
});
export type SecretMetadata = z.infer<typeof SecretMetadata>;
