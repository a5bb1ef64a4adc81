// The @svm/rotation README quick start.
import { readFileSync } from 'node:fs';
import { loadInventory, planRotations, renderPlan } from '@svm/rotation';

const file = new URL('../data/inventory.yaml', import.meta.url);
const inventory = loadInventory(readFileSync(file, 'utf8'), { file: 'inventory.yaml' });
const plan = planRotations(inventory.items, {
  now: '2026-03-01', // omit to use today in `timeZone`
  timeZone: 'UTC',
  capacity: 2, // rotations per team per day
  profiles: ['pci-dss-v4'],
  source: inventory, // lets errors name inventory.yaml and the line
});

console.log(plan.summary.overdue, 'overdue,', plan.summary.dueSoon, 'due soon');
for (const item of plan.items.filter((i) => i.status === 'overdue')) {
  console.log(`${item.id}: due ${item.due}, rotate on ${item.scheduled} by ${item.method} (${item.owner})`);
}
const calendar = renderPlan(plan, 'ics'); // also 'table', 'json', 'md', 'csv'
console.log(calendar.split('\r\n')[0]);
