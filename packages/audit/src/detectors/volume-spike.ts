import type { ResolvedOptions } from '../options.js';
import { BoundedMap } from '../internal/bounded-map.js';
import { type AuditFinding, type Detector, type Emit, type TimedEvent, finding } from './types.js';

/** Hourly rate state of one identity+path. Exported for persistence. */
export interface RateBaseline {
  /** Current hour (epoch hours). */
  hour: number;
  /** Events in the current hour. */
  count: number;
  /** EWMA of completed hourly counts. */
  ewma: number;
  /** Completed hours observed. */
  hours: number;
  /** An example event of the current hour (for the finding), not persisted. */
  first?: TimedEvent | undefined;
}

const HOUR = 3_600_000;

/**
 * `volume-spike`: per identity and path, an hour whose count exceeds `factor` × the baseline (EWMA of earlier
 * hourly counts, never below `minBaselinePerHour`), once the key has `minHistoryHours` of history
 * (defaults: 3×, 5/h, 6h). Quiet hours count as zeros. One finding per key and hour, with the hour's total.
 *
 * @example
 * ```ts
 * const d = createVolumeSpikeDetector(resolveOptions({ volumeSpike: { factor: 4 } }));
 * ```
 */
export function createVolumeSpikeDetector(options: ResolvedOptions, baseline?: BoundedMap<string, RateBaseline>): Detector & { baseline: BoundedMap<string, RateBaseline> } {
  const { factor, minBaselinePerHour, minHistoryHours, alpha } = options.volumeSpike;
  const keys = baseline ?? new BoundedMap<string, RateBaseline>(options.limits.keys);
  const check = (st: RateBaseline, emit: Emit) => {
    const base = Math.max(st.ewma, minBaselinePerHour);
    if (st.hours >= minHistoryHours && st.count > factor * base && st.first) {
      const f: AuditFinding = finding('volume-spike', 'medium', st.first, st.count,
        `${st.count} requests in one hour, ${(st.count / Math.max(st.ewma, 0.01)).toFixed(1)}× the baseline of ${st.ewma.toFixed(1)}/h (threshold ${factor}×, floor ${minBaselinePerHour}/h)`,
        { hourStart: new Date(st.hour * HOUR).toISOString(), baselinePerHour: Number(st.ewma.toFixed(2)), historyHours: st.hours });
      emit(f);
    }
  };
  const roll = (st: RateBaseline, hour: number, emit: Emit) => {
    check(st, emit);
    st.ewma = st.hours === 0 ? st.count : alpha * st.count + (1 - alpha) * st.ewma;
    st.hours++;
    const gap = Math.min(hour - st.hour - 1, 24 * 14);
    if (gap > 0) {
      st.ewma *= (1 - alpha) ** gap;
      st.hours += gap;
    }
    st.hour = hour;
    st.count = 0;
    st.first = undefined;
  };
  return {
    rule: 'volume-spike',
    baseline: keys,
    observe(ev, emit) {
      if (ev.outcome !== 'success') return;
      const key = `${ev.identity}\u0000${ev.secret ?? ev.path}`;
      const hour = Math.floor(ev.ms / HOUR);
      let st = keys.get(key);
      if (!st) {
        st = { hour, count: 0, ewma: 0, hours: 0 };
        keys.set(key, st);
      } else if (hour > st.hour) roll(st, hour, emit);
      st.count++;
      if (!st.first) st.first = ev;
    },
    flush(emit) {
      for (const st of keys.values()) check(st, emit);
    },
    stateSize: () => keys.size,
  };
}
