import type { RotationStatus } from '@svm/core';
import type { RotationPlanDocument } from '../plan/plan.js';
import { formatDaysLeft, headline, itemNotes, STATUS_LABEL } from './text.js';

/** Styling hooks for {@link renderPlanTable}; the CLI passes colours on a TTY, tests pass nothing. */
export interface TableStyle {
  status?: (status: RotationStatus, text: string) => string;
  heading?: (text: string) => string;
}

const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * The plan as a plain aligned table with a headline, then compliance violations, scheduling issues and
 * warnings. No colour unless `style` adds it.
 *
 * @example
 * ```ts
 * console.log(renderPlanTable(planRotations(items, { now: '2026-03-01' })));
 * ```
 */
export function renderPlanTable(plan: RotationPlanDocument, style: TableStyle = {}): string {
  const heading = style.heading ?? ((t: string) => t);
  const lines: string[] = [headline(plan)];
  if (plan.items.length === 0) {
    lines.push('', 'No secrets in inventory.');
    return `${lines.join('\n')}\n`;
  }
  const header = ['ID', 'TYPE', 'STATUS', 'DUE', 'IN', 'SCHEDULED', 'OWNER', 'METHOD', 'NOTES'];
  const rows = plan.items.map((item) => [
    item.id,
    item.type,
    style.status ? style.status(item.status, STATUS_LABEL[item.status]) : STATUS_LABEL[item.status],
    item.due,
    formatDaysLeft(item.daysUntilDue),
    item.scheduled ?? '-',
    item.owner ?? '-',
    item.method,
    itemNotes(item),
  ]);
  lines.push('', alignTable([header.map((h) => heading(h)), ...rows]));
  const violations = plan.items.flatMap((item) =>
    (item.violations ?? []).map((v) => `  ${item.id}: ${v.profile} ${v.requirement}: ${v.message}`),
  );
  if (violations.length > 0) lines.push('', heading(`Compliance violations (${violations.length})`), ...violations);
  const issues = plan.items
    .filter((i) => i.scheduleIssue)
    .map((i) => `  ${i.id}: ${i.scheduleIssue?.code}: ${i.scheduleIssue?.message}`);
  if (issues.length > 0) lines.push('', heading(`Scheduling issues (${issues.length})`), ...issues);
  if (plan.warnings.length > 0) lines.push('', heading('Warnings'), ...plan.warnings.map((w) => `  ${w}`));
  return `${lines.join('\n')}\n`;
}

function width(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

function alignTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, width(cell));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
