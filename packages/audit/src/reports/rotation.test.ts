import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '@svm/core';
import { loadInventory, planRotations } from '@svm/rotation';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../analyzer.js';
import { rotationReport } from './rotation.js';

const noActivity = { aggregates: { secrets: [] } } as unknown as AnalysisResult;
const clock = fixedClock('2026-03-01T00:00:00Z');
const REPO = join(import.meta.dirname, '../../../..');

/** Every inventory file under examples/ (any depth): the report and the planner must agree on all of them. */
function exampleInventories(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/inventory[^/]*\.(json|ya?ml|csv)$/i.test(entry.name)) out.push(path);
    }
  };
  walk(join(REPO, 'examples'));
  return out;
}

describe('rotationReport uses the one rotation engine (@svm/rotation)', () => {
  const files = exampleInventories();
  it('finds the example inventories', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  for (const file of files) {
    for (const now of ['2026-03-01', '2026-06-15', '2027-01-01']) {
      for (const profiles of [undefined, ['all']]) {
        it(`${file.slice(REPO.length + 1)} on ${now}${profiles ? ' --profile all' : ''}: same status, due and violations as the plan`, () => {
          const inv = loadInventory(readFileSync(file, 'utf8'), { file });
          const plan = planRotations(inv.items, { now, profiles });
          const report = rotationReport(noActivity, inv.items, fixedClock(`${now}T12:00:00Z`), { profiles });
          const planned = new Map(plan.items.map((p) => [p.id, p]));
          expect(report.items).toHaveLength(plan.items.length);
          inv.items.forEach((item, i) => {
            const p = planned.get(item.id ?? item.name ?? `unnamed-${i}`);
            const r = report.items[i];
            expect({ status: r?.status, due: r?.due, interval: r?.intervalDays, violations: r?.violations }).toEqual({
              status: p?.status,
              due: p?.due,
              interval: p?.intervalDays,
              violations: p?.violations,
            });
          });
          expect(report.summary.overdue).toBe(plan.summary.overdue);
          expect(report.summary.neverRotated).toBe(plan.summary.neverRotated);
        });
      }
    }
  }

  it('the quickstart database password is due after 30 days and the TLS certificate from its expiry', () => {
    const file = join(REPO, 'examples/quickstart/data/inventory.yaml');
    const inv = loadInventory(readFileSync(file, 'utf8'), { file });
    const report = rotationReport(noActivity, inv.items, clock);
    const db = report.items.find((i) => i.secret === 'prod-db-password');
    expect(db).toMatchObject({ intervalDays: 30, due: '2026-02-14', status: 'overdue', daysOverdue: 15 });
    const tls = report.items.find((i) => i.secret === 'api-gateway-tls');
    expect(tls).toMatchObject({
      status: 'overdue',
      dueReason: 'expiry',
      lastRotated: '2025-03-01',
      expiresAt: '2026-04-10',
      due: '2026-02-09',
    });
  });
});

it('reads an inventory interval as days, like @svm/rotation, and an empty last_rotated as never rotated', () => {
  const report = rotationReport(
    noActivity,
    [
      { name: 'a', type: 'api-key', last_rotated: '2026-02-01', interval: 30 },
      { name: 'b', type: 'api-key', last_rotated: '2026-02-01', interval: '60d' },
      { name: 'c', type: 'api-key', last_rotated: '' as unknown as string },
    ],
    clock,
  );
  const [a, b, c] = report.items;
  expect(a?.intervalDays).toBe(30);
  expect(a?.status).toBe('due-soon');
  expect(b?.intervalDays).toBe(60);
  expect(b?.status).toBe('ok');
  expect(c?.status).toBe('never-rotated');
  expect(report.summary).toMatchObject({ compliant: 2, neverRotated: 1 });
});

it('a logged write later than the inventory date is the last rotation', () => {
  const logs = {
    aggregates: { secrets: [{ secret: 'secret/app/db', lastWrite: '2026-02-25T10:00:00Z' }] },
  } as unknown as AnalysisResult;
  const report = rotationReport(logs, [{ id: 'app/db', type: 'database', last_rotated: '2025-12-01' }], clock);
  expect(report.items[0]).toMatchObject({
    status: 'ok',
    evidence: 'log',
    lastRotated: '2026-02-25',
    due: '2026-03-27',
    inventoryLastRotated: '2025-12-01',
  });
});

it('with profiles, an overdue tagged item carries a violation', () => {
  const report = rotationReport(
    noActivity,
    [{ id: 'k', type: 'ssh-key', last_rotated: '2024-01-01', compliance: ['pci-dss-v4'] }],
    clock,
    { profiles: ['pci-dss-v4'] },
  );
  expect(report.items[0]?.status).toBe('overdue');
  expect(report.items[0]?.violations.length).toBeGreaterThan(0);
});
