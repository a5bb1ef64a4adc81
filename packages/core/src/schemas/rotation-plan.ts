import { z } from 'zod';
import { IsoDate } from './common.js';

/**
 * Where a secret stands on the planning day: `overdue` (due before today), `due-soon` (due today or within
 * the `within` window), `ok`, or `never-rotated` (no rotation, issue, creation or expiry date known: due today).
 *
 * @example
 * ```ts
 * RotationStatus.parse('due-soon');
 * ```
 */
export const RotationStatus = z.enum(['overdue', 'due-soon', 'ok', 'never-rotated']);
export type RotationStatus = z.infer<typeof RotationStatus>;

/**
 * Why the due date is what it is: the interval after the last rotation, the renew-before window ahead of
 * expiry, or nothing known (never rotated: due today).
 *
 * @example
 * ```ts
 * DueReason.parse('expiry');
 * ```
 */
export const DueReason = z.enum(['interval', 'expiry', 'never-rotated']);
export type DueReason = z.infer<typeof DueReason>;

/**
 * Service impact of a rotation done by its method.
 *
 * @example
 * ```ts
 * DowntimeRisk.parse('none');
 * ```
 */
export const DowntimeRisk = z.enum(['none', 'low', 'medium', 'high']);
export type DowntimeRisk = z.infer<typeof DowntimeRisk>;

/**
 * A compliance profile's finding against one item.
 *
 * @example
 * ```ts
 * ComplianceViolation.parse({ profile: 'pci-dss-v4', requirement: '8.3.9', message: 'interval 120 days exceeds 90 days' });
 * ```
 */
export const ComplianceViolation = z.object({
  /** Profile id, e.g. `pci-dss-v4`, `nist-sp-800-57`, `cabf-tls`. */
  profile: z.string(),
  /** Requirement reference within the profile, e.g. `8.3.9`, `Table 1`, `SC-081v3`. */
  requirement: z.string(),
  message: z.string(),
});
export type ComplianceViolation = z.infer<typeof ComplianceViolation>;

/**
 * Why a rotation could not be scheduled on time: `overdue` (due date already passed), `capacity` (the team
 * has more rotations than `--capacity` slots before the due date), `window` (no allowed day before the due
 * date: blackout or outside every maintenance window), `dependency` (an item it depends on is late).
 *
 * @example
 * ```ts
 * ScheduleIssue.parse({ code: 'capacity', message: 'team payments has 2 slots a day; 5 rotations are due by 2026-03-02' });
 * ```
 */
export const ScheduleIssue = z.object({
  code: z.enum(['overdue', 'capacity', 'window', 'dependency']),
  message: z.string(),
});
export type ScheduleIssue = z.infer<typeof ScheduleIssue>;

/**
 * One planned rotation, as `svm rotation plan --json` prints it. The first fields are the CLI contract
 * (`id, type, lastRotated, intervalDays, due, daysUntilDue, status, owner, method, scheduled`); the rest add
 * detail and are stable too.
 *
 * @example
 * ```ts
 * RotationPlanItem.parse({ id: 'a', type: 'api-key', lastRotated: null, intervalDays: 90, due: '2026-03-01',
 *   daysUntilDue: 0, status: 'never-rotated', owner: null, method: 'overlap-window' });
 * ```
 */
export const RotationPlanItem = z
  .object({
    id: z.string(),
    /** Canonical type name (aliases such as `tls-cert` are mapped), or the given name lower-cased. */
    type: z.string(),
    /** When the current value was set: `last_rotated`, else `issued_at`, else `created`. */
    lastRotated: IsoDate.nullable(),
    /** The rotation interval in days after caps, or null when only an expiry drives the due date. */
    intervalDays: z.number().int().nullable(),
    due: IsoDate,
    /** `due - now` in whole calendar days (negative when overdue). */
    daysUntilDue: z.number().int(),
    status: RotationStatus,
    owner: z.string().nullable(),
    method: z.string(),
    /** Proposed rotation day from the scheduler; absent when no day could be found at all. */
    scheduled: IsoDate.optional(),
    name: z.string().optional(),
    store: z.string().nullable().optional(),
    environment: z.string().nullable().optional(),
    team: z.string().optional(),
    criticality: z.string().nullable().optional(),
    dueReason: DueReason.optional(),
    expiresAt: IsoDate.nullable().optional(),
    downtimeRisk: DowntimeRisk.optional(),
    /** Rotation steps. `svm rotation plan` lists them once per method in the top-level `methods` instead. */
    steps: z.array(z.string()).optional(),
    dependsOn: z.array(z.string()).optional(),
    violations: z.array(ComplianceViolation).optional(),
    scheduleIssue: ScheduleIssue.optional(),
  })
  .loose();
export type RotationPlanItem = z.infer<typeof RotationPlanItem>;

/**
 * The whole plan: the planning day, items sorted by urgency, and a summary of counts.
 *
 * @example
 * ```ts
 * RotationPlan.parse({ now: '2026-03-01', items: [], summary: {} });
 * ```
 */
export const RotationPlan = z
  .object({
    now: IsoDate,
    items: z.array(RotationPlanItem),
    summary: z.record(z.string(), z.unknown()),
  })
  .loose();
export type RotationPlan = z.infer<typeof RotationPlan>;
