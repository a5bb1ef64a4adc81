import { type EpochDay, parseIsoDay, weekday } from '../internal/days.js';

const WEEKDAY_INDEX: Readonly<Record<string, number>> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** A change freeze (dates `YYYY-MM-DD`, both ends included). */
export interface BlackoutWindow {
  from: string;
  to: string;
  reason?: string | undefined;
  /** Teams it applies to; all teams when absent. */
  teams?: readonly string[] | undefined;
}

/** A maintenance window: rotations go only on its weekdays / inside its dates. */
export interface MaintenanceSlot {
  days?: readonly string[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  teams?: readonly string[] | undefined;
}

interface CompiledWindow {
  from: number;
  to: number;
  days: number | undefined;
  teams: ReadonlySet<string> | undefined;
}

/**
 * Which days each team may rotate on: not in a blackout that applies to it, and inside one of the
 * maintenance windows that apply to it (any day when none applies). Answers are cached per team and day.
 *
 * @example
 * ```ts
 * const cal = new WorkCalendar([{ from: '2026-12-24', to: '2026-12-26' }], [{ days: ['tue', 'thu'] }]);
 * ```
 */
export class WorkCalendar {
  private readonly blackouts: CompiledWindow[];
  private readonly maintenance: CompiledWindow[];
  private readonly cache = new Map<string, Map<number, boolean>>();
  /** True when no window of any kind exists: every day is allowed. */
  readonly open: boolean;

  constructor(blackouts: readonly BlackoutWindow[] = [], maintenance: readonly MaintenanceSlot[] = []) {
    this.blackouts = blackouts.map((b) => compile(b.from, b.to, undefined, b.teams));
    this.maintenance = maintenance.map((m) => compile(m.from, m.to, m.days, m.teams));
    this.open = this.blackouts.length === 0 && this.maintenance.length === 0;
  }

  /** May `team` rotate on `day`? */
  allowed(team: string, day: EpochDay): boolean {
    if (this.open) return true;
    let byDay = this.cache.get(team);
    if (!byDay) {
      byDay = new Map();
      this.cache.set(team, byDay);
    }
    let answer = byDay.get(day);
    if (answer === undefined) {
      answer = this.compute(team, day);
      byDay.set(day, answer);
    }
    return answer;
  }

  /** The blackout that closes `day` for `team`, for messages. */
  blackoutOn(team: string, day: EpochDay): boolean {
    return this.blackouts.some((b) => applies(b, team) && day >= b.from && day <= b.to);
  }

  private compute(team: string, day: EpochDay): boolean {
    for (const b of this.blackouts) if (applies(b, team) && day >= b.from && day <= b.to) return false;
    let anyWindow = false;
    for (const m of this.maintenance) {
      if (!applies(m, team)) continue;
      anyWindow = true;
      if (day >= m.from && day <= m.to && (m.days === undefined || (m.days & (1 << weekday(day))) !== 0)) return true;
    }
    return !anyWindow;
  }
}

function applies(w: CompiledWindow, team: string): boolean {
  return w.teams === undefined || w.teams.has(team);
}

function compile(
  from: string | undefined,
  to: string | undefined,
  days: readonly string[] | undefined,
  teams: readonly string[] | undefined,
): CompiledWindow {
  let mask: number | undefined;
  if (days) {
    mask = 0;
    for (const d of days) {
      const i = WEEKDAY_INDEX[d.toLowerCase().slice(0, 3)];
      if (i === undefined) throw new RangeError(`unknown weekday '${d}'`);
      mask |= 1 << i;
    }
  }
  const f = from === undefined ? -Infinity : parseIsoDay(from);
  const t = to === undefined ? Infinity : parseIsoDay(to);
  if (f === undefined || t === undefined) throw new RangeError(`not a date: ${String(f === undefined ? from : to)}`);
  return { from: f, to: t, days: mask, teams: teams ? new Set(teams) : undefined };
}
