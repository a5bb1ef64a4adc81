import type { ResolvedOptions } from '../options.js';
import { GapGroups, addCapped } from '../internal/groups.js';
import { type Detector, type Emit, type TimedEvent, finding, identityKey } from './types.js';

const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Local date, hour and weekday of an instant in a time zone. */
export function localParts(ms: number, fmt: Intl.DateTimeFormat): { date: string; hour: number; weekday: number } {
  const parts = fmt.formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const hour = Number(get('hour')) % 24;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, hour, weekday: WEEKDAY[get('weekday')] ?? 0 };
}

/**
 * `off-hours`: activity by **human** identities (by auth method) outside business hours or on non-working
 * days, in the configured time zone (default 07:00–20:00 UTC, Monday–Friday). Machine identities are never
 * flagged. One medium finding per identity and local day.
 *
 * @example
 * ```ts
 * const d = createOffHoursDetector(resolveOptions({ offHours: { timeZone: 'Europe/Berlin' } }));
 * ```
 */
export function createOffHoursDetector(options: ResolvedOptions): Detector {
  const { startHour, endHour, workDays, timeZone } = options.offHours;
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    weekday: 'short',
  });
  // Every zone offset is a multiple of 15 minutes, so local parts are cached per quarter hour.
  const cache = new Map<number, { date: string; hour: number; weekday: number }>();
  const partsAt = (ms: number) => {
    const q = Math.floor(ms / 900_000);
    let p = cache.get(q);
    if (!p) {
      if (cache.size > 4096) cache.clear();
      p = localParts(q * 900_000, fmt);
      cache.set(q, p);
    }
    return p;
  };
  let sink: Emit = () => undefined;
  const groups = new GapGroups<{
    first: TimedEvent;
    date: string;
    ips: Set<string>;
    paths: Set<string>;
    weekend: boolean;
  }>(36 * 3_600_000, options.limits.keys, (_k, g) => {
    const x = g.extra;
    sink(
      finding(
        'off-hours',
        'medium',
        x.first,
        g.count,
        `human identity active ${x.weekend ? 'on a non-working day' : 'outside business hours'} (${x.date}, ${g.count} request(s); business hours ${String(startHour).padStart(2, '0')}:00–${String(endHour).padStart(2, '0')}:00 ${timeZone})`,
        { date: x.date, sourceIps: [...x.ips], paths: [...x.paths], timeZone },
        g.lastTime ?? g.lastMs,
      ),
    );
  });
  return {
    rule: 'off-hours',
    observe(ev, emit) {
      if (ev.identityKind !== 'human' || ev.outcome === 'failed-auth') return;
      const p = partsAt(ev.ms);
      const weekend = !workDays.has(p.weekday);
      if (!weekend && p.hour >= startHour && p.hour < endHour) return;
      sink = emit;
      groups.add(
        `${identityKey(ev)}\u0000${p.date}`,
        ev.ms,
        () => ({ first: ev, date: p.date, ips: new Set<string>(), paths: new Set<string>(), weekend }),
        (x) => {
          addCapped(x.ips, ev.sourceIp, 10);
          addCapped(x.paths, ev.path, 10);
        },
        ev.time,
      );
    },
    flush(emit) {
      sink = emit;
      groups.flush();
    },
    stateSize: () => groups.size,
  };
}
