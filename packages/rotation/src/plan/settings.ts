import type { RotationStatus } from '@svm/core';
import { MAX_INTERVAL_DAYS, SvmError, type TextStyle, fullStyle, parseDays } from '@svm/core/base';
import type { TableStyle } from '../render/table.js';
import { type RotationPlanDocument, summarizePlanItems } from './plan.js';

/** The plan settings a user typed (`svm rotation plan` flags). */
export interface PlanRequest {
  /** Planning day YYYY-MM-DD. */
  now?: string | undefined;
  /** Cap on every interval, in days (`30d`). */
  maxInterval?: string | undefined;
  /** Due within this many days counts as due soon (`14d`). */
  within?: string | undefined;
  /** Rotations per team per day, a whole number of at least 1. */
  capacity?: string | undefined;
}

function dayFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let days: number;
  try {
    days = parseDays(value);
  } catch {
    throw new SvmError('USAGE', `${flag}: expected a whole number of days such as 30d, got '${value}'`);
  }
  if (days > MAX_INTERVAL_DAYS)
    throw new SvmError('USAGE', `${flag}: expected at most ${MAX_INTERVAL_DAYS} days (100 years), got '${value}'`);
  return days;
}

/**
 * Check the plan settings a user typed and turn them into {@link planRotations} options. Throws `USAGE` naming the
 * flag (`--now`, `--max-interval`, `--within`, `--capacity`).
 *
 * @example
 * ```ts
 * planSettings({ now: '2026-03-01', maxInterval: '30d', capacity: '3' }); // { now, maxIntervalDays: 30, withinDays: undefined, capacity: 3 }
 * ```
 */
export function planSettings(request: PlanRequest): {
  now: string | undefined;
  maxIntervalDays: number | undefined;
  withinDays: number | undefined;
  capacity: number | undefined;
} {
  if (request.now !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(request.now))
    throw new SvmError('USAGE', `--now: expected YYYY-MM-DD, got '${request.now}'`);
  const maxIntervalDays = dayFlag('--max-interval', request.maxInterval);
  const withinDays = dayFlag('--within', request.within);
  let capacity: number | undefined;
  if (request.capacity !== undefined) {
    capacity = Number(request.capacity);
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new SvmError('USAGE', `--capacity: expected a whole number of at least 1, got '${request.capacity}'`);
  }
  if (maxIntervalDays === 0) throw new SvmError('USAGE', '--max-interval: expected at least 1 day');
  return { now: request.now, maxIntervalDays, withinDays, capacity };
}

/**
 * The part of a plan one owner or team is responsible for, with its own summary.
 *
 * @example
 * ```ts
 * renderPlan(planForOwner(plan, 'platform'), 'ics', { owner: 'platform' });
 * ```
 */
export function planForOwner(plan: RotationPlanDocument, owner: string): RotationPlanDocument {
  const items = plan.items.filter((i) => i.owner === owner || i.team === owner);
  return { ...plan, items, summary: summarizePlanItems(items) };
}

/**
 * The {@link renderPlanTable} style of a terminal: overdue red, never rotated magenta, due soon yellow, ok green,
 * headings bold.
 *
 * @example
 * ```ts
 * renderPlanTable(plan, planTableStyle(picocolors));
 * ```
 */
export function planTableStyle(style: TextStyle = {}): TableStyle {
  const c = fullStyle(style);
  const statusColor: Record<RotationStatus, (s: string) => string> = {
    overdue: c.red,
    'never-rotated': c.magenta,
    'due-soon': c.yellow,
    ok: c.green,
  };
  return { status: (s, t) => statusColor[s](t), heading: c.bold };
}
