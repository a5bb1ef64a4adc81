import { RotationPlan, fixedClock, isSvmError, type InventoryItem } from '@svm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../inventory/load-inventory.js';
import { formatIsoDay, parseIsoDay } from '../internal/days.js';
import { planRotations, summarizePlanItems } from './plan.js';

const NOW = '2026-03-01';
const one = (item: InventoryItem, options: Parameters<typeof planRotations>[1] = {}) => {
  const item0 = planRotations([item], { now: NOW, ...options }).items[0];
  if (!item0) throw new Error('no item');
  return item0;
};
const shift = (date: string, days: number) => formatIsoDay((parseIsoDay(date) as number) + days);

describe('due dates and status', () => {
  it('uses the original intervals per type, 90 days for unknown types', () => {
    const expected: Record<string, number> = {
      database: 30,
      password: 30,
      'tls-certificate': 60,
      'api-key': 90,
      'ssh-key': 90,
      'encryption-key': 90,
      'oauth-secret': 90,
      'service-token': 1,
      'something-else': 90,
    };
    for (const [type, days] of Object.entries(expected)) {
      const item = one({ name: type, type, last_rotated: '2026-01-01' });
      expect(item.intervalDays, type).toBe(days);
      expect(item.due, type).toBe(shift('2026-01-01', days));
    }
  });

  it('marks every status boundary (within 14 days by default)', () => {
    const dueIn = (days: number) => one({ name: 'x', type: 'database', last_rotated: shift(NOW, days - 30) });
    expect(dueIn(-1)).toMatchObject({ status: 'overdue', daysUntilDue: -1 });
    expect(dueIn(0)).toMatchObject({ status: 'due-soon', daysUntilDue: 0 });
    expect(dueIn(1)).toMatchObject({ status: 'due-soon', daysUntilDue: 1 }); // the original called this overdue
    expect(dueIn(14)).toMatchObject({ status: 'due-soon', daysUntilDue: 14 });
    expect(dueIn(15)).toMatchObject({ status: 'ok', daysUntilDue: 15 });
    const within3 = (days: number) =>
      one({ name: 'x', type: 'database', last_rotated: shift(NOW, days - 30) }, { withinDays: 3 });
    expect(within3(3).status).toBe('due-soon');
    expect(within3(4).status).toBe('ok');
  });

  it('a service token rotated today is due tomorrow, not overdue', () => {
    expect(one({ name: 't', type: 'service-token', last_rotated: NOW })).toMatchObject({
      due: '2026-03-02',
      status: 'due-soon',
      daysUntilDue: 1,
    });
  });

  it('never rotated: due today, lastRotated null', () => {
    expect(one({ name: 'x', type: 'api-key' })).toMatchObject({
      status: 'never-rotated',
      due: NOW,
      daysUntilDue: 0,
      lastRotated: null,
      dueReason: 'never-rotated',
    });
    expect(one({ name: 'x', type: 'api-key', last_rotated: '' }).status).toBe('never-rotated');
  });

  it('caps intervals with --max-interval', () => {
    expect(one({ name: 'x', type: 'api-key', last_rotated: '2026-01-01' }, { maxIntervalDays: 30 })).toMatchObject({
      intervalDays: 30,
      due: '2026-01-31',
    });
    expect(
      one({ name: 'x', type: 'service-token', last_rotated: '2026-01-01' }, { maxIntervalDays: 30 }).intervalDays,
    ).toBe(1);
  });

  it('certificates with an expiry are due 60 days before it; other types at the earlier of both', () => {
    expect(
      one({ name: 'c', type: 'tls-certificate', last_rotated: '2026-01-01', expires_at: '2026-12-31' }),
    ).toMatchObject({
      intervalDays: null,
      due: '2026-11-01',
      dueReason: 'expiry',
    });
    expect(one({ name: 'c', type: 'tls-certificate', last_rotated: '2026-01-01' })).toMatchObject({
      intervalDays: 60,
      due: '2026-03-02',
    });
    expect(one({ name: 'k', type: 'api-key', last_rotated: '2026-02-01', expires_at: '2026-04-01' })).toMatchObject({
      due: '2026-01-31',
      dueReason: 'expiry',
      status: 'overdue',
    });
    expect(
      one({ name: 'k', type: 'api-key', last_rotated: '2026-02-01', expires_at: '2026-04-01', renew_before: '7d' }).due,
    ).toBe('2026-03-25');
    expect(
      one(
        { name: 'c', type: 'tls-certificate', expires_at: '2026-06-01' },
        { policy: { defaults: { renew_before: '30d' } } },
      ).due,
    ).toBe('2026-05-02');
  });

  it('applies policy type overrides and item intervals', () => {
    const policy = {
      types: {
        database: { interval: '14d' },
        'vendor-credential': { interval: '180d', strategy: 'overlap-window' as const },
      },
    };
    expect(one({ name: 'd', type: 'database', last_rotated: '2026-02-20' }, { policy })).toMatchObject({
      intervalDays: 14,
      due: '2026-03-06',
    });
    expect(one({ name: 'v', type: 'vendor-credential', last_rotated: '2026-01-01' }, { policy })).toMatchObject({
      intervalDays: 180,
      method: 'overlap-window',
    });
    expect(one({ name: 'd', type: 'database', last_rotated: '2026-02-20', interval: 7 }).intervalDays).toBe(7);
    expect(one({ name: 'd', type: 'database', last_rotated: '2026-02-20', interval: '12h' }).intervalDays).toBe(1);
  });

  it('maps type aliases to canonical names and picks methods', () => {
    expect(one({ name: 'c', type: 'TLS_Cert', last_rotated: NOW })).toMatchObject({
      type: 'tls-certificate',
      method: 'renew-before-expiry',
    });
    expect(one({ name: 'd', type: 'db-creds', last_rotated: NOW })).toMatchObject({
      type: 'database',
      method: 'dual-account',
      downtimeRisk: 'none',
    });
    expect(one({ name: 'u' })).toMatchObject({ type: 'unknown', method: 'manual', intervalDays: 90 });
  });

  it('crosses month ends and leap days', () => {
    expect(one({ name: 'd', type: 'database', last_rotated: '2028-01-30' }, { now: '2028-02-01' }).due).toBe(
      '2028-02-29',
    );
    expect(one({ name: 'd', type: 'database', last_rotated: '2027-01-30' }, { now: '2027-02-01' }).due).toBe(
      '2027-03-01',
    );
    expect(one({ name: 'k', type: 'api-key', last_rotated: '2025-12-15' }, { now: '2026-01-01' }).due).toBe(
      '2026-03-15',
    );
  });

  it('takes date-times on their calendar day in the planning zone', () => {
    const item = { name: 't', type: 'database', last_rotated: '2026-02-28T23:30:00-08:00' };
    expect(one(item).lastRotated).toBe('2026-03-01');
    expect(one(item, { timeZone: 'America/Los_Angeles' }).lastRotated).toBe('2026-02-28');
    expect(one(item, { timeZone: 'Pacific/Kiritimati' }).lastRotated).toBe('2026-03-01');
  });

  it('defaults today to the clock in the stated zone', () => {
    const clock = fixedClock('2026-03-01T11:30:00Z');
    expect(planRotations([], { clock, timeZone: 'Pacific/Kiritimati' }).now).toBe('2026-03-02');
    expect(planRotations([], { clock, timeZone: 'America/Los_Angeles' }).now).toBe('2026-03-01');
    expect(planRotations([], { clock: fixedClock('2026-03-01T09:00:00Z'), timeZone: 'America/Los_Angeles' }).now).toBe(
      '2026-03-01',
    );
    expect(planRotations([], { clock: fixedClock('2026-03-01T07:00:00Z'), timeZone: 'America/Los_Angeles' }).now).toBe(
      '2026-02-28',
    );
  });

  it('rejects an unknown zone and a bad --now', () => {
    expect(() => planRotations([], { now: NOW, timeZone: 'Mars/Olympus' })).toThrow(
      /unknown time zone 'Mars\/Olympus'/,
    );
    expect(() => planRotations([], { now: '2026-02-30' })).toThrow(/expected --now as YYYY-MM-DD/);
  });

  it('daysUntilDue is due - now and the status follows from it (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -400, max: 400 }),
        fc.constantFrom('database', 'api-key', 'service-token', 'tls-certificate', 'x'),
        fc.integer({ min: 0, max: 60 }),
        (offset, type, within) => {
          const item = one({ name: 'p', type, last_rotated: shift(NOW, offset) }, { withinDays: within });
          expect((parseIsoDay(item.due) as number) - (parseIsoDay(NOW) as number)).toBe(item.daysUntilDue);
          const expected = item.daysUntilDue < 0 ? 'overdue' : item.daysUntilDue <= within ? 'due-soon' : 'ok';
          expect(item.status).toBe(expected);
          if (item.scheduled !== undefined && item.status !== 'overdue') expect(item.scheduled <= item.due).toBe(true);
        },
      ),
    );
  });

  it('sorts most urgent first and counts statuses', () => {
    const plan = planRotations(
      [
        { name: 'ok', type: 'api-key', last_rotated: '2026-02-01' },
        { name: 'late', type: 'database', last_rotated: '2026-01-01' },
        { name: 'never', type: 'database' },
        { name: 'soon', type: 'database', last_rotated: '2026-02-05' },
      ],
      { now: NOW },
    );
    expect(plan.items.map((i) => i.id)).toEqual(['late', 'never', 'soon', 'ok']);
    expect(plan.summary).toMatchObject({ total: 4, overdue: 1, neverRotated: 1, dueSoon: 1, ok: 1 });
  });
});

describe('dependencies', () => {
  const yaml = `- name: a
  type: database
  last_rotated: 2026-02-10
  depends_on: [c]
- name: b
  type: api-key
  last_rotated: 2026-02-01
  depends_on: [a]
- name: c
  type: api-key
  last_rotated: 2026-02-01
  depends_on: [b]
`;
  it('reports a cycle by naming it, with file and line', () => {
    const inv = loadInventory(yaml, { file: 'inv.yaml' });
    try {
      planRotations(inv.items, { now: NOW, source: inv });
      expect.unreachable();
    } catch (error) {
      expect(isSvmError(error) && error.code).toBe('INPUT_INVALID');
      expect(String(error)).toBe('inv.yaml:1: depends_on: dependency cycle: a -> b -> c -> a');
    }
  });

  it('reports an unknown dependency with its line', () => {
    const inv = loadInventory(yaml.replace('depends_on: [b]', 'depends_on: [zz]'), { file: 'inv.yaml' });
    expect(() => planRotations(inv.items, { now: NOW, source: inv })).toThrow(
      expect.objectContaining({ location: { file: 'inv.yaml', line: 9, field: 'depends_on' } }),
    );
  });

  it('schedules prerequisites on or before their dependants', () => {
    const plan = planRotations(
      [
        { id: 'app', type: 'database', last_rotated: '2026-02-02', depends_on: ['root'] },
        { id: 'root', type: 'database', last_rotated: '2026-02-20' },
      ],
      { now: NOW },
    );
    const day = Object.fromEntries(plan.items.map((i) => [i.id, i.scheduled]));
    expect(day).toEqual({ app: '2026-03-04', root: '2026-03-04' });
  });
});

describe('plan order', () => {
  it('is days until due, status, criticality, id, input order (packed native sort = reference comparator)', () => {
    const types = ['database', 'api-key', 'service-token', 'vendor'];
    const crits = [undefined, 'low', 'high', 'critical'] as const;
    const items = Array.from({ length: 3000 }, (_, i) => ({
      id: `s${(i * 7919) % 500}`,
      type: types[i % 4],
      last_rotated: i % 13 === 0 ? undefined : `2026-0${1 + (i % 3)}-1${i % 10}`,
      criticality: crits[i % 4],
    }));
    const plan = planRotations(items, { now: '2026-03-01' });
    const rank: Record<string, number> = { overdue: 0, 'never-rotated': 1, 'due-soon': 2, ok: 3 };
    const critRank: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };
    const key = (x: (typeof plan.items)[number]) =>
      x.daysUntilDue * 100 +
      (rank[x.status] as number) * 10 +
      (4 - (x.criticality ? (critRank[x.criticality] as number) : 0));
    for (let i = 1; i < plan.items.length; i++) {
      const a = plan.items[i - 1] as (typeof plan.items)[number];
      const b = plan.items[i] as (typeof plan.items)[number];
      expect(key(a) < key(b) || (key(a) === key(b) && a.id <= b.id)).toBe(true);
    }
  });
});

describe('the plan document', () => {
  it("is exactly core's RotationPlan schema (the one published as rotation-plan.json)", () => {
    const plan = planRotations(
      [
        { name: 'prod-db', type: 'database', last_rotated: '2026-02-01', owner: 'platform' },
        { name: 'api-key', type: 'api_key' },
      ] as InventoryItem[],
      { now: '2026-03-01', profiles: ['pci-dss-v4'] },
    );
    const parsed = RotationPlan.safeParse(plan);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(Object.keys(RotationPlan.shape).sort()).toEqual(Object.keys(plan).sort());
  });
});

describe('plan items as built (one pass, in output order)', () => {
  const BASE_KEYS = [
    'id',
    'type',
    'lastRotated',
    'intervalDays',
    'due',
    'daysUntilDue',
    'status',
    'owner',
    'method',
    'name',
    'store',
    'environment',
    'team',
    'criticality',
    'dueReason',
    'expiresAt',
    'downtimeRisk',
    'dependsOn',
    'violations',
  ];
  const itemArb = fc.record(
    {
      name: fc.constantFrom('a', 'b', 'c', 'd'),
      type: fc.constantFrom('database', 'api-key', 'tls-certificate', 'service-token', 'x'),
      owner: fc.constantFrom('t1', 't2'),
      last_rotated: fc.integer({ min: -200, max: 40 }).map((d) => shift(NOW, d)),
      expires_at: fc.integer({ min: -30, max: 200 }).map((d) => shift(NOW, d)),
      criticality: fc.constantFrom('low', 'high', 'critical'),
      compliance: fc.constant(['pci-dss-v4']),
    },
    { requiredKeys: ['name'] },
  );

  it('have exactly the keys of their shape (scheduled, scheduleIssue only when set), and the summary counts them', () => {
    // A blackout for team t2 from today on leaves its late work without any day: the shape without `scheduled`.
    const blackout = { blackouts: [{ from: NOW, to: '9999-12-31', teams: ['t2'] }] };
    fc.assert(
      fc.property(
        fc.array(itemArb, { maxLength: 40 }),
        fc.constantFrom(undefined, 1, 2),
        fc.boolean(),
        (raw, capacity, withBlackout) => {
          const items = raw.map((x, i) => ({ ...x, id: `${x.name}${i % 7}` })) as InventoryItem[];
          const plan = planRotations(items, { now: NOW, capacity, policy: withBlackout ? blackout : undefined });
          for (const item of plan.items) {
            const expected = [...BASE_KEYS];
            if (item.scheduled !== undefined) expected.push('scheduled');
            if (item.scheduleIssue !== undefined) expected.push('scheduleIssue');
            expect(Object.keys(item)).toEqual(expected);
          }
          expect(plan.summary).toEqual(summarizePlanItems(plan.items));
          expect(JSON.stringify(plan.summary)).toBe(JSON.stringify(summarizePlanItems(plan.items)));
        },
      ),
      { seed: 20261206, numRuns: 300 },
    );
    const unscheduled = planRotations([{ id: 'late', type: 'database', owner: 't2', last_rotated: '2025-01-01' }], {
      now: NOW,
      policy: blackout,
    }).items[0];
    expect(unscheduled && Object.keys(unscheduled)).toEqual([...BASE_KEYS, 'scheduleIssue']);
  });

  it('the unlimited fast path schedules exactly as the general scheduler (capacity 1e9)', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 40 }), (raw) => {
        const items = raw.map((x, i) => ({ ...x, id: `${x.name}${i}` })) as InventoryItem[];
        const fast = planRotations(items, { now: NOW });
        const general = planRotations(items, { now: NOW, capacity: 1e9 });
        expect(JSON.stringify(fast.items)).toBe(JSON.stringify(general.items));
        expect(fast.summary).toEqual(general.summary);
      }),
      { seed: 20261206, numRuns: 200 },
    );
  });
});
