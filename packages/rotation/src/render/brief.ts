import type { RotationPlanDocument } from '../plan/plan.js';

/**
 * A plan in a few lines: the counts, the three most urgent items (overdue or never rotated) with owner, method and
 * scheduled day, and the compliance violations per profile (`svm demo`).
 *
 * @example
 * ```ts
 * renderPlanBrief(planRotations(items, { now: '2026-03-01' }));
 * // ['12 secrets as of 2026-03-01: 3 overdue, 2 due soon, 1 never rotated, 6 ok', '  orders-db (database, 40d overdue): …']
 * ```
 */
export function renderPlanBrief(plan: RotationPlanDocument): string[] {
  const s = plan.summary;
  const lines = [
    `${s.total} secrets as of ${plan.now}: ${s.overdue} overdue, ${s.dueSoon} due soon, ${s.neverRotated} never rotated, ${s.ok} ok`,
  ];
  const urgent = plan.items.filter((i) => i.status === 'overdue' || i.status === 'never-rotated').slice(0, 3);
  for (const item of urgent) {
    const when = item.status === 'overdue' ? `${-item.daysUntilDue}d overdue` : 'never rotated';
    lines.push(
      `  ${item.id} (${item.type}, ${when}): ${item.owner ?? 'unassigned'} by ${item.method}, scheduled ${item.scheduled ?? 'none'}`,
    );
  }
  if (s.violations > 0) {
    const byProfile = Object.entries(s.byProfile)
      .map(([profile, count]) => `${profile} ${count}`)
      .join(', ');
    lines.push(
      `${s.violations} compliance violation${s.violations === 1 ? '' : 's'} on ${s.itemsWithViolations} item${s.itemsWithViolations === 1 ? '' : 's'} (${byProfile})`,
    );
  }
  return lines;
}
