import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoContext, DemoStep } from './step.js';

/**
 * `svm demo` step: plan `<examplesDir>/inventory.yaml` as of `d.today` and say what needs doing first.
 */
export async function runRotationDemo(d: DemoContext): Promise<DemoStep> {
  const name = 'rotation plan';
  const { loadInventory, planRotations } = await import('@svm/rotation');
  const file = join(d.examplesDir, 'inventory.yaml');
  const inventory = loadInventory(await readFile(file, 'utf8'), { file: 'inventory.yaml' });
  const plan = planRotations(inventory.items, { now: d.today, capacity: 2, source: inventory });
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
  return { name, status: 'ok', lines };
}
