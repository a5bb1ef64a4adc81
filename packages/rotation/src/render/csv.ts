import { stringify } from 'csv-stringify/sync';
import type { RotationPlanDocument } from '../plan/plan.js';

/** The CSV columns, in order. */
export const PLAN_CSV_COLUMNS = [
  'id',
  'name',
  'type',
  'status',
  'due',
  'days_until_due',
  'scheduled',
  'schedule_issue',
  'last_rotated',
  'interval_days',
  'due_reason',
  'expires_at',
  'owner',
  'team',
  'environment',
  'store',
  'criticality',
  'method',
  'downtime_risk',
  'depends_on',
  'violations',
] as const;

/**
 * The plan as CSV (RFC 4180, header row, one row per item) for spreadsheets and ticket imports. Lists are
 * joined with `;`; violations read `profile requirement: message`.
 *
 * @example
 * ```ts
 * renderPlanCsv(plan).split('\n')[0]; // 'id,name,type,status,due,…'
 * ```
 */
export function renderPlanCsv(plan: RotationPlanDocument): string {
  const rows = plan.items.map((item) => [
    item.id,
    item.name ?? item.id,
    item.type,
    item.status,
    item.due,
    item.daysUntilDue,
    item.scheduled ?? '',
    item.scheduleIssue ? `${item.scheduleIssue.code}: ${item.scheduleIssue.message}` : '',
    item.lastRotated ?? '',
    item.intervalDays ?? '',
    item.dueReason ?? '',
    item.expiresAt ?? '',
    item.owner ?? '',
    item.team ?? '',
    item.environment ?? '',
    item.store ?? '',
    item.criticality ?? '',
    item.method,
    item.downtimeRisk ?? '',
    (item.dependsOn ?? []).join(';'),
    (item.violations ?? []).map((v) => `${v.profile} ${v.requirement}: ${v.message}`).join('; '),
  ]);
  return stringify(rows, { header: true, columns: [...PLAN_CSV_COLUMNS], record_delimiter: 'unix' });
}
