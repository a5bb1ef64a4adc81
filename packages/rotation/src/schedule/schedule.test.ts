import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from './calendar.js';
import { topologicalOrder } from './dependencies.js';
import { type ScheduleJob, scheduleRotations } from './schedule.js';

const TODAY = 20_000; // an epoch day (2024-10-04)
const TEAMS = ['a', 'b', 'c'];

const jobsArb = (withDeps: boolean) =>
  fc
    .array(
      fc.record({
        team: fc.constantFrom(...TEAMS),
        due: fc.integer({ min: TODAY - 5, max: TODAY + 20 }),
        deps: fc.array(fc.nat(), { maxLength: withDeps ? 2 : 0 }),
      }),
      {
        maxLength: 40,
      },
    )
    .map((raw) =>
      raw.map(
        (r, i): ScheduleJob => ({
          id: `j${i}`,
          team: r.team,
          due: r.due,
          // Only earlier indices: no cycles.
          after: i === 0 ? [] : [...new Set(r.deps.map((d) => d % i))],
        }),
      ),
    );

const calendarArb = fc.record({
  blackout: fc.option(
    fc.record({
      start: fc.integer({ min: 0, max: 20 }),
      len: fc.integer({ min: 0, max: 4 }),
      team: fc.option(fc.constantFrom(...TEAMS)),
    }),
  ),
  weekdays: fc.option(
    fc.uniqueArray(fc.constantFrom('sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'), { minLength: 1, maxLength: 7 }),
  ),
});

function iso(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function makeCalendar(c: typeof calendarArb extends fc.Arbitrary<infer T> ? T : never): WorkCalendar {
  const blackouts = c.blackout
    ? [
        {
          from: iso(TODAY + c.blackout.start),
          to: iso(TODAY + c.blackout.start + c.blackout.len),
          teams: c.blackout.team ? [c.blackout.team] : undefined,
        },
      ]
    : [];
  const maintenance = c.weekdays ? [{ days: c.weekdays }] : [];
  return new WorkCalendar(blackouts, maintenance);
}

/** Exact feasibility without dependencies: per team, every prefix of due dates fits the open slots before it. */
function feasible(jobs: readonly ScheduleJob[], capacity: number, calendar: WorkCalendar): boolean {
  for (const team of TEAMS) {
    const dues = jobs
      .filter((j) => j.team === team)
      .map((j) => j.due)
      .sort((x, y) => x - y);
    let slots = 0;
    let day = TODAY - 1;
    for (let k = 0; k < dues.length; k++) {
      const due = dues[k] as number;
      if (due < TODAY) return false;
      while (day < due) {
        day++;
        if (calendar.allowed(team, day)) slots += capacity;
      }
      if (k + 1 > slots) return false;
    }
  }
  return true;
}

describe('scheduleRotations', () => {
  it('never exceeds capacity, respects windows and dependencies, and explains every late job', () => {
    fc.assert(
      fc.property(jobsArb(true), fc.integer({ min: 1, max: 3 }), calendarArb, (jobs, capacity, cal) => {
        const calendar = makeCalendar(cal);
        const out = scheduleRotations(jobs, { today: TODAY, capacity, calendar });
        const load = new Map<string, number>();
        out.forEach((r, i) => {
          const job = jobs[i] as ScheduleJob;
          if (r.day === undefined) {
            expect(r.issue).toBeDefined();
            return;
          }
          expect(r.day).toBeGreaterThanOrEqual(TODAY);
          expect(calendar.allowed(job.team, r.day)).toBe(true);
          const key = `${job.team}@${r.day}`;
          load.set(key, (load.get(key) ?? 0) + 1);
          if (r.issue === undefined) expect(r.day).toBeLessThanOrEqual(job.due);
          if (r.day > job.due) expect(r.issue).toBeDefined();
          for (const p of job.after) {
            const pd = out[p]?.day;
            expect(pd).toBeDefined();
            expect(pd as number).toBeLessThanOrEqual(r.day);
          }
        });
        for (const count of load.values()) expect(count).toBeLessThanOrEqual(capacity);
      }),
      { numRuns: 300 },
    );
  });

  it('places every job on time whenever that is possible (no dependencies)', () => {
    fc.assert(
      fc.property(jobsArb(false), fc.integer({ min: 1, max: 3 }), calendarArb, (jobs, capacity, cal) => {
        const calendar = makeCalendar(cal);
        const out = scheduleRotations(jobs, { today: TODAY, capacity, calendar });
        const allOnTime = out.every(
          (r, i) => r.issue === undefined && r.day !== undefined && r.day <= (jobs[i] as ScheduleJob).due,
        );
        expect(allOnTime).toBe(feasible(jobs, capacity, calendar));
      }),
      { numRuns: 300 },
    );
  });

  it('says why: overdue, capacity, window, dependency', () => {
    const calendar = new WorkCalendar([{ from: iso(TODAY), to: iso(TODAY + 3) }]);
    const out = scheduleRotations(
      [
        { id: 'late', team: 'a', due: TODAY - 2, after: [] },
        { id: 'x', team: 'b', due: TODAY + 5, after: [] },
        { id: 'y', team: 'b', due: TODAY + 5, after: [] },
        { id: 'z', team: 'b', due: TODAY + 5, after: [] },
        { id: 'frozen', team: 'c', due: TODAY + 2, after: [] },
        { id: 'pre', team: 'd', due: TODAY + 30, after: [] },
        { id: 'post', team: 'd', due: TODAY - 1, after: [5] },
      ],
      { today: TODAY, capacity: 1, calendar },
    );
    expect(out.map((r) => r.issue?.code)).toEqual([
      'overdue',
      undefined,
      undefined,
      'capacity',
      'window',
      undefined,
      'overdue',
    ]);
    expect(out[3]?.issue?.message).toMatch(/^team b can do 1 a day and every slot up to .* is taken; earliest slot /);
    expect(out[4]?.issue?.message).toMatch(/^no allowed day between today and the due date/);
    expect(out[5]?.day).toBe(TODAY + 4);
    expect(out[6]?.day).toBe(TODAY + 5);
  });

  it('keeps out of blackouts and inside maintenance weekdays', () => {
    // TODAY is a Friday; maintenance on Tuesdays only.
    const calendar = new WorkCalendar([], [{ days: ['tue'] }]);
    const out = scheduleRotations([{ id: 'a', team: 't', due: TODAY + 10, after: [] }], { today: TODAY, calendar });
    expect(new Date((out[0]?.day as number) * 86_400_000).getUTCDay()).toBe(2);
    expect(out[0]?.day).toBe(TODAY + 4);
  });
});

describe('topologicalOrder', () => {
  it('orders prerequisites first and finds cycles', () => {
    expect(topologicalOrder(3, [[1], [], [0]]).order).toEqual([1, 0, 2]);
    expect(topologicalOrder(3, [[2], [0], [1]]).cycle).toEqual([0, 1, 2, 0]);
    expect(topologicalOrder(2, [[0], []]).cycle).toEqual([0, 0]);
  });
});

describe('the unlimited-capacity closed form', () => {
  it('places jobs exactly as the general two-phase algorithm does (capacity 1e9, same calendar)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ team: fc.constantFrom('a', 'b', 'c'), due: fc.integer({ min: -50, max: 50 }) }), {
          maxLength: 60,
        }),
        (specs) => {
          const jobs = specs.map((s, i) => ({ id: `j${i}`, team: s.team, due: s.due, after: [] }));
          const fast = scheduleRotations(jobs, { today: 0 });
          const general = scheduleRotations(jobs, { today: 0, capacity: () => 1e9 });
          expect(fast).toEqual(general);
        },
      ),
      { seed: 20261205, numRuns: 200 },
    );
  });
});
