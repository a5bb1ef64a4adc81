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
 * Counts over a plan.
 *
 * @example
 * ```ts
 * RotationPlanSummary.shape.overdue.parse(3);
 * ```
 */
export const RotationPlanSummary = z.object({
  total: z.number().int(),
  overdue: z.number().int(),
  dueSoon: z.number().int(),
  neverRotated: z.number().int(),
  ok: z.number().int(),
  byStatus: z.record(RotationStatus, z.number().int()),
  byType: z.record(z.string(), z.number().int()),
  byOwner: z.record(z.string(), z.number().int()),
  /** Total compliance violations, and how many items have at least one. */
  violations: z.number().int(),
  itemsWithViolations: z.number().int(),
  byProfile: z.record(z.string(), z.number().int()),
  /** Scheduler outcome: on time, late (scheduled after due), unscheduled (no day found). */
  scheduling: z.object({
    onTime: z.number().int(),
    late: z.number().int(),
    unscheduled: z.number().int(),
    byIssue: z.record(z.string(), z.number().int()),
  }),
});
export type RotationPlanSummary = z.infer<typeof RotationPlanSummary>;

/**
 * The settings a plan was made with (after flags, policy file and defaults were combined).
 *
 * @example
 * ```ts
 * RotationPlanSettings.parse({ timeZone: 'UTC', withinDays: 14, maxIntervalDays: null, capacity: null, profiles: [] });
 * ```
 */
export const RotationPlanSettings = z.object({
  timeZone: z.string(),
  withinDays: z.number().int(),
  maxIntervalDays: z.number().int().nullable(),
  capacity: z.number().int().nullable(),
  profiles: z.array(z.string()),
});
export type RotationPlanSettings = z.infer<typeof RotationPlanSettings>;

/**
 * A rotation plan, the `--json` document of `svm rotation plan` and the published
 * `rotation-plan.json` schema: the planning day, the settings, items sorted by urgency, the methods
 * they use (steps listed once), a summary of counts and non-fatal warnings. The one schema of this
 * document: `@svm/rotation`'s `planRotations` returns this type.
 *
 * @example
 * ```ts
 * RotationPlan.shape.now.parse('2026-03-01');
 * ```
 */
export const RotationPlan = z.object({
  now: IsoDate,
  settings: RotationPlanSettings,
  items: z.array(RotationPlanItem),
  /** The methods the items use, by id: title, downtime risk and steps. */
  methods: z.record(
    z.string(),
    z.object({ title: z.string(), downtimeRisk: z.string(), steps: z.array(z.string()).readonly() }),
  ),
  summary: RotationPlanSummary,
  /** Non-fatal remarks (duplicate ids, unknown strategies). */
  warnings: z.array(z.string()),
});
export type RotationPlan = z.infer<typeof RotationPlan>;
