import type { Clock, ComplianceViolation, InventoryItem, RotationStatus } from '@svm/core';
import { type PlanOptions, planRotations } from '@svm/rotation';
import type { AnalysisResult } from '../analyzer.js';
import { itemKey, latest, matchActivity } from './inventory-match.js';

/** Rotation compliance of one inventory secret, as `@svm/rotation` plans it once the logs are taken into account. */
export interface RotationComplianceItem {
  secret: string;
  /** The canonical type (`tls-cert` → `tls-certificate`), as in `svm rotation plan`. */
  type: string;
  /** The interval that applies, in days; `null` when only the expiry drives the due date (certificates). */
  intervalDays: number | null;
  /** From the inventory's `last_rotated`. */
  inventoryLastRotated: string | null;
  /** The latest new-version write seen in the logs. */
  loggedLastWrite: string | null;
  /** The day the current value was set (the later of the two; else `issued_at`, else `created`), `YYYY-MM-DD`. */
  lastRotated: string | null;
  /** Due day, `YYYY-MM-DD`: last rotation + interval, or expiry − renew-before if earlier. */
  due: string;
  dueReason: 'interval' | 'expiry' | 'never-rotated';
  expiresAt: string | null;
  daysUntilDue: number;
  /** Exactly the status `svm rotation plan` gives the item (with the logged writes as its last rotation). */
  status: RotationStatus;
  evidence: 'log' | 'inventory' | 'none';
  daysOverdue: number;
  /** Compliance violations of the item's `compliance` tags and of the requested profiles. */
  violations: ComplianceViolation[];
}

/** The rotation compliance report. */
export interface RotationComplianceReport {
  type: 'rotation';
  asOf: string;
  /** The planning day (`YYYY-MM-DD` in the report's time zone). */
  day: string;
  items: RotationComplianceItem[];
  /** `compliant` counts the items that are not overdue and were rotated at least once (`ok` + `dueSoon`). */
  summary: {
    compliant: number;
    ok: number;
    dueSoon: number;
    overdue: number;
    neverRotated: number;
    violations: number;
  };
}

/** Options for {@link rotationReport}: the planning options of `@svm/rotation` (profiles, zone, policy, …). */
export type RotationReportOptions = Pick<
  PlanOptions,
  'timeZone' | 'maxIntervalDays' | 'withinDays' | 'policy' | 'profiles' | 'source'
>;

/**
 * Rotation interval used by `@svm/rotation` for a type it does not know (days).
 *
 * @example
 * ```ts
 * DEFAULT_ROTATION_DAYS; // 90
 * ```
 */
export const DEFAULT_ROTATION_DAYS = 90;

/**
 * Join a rotation inventory with the logs and plan it with `@svm/rotation` (the one rotation engine, so the
 * report and `svm rotation plan` always agree): a write of a new version seen in the logs (KV v2 write,
 * PutSecretValue, RotationSucceeded, AddSecretVersion, SecretSet) that is later than the inventory's
 * `last_rotated` counts as the last rotation, so an inventory whose `last_rotated` is stale is corrected by
 * what the logs show. Types, intervals, expiry, `--profile` violations: all as in the planner.
 *
 * @example
 * ```ts
 * const report = rotationReport(result, items, fixedClock('2026-03-20T00:00:00Z'), { profiles: ['pci-dss-v4'] });
 * report.items[0]?.status; // 'overdue' | 'due-soon' | 'ok' | 'never-rotated'
 * ```
 */
export function rotationReport(
  result: AnalysisResult,
  items: readonly InventoryItem[],
  clock: Clock,
  options: RotationReportOptions = {},
): RotationComplianceReport {
  const asOf = clock.now();
  const logged: Array<string | null> = [];
  const effective = items.map((item) => {
    const activity = matchActivity(item, result.aggregates.secrets);
    const write = activity.reduce<string | null>((acc, s) => latest(acc, s.lastWrite), null);
    logged.push(write);
    const inv = item.last_rotated || null;
    return write && latest(inv, write) === write && write !== inv ? { ...item, last_rotated: write } : item;
  });
  const plan = planRotations(effective, { ...options, clock });
  // The plan is sorted by urgency; put its items back in inventory order (ids may repeat: the plan keeps
  // items with the same id in inventory order).
  const byId = new Map<string, typeof plan.items>();
  for (const p of plan.items) {
    const list = byId.get(p.id);
    if (list) list.push(p);
    else byId.set(p.id, [p]);
  }
  const out: RotationComplianceItem[] = items.map((item, i) => {
    const id = item.id ?? item.name ?? `unnamed-${i}`;
    const p = (byId.get(id) as typeof plan.items).shift() as (typeof plan.items)[number];
    const inv = item.last_rotated || null;
    const write = logged[i] ?? null;
    const fromLog = write !== null && effective[i] !== item;
    return {
      secret: itemKey(item) || id,
      type: p.type,
      intervalDays: p.intervalDays,
      inventoryLastRotated: inv,
      loggedLastWrite: write,
      lastRotated: p.lastRotated,
      due: p.due,
      dueReason: p.dueReason as RotationComplianceItem['dueReason'],
      expiresAt: p.expiresAt ?? null,
      daysUntilDue: p.daysUntilDue,
      status: p.status,
      evidence: fromLog ? 'log' : p.lastRotated !== null ? 'inventory' : 'none',
      daysOverdue: p.daysUntilDue < 0 ? -p.daysUntilDue : 0,
      violations: p.violations ?? [],
    };
  });
  const s = plan.summary;
  return {
    type: 'rotation',
    asOf: asOf.toISOString(),
    day: plan.now,
    items: out,
    summary: {
      compliant: s.ok + s.dueSoon,
      ok: s.ok,
      dueSoon: s.dueSoon,
      overdue: s.overdue,
      neverRotated: s.neverRotated,
      violations: s.violations,
    },
  };
}
