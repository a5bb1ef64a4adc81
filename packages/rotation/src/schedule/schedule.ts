import type { ScheduleIssue } from '@svm/core';
import { type EpochDay, formatIsoDay } from '../internal/days.js';
import { Heap } from '../internal/heap.js';
import { WorkCalendar } from './calendar.js';
import { topologicalOrder } from './dependencies.js';

/** One rotation to place on a day. */
export interface ScheduleJob {
  id: string;
  /** The capacity unit (a team or owner). */
  team: string;
  /** Latest acceptable day (epoch day). */
  due: EpochDay;
  /** Indices of jobs that must be rotated on or before this one's day. */
  after: readonly number[];
  /** Higher goes first when late work competes for the same slots (e.g. criticality). */
  priority?: number | undefined;
}

/** Options for {@link scheduleRotations}. */
export interface ScheduleOptions {
  /** The first day anything may be scheduled (epoch day). */
  today: EpochDay;
  /** Rotations a team may do per day: a number for all, or per team. Unlimited when absent. */
  capacity?: number | ((team: string) => number) | undefined;
  /** Blackouts and maintenance windows; every day is allowed when absent. */
  calendar?: WorkCalendar | undefined;
  /** How far past the last due date late work may be pushed looking for a slot (default 3660 days). */
  lateHorizonDays?: number | undefined;
}

/** Where a job landed. `day` is absent when no allowed day with capacity exists within the horizon. */
export interface ScheduledJob {
  day: EpochDay | undefined;
  /** Present when the job could not be placed on or before its due date (or at all). */
  issue?: ScheduleIssue | undefined;
}

/**
 * Propose a day for each rotation.
 *
 * 1. **On time, as late as possible.** Days are walked backwards from the latest due date to `today`; on each
 *    day a team takes up to its capacity from the jobs whose due date (and every dependant's day) is not
 *    earlier. This is the mirror image of earliest-deadline-first and, without dependencies, places every
 *    job on or before its due date whenever any placement can (unit jobs, one release day, per-team
 *    capacity, allowed days). Rotating late in the window keeps intervals long; capacity spreads the rest
 *    backwards. With dependencies a job waits until every job that depends on it is placed, and jobs with
 *    the longest chain of prerequisites are placed first.
 * 2. **Late work.** What is left (already overdue, or no slot before the due date) is placed forward from
 *    `today` in dependency order, most urgent first, on the earliest allowed day with capacity that is not
 *    before any prerequisite's day; dependants that would then come first are moved after it. Each gets an
 *    issue saying why: `overdue`, `capacity`, `window` or `dependency`.
 *
 * Capacity is never exceeded and dependencies are always respected. Dependency cycles must be rejected
 * before (see {@link topologicalOrder}); this throws a RangeError on one.
 *
 * @example
 * ```ts
 * const out = scheduleRotations(
 *   [{ id: 'a', team: 't', due: 10, after: [] }, { id: 'b', team: 't', due: 10, after: [] }],
 *   { today: 0, capacity: 1 },
 * );
 * out.map((r) => r.day); // [10, 9] (or [9, 10])
 * ```
 */
export function scheduleRotations(jobs: readonly ScheduleJob[], options: ScheduleOptions): ScheduledJob[] {
  const n = jobs.length;
  const today = options.today;
  const calendar = options.calendar ?? new WorkCalendar();
  const capacityOf = capacityFunction(options.capacity);
  const lateHorizon = options.lateHorizonDays ?? 3660;
  const unlimited = unlimitedSchedule(jobs, today, calendar, capacityOf);
  if (unlimited) return unlimited;

  // Graph: `after` = prerequisites; `dependants` = the reverse edges.
  const dependants: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    for (const p of (jobs[i] as ScheduleJob).after) {
      const list = dependants[p];
      if (list) list.push(i);
      else dependants[p] = [i];
    }
  }
  const afterLists = jobs.map((j) => j.after);
  const topo = topologicalOrder(n, afterLists);
  if (topo.cycle)
    throw new RangeError(`dependency cycle: ${topo.cycle.map((i) => (jobs[i] as ScheduleJob).id).join(' -> ')}`);
  // depth = longest chain of prerequisites; placed first when a day has more work than slots.
  const depth = new Int32Array(n);
  for (const i of topo.order)
    for (const p of (jobs[i] as ScheduleJob).after) depth[i] = Math.max(depth[i] as number, (depth[p] as number) + 1);

  const day: Array<EpochDay | undefined> = new Array(n).fill(undefined);
  const used = new Map<string, Map<number, number>>();
  const take = (team: string, d: number, delta: number) => {
    let m = used.get(team);
    if (!m) used.set(team, (m = new Map()));
    m.set(d, (m.get(d) ?? 0) + delta);
  };
  const usedOn = (team: string, d: number) => used.get(team)?.get(d) ?? 0;

  // ---- Phase 1: backwards, on time. ----
  const latest = new Float64Array(n);
  const waiting = new Int32Array(n);
  const blockedByLate = new Uint8Array(n);
  const released = new Heap<number>(
    (a, b) =>
      (latest[a] as number) > (latest[b] as number) || ((latest[a] as number) === (latest[b] as number) && a < b),
  );
  for (let i = 0; i < n; i++) {
    latest[i] = (jobs[i] as ScheduleJob).due;
    waiting[i] = dependants[i]?.length ?? 0;
    if (waiting[i] === 0 && (latest[i] as number) >= today) released.push(i);
  }
  const pools = new Map<string, Heap<number>>();
  const poolLess = (a: number, b: number) =>
    (depth[a] as number) > (depth[b] as number) ||
    (depth[a] === depth[b] && ((latest[a] as number) > (latest[b] as number) || (latest[a] === latest[b] && a < b)));
  const poolOf = (team: string) => {
    let pool = pools.get(team);
    if (!pool) pools.set(team, (pool = new Heap(poolLess)));
    return pool;
  };
  const active = new Set<string>();
  let d = released.size > 0 ? (latest[released.peek() as number] as number) : today - 1;

  while (d >= today) {
    if (active.size === 0 && released.size > 0 && (latest[released.peek() as number] as number) < d) {
      d = latest[released.peek() as number] as number;
      continue;
    }
    // Placing a job can release its prerequisites onto the same day, so repeat until nothing new arrives.
    for (;;) {
      while (released.size > 0 && (latest[released.peek() as number] as number) >= d) {
        const i = released.pop() as number;
        const team = (jobs[i] as ScheduleJob).team;
        poolOf(team).push(i);
        active.add(team);
      }
      for (const team of [...active]) {
        if (!calendar.allowed(team, d)) continue;
        const pool = poolOf(team);
        const cap = capacityOf(team);
        let count = usedOn(team, d);
        while (pool.size > 0 && count < cap) {
          const i = pool.pop() as number;
          day[i] = d;
          count++;
          take(team, d, 1);
          for (const p of (jobs[i] as ScheduleJob).after) {
            latest[p] = Math.min(latest[p] as number, d);
            waiting[p] = (waiting[p] as number) - 1;
            if (waiting[p] === 0) released.push(p);
          }
        }
        if (pool.size === 0) active.delete(team);
      }
      if (released.size === 0 || (latest[released.peek() as number] as number) < d) break;
    }
    if (active.size === 0 && released.size === 0) break;
    d--;
  }

  // ---- Phase 2: forward, late work and dependency repair. ----
  const urgency = (a: number, b: number) => {
    const ja = jobs[a] as ScheduleJob;
    const jb = jobs[b] as ScheduleJob;
    if (ja.due !== jb.due) return ja.due < jb.due;
    const pa = ja.priority ?? 0;
    const pb = jb.priority ?? 0;
    return pa !== pb ? pa > pb : a < b;
  };
  // Without dependencies only the leftovers need work; otherwise every job is visited in dependency order
  // so that moving a late prerequisite also moves its dependants.
  const hasEdges = afterLists.some((a) => a.length > 0);
  const order = hasEdges
    ? (topologicalOrder(n, afterLists, urgency).order as number[])
    : leftovers().sort((a, b) => (urgency(a, b) ? -1 : urgency(b, a) ? 1 : 0));
  const issues: Array<ScheduleIssue | undefined> = new Array(n).fill(undefined);
  const free = new Map<string, Map<number, number>>(); // per team: skip pointers over full/closed days
  let lastDue = today;
  for (const job of jobs) if (job.due > lastDue) lastDue = job.due;
  const horizonEnd = lastDue + lateHorizon;
  const onTimeInPhase1 = day.map((value) => value !== undefined);
  const firstFree = (team: string, from: number): number | undefined => {
    let skip = free.get(team);
    if (!skip) free.set(team, (skip = new Map()));
    const cap = capacityOf(team);
    let k = from;
    const path: number[] = [];
    for (;;) {
      const jump = skip.get(k);
      if (jump !== undefined) {
        path.push(k);
        k = jump;
        continue;
      }
      if (k > horizonEnd) break;
      if (calendar.allowed(team, k) && usedOn(team, k) < cap) break;
      path.push(k);
      k++;
    }
    for (const p of path) skip.set(p, k);
    return k > horizonEnd ? undefined : k;
  };

  for (const i of order) {
    const job = jobs[i] as ScheduleJob;
    let lo = today;
    let lateParent: number | undefined;
    for (const p of job.after) {
      const pd = day[p];
      if (pd === undefined) {
        blockedByLate[i] = 1;
        lateParent = p;
        continue;
      }
      if (pd > lo) lo = pd;
      if (issues[p] && pd > (day[i] ?? -Infinity)) lateParent = p;
    }
    if (blockedByLate[i]) {
      // A prerequisite has no day at all: neither can this.
      if (day[i] !== undefined) take(job.team, day[i] as number, -1);
      day[i] = undefined;
      issues[i] = {
        code: 'dependency',
        message: `waits for ${(jobs[lateParent as number] as ScheduleJob).id}, which could not be scheduled`,
      };
      continue;
    }
    const current = day[i];
    if (current !== undefined && current >= lo) continue;
    // Needs a (new) day: it was left over by phase 1, or a prerequisite moved after it.
    if (current !== undefined) take(job.team, current, -1);
    const found = firstFree(job.team, lo);
    day[i] = found;
    if (found !== undefined) take(job.team, found, 1);
    issues[i] = explain(i, current !== undefined ? lateParent : undefined, found);
  }
  return day.map((value, i) => ({ day: value, ...(issues[i] ? { issue: issues[i] } : {}) }));

  function leftovers(): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (day[i] === undefined) out.push(i);
    return out;
  }

  function explain(i: number, movedBy: number | undefined, found: number | undefined): ScheduleIssue | undefined {
    const job = jobs[i] as ScheduleJob;
    if (found !== undefined && found <= job.due && movedBy === undefined) return undefined;
    const when =
      found === undefined ? 'no allowed day with capacity was found' : `earliest slot ${formatIsoDay(found)}`;
    if (job.due < today)
      return { code: 'overdue', message: `due ${formatIsoDay(job.due)}, ${today - job.due} days ago; ${when}` };
    if (movedBy !== undefined) {
      return {
        code: 'dependency',
        message: `must follow ${(jobs[movedBy] as ScheduleJob).id}, which is late; ${when}`,
      };
    }
    const lateDependant = (dependants[i] ?? []).find((j) => !onTimeInPhase1[j]);
    if (lateDependant !== undefined) {
      const dep = jobs[lateDependant] as ScheduleJob;
      return {
        code: 'dependency',
        message: `must precede ${dep.id}, which is ${dep.due < today ? 'overdue' : 'late'}; ${when}`,
      };
    }
    let open = 0;
    for (let k = today; k <= job.due && open === 0; k++) if (calendar.allowed(job.team, k)) open++;
    if (open === 0)
      return {
        code: 'window',
        message: `no allowed day between today and the due date ${formatIsoDay(job.due)} (blackout or outside maintenance windows); ${when}`,
      };
    const cap = capacityOf(job.team);
    return {
      code: 'capacity',
      message: `team ${job.team} can do ${cap} a day and every slot up to ${formatIsoDay(job.due)} is taken; ${when}`,
    };
  }
}

/**
 * The common case in closed form: no capacity limit, every day allowed, no dependencies. Then the two phases
 * below place every job on its due day, and late work on `today` with an `overdue` issue; this does the same
 * without heaps and maps (a 100,000-item plan spends most of its scheduling time there otherwise).
 */
function unlimitedSchedule(
  jobs: readonly ScheduleJob[],
  today: EpochDay,
  calendar: WorkCalendar,
  capacityOf: (team: string) => number,
): ScheduledJob[] | undefined {
  if (!calendar.open) return undefined;
  const checked = new Set<string>();
  for (const job of jobs) {
    if (job.after.length > 0) return undefined;
    if (!checked.has(job.team)) {
      if (capacityOf(job.team) !== Infinity) return undefined;
      checked.add(job.team);
    }
  }
  const out: ScheduledJob[] = new Array(jobs.length);
  const overdue = overdueMessages(today);
  for (let i = 0; i < jobs.length; i++) {
    const due = (jobs[i] as ScheduleJob).due;
    out[i] = due >= today ? { day: due } : { day: today, issue: { code: 'overdue', message: overdue(due) } };
  }
  return out;
}

/**
 * The message of an `overdue` issue for work placed on `today` (the first free day), by due day. Memoised:
 * the overdue items of a large inventory share a few hundred due days. Each message is built flat (`join`, not a
 * template literal, which makes a rope of pieces that every reader of the string must first copy together).
 */
export function overdueMessages(today: EpochDay): (due: EpochDay) => string {
  const todayText = formatIsoDay(today);
  const memo = new Map<number, string>();
  return (due) => {
    let message = memo.get(due);
    if (message === undefined) {
      message = ['due ', formatIsoDay(due), ', ', String(today - due), ' days ago; earliest slot ', todayText].join('');
      memo.set(due, message);
    }
    return message;
  };
}

function capacityFunction(capacity: ScheduleOptions['capacity']): (team: string) => number {
  if (capacity === undefined) return () => Infinity;
  if (typeof capacity === 'number') return () => capacity;
  return capacity;
}
