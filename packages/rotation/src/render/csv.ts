import { csvStringifyLib } from '../internal/lazy.js';
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
 * joined with `;`; violations read `profile requirement: message`. Text cells that a spreadsheet would run
 * as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) are escaped as OWASP's CSV
 * injection guidance says: prefixed with a single quote and quoted (`"'=HYPERLINK(…)"`). Numbers such as a
 * negative `days_until_due` stay numbers.
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
  return csvStringifyLib().stringify(rows, {
    header: true,
    columns: [...PLAN_CSV_COLUMNS],
    record_delimiter: 'unix',
    cast: { string: escapeFormula },
  });
}

// OWASP "CSV Injection": the characters that start a formula in Excel, LibreOffice and Google Sheets.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Neutralise a text cell a spreadsheet would evaluate: `'` in front, and always quoted. */
function escapeFormula(value: string): string | { value: string; quoted: boolean } {
  return FORMULA_START.test(value) ? { value: `'${value}`, quoted: true } : value;
}
