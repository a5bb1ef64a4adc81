import type { ResolvedOptions } from '../options.js';
import { BoundedMap } from '../internal/bounded-map.js';
import { type AuditFinding, type Detector, type Emit, type TimedEvent, finding, identityKey } from './types.js';

/** Hourly rate state of one identity+path (or, keyed `\u0001<path>`, of one path across identities). Exported for persistence. */
export interface RateBaseline {
  /** Current hour (epoch hours). */
  hour: number;
  /** Events in the current hour. */
  count: number;
  /** EWMA of completed hourly counts (for a path: of the mean count per reading identity). */
  ewma: number;
  /** Completed hours observed. */
  hours: number;
  /** An example event of the current hour (for the finding), not persisted. */
  first?: TimedEvent | undefined;
  /** Path state only: identities reading the path in the current hour, not persisted. */
  ids?: number | undefined;
  /** Identity state only: time of the current hour's last event and the path, not persisted. */
  lastTime?: string | undefined;
  path?: string | undefined;
}

const HOUR = 3_600_000;

/**
 * `volume-spike`: per identity and path, an hour whose count exceeds `factor` × the baseline (EWMA of earlier
 * hourly counts, never below `minBaselinePerHour`), once the key has `minHistoryHours` of history
 * (defaults: 3×, 5/h, 6h). Quiet hours count as zeros. An identity without that history (a cold start) is
 * compared with the path's baseline across all identities instead (the mean hourly count of an identity reading
 * it): over `coldStartFactor` × that baseline (default 10×), or over `coldStartPerHour` (default 250) whatever
 * the baseline, is a spike. One finding per key and hour, with the hour's total.
 *
 * @example
 * ```ts
 * const d = createVolumeSpikeDetector(resolveOptions({ volumeSpike: { factor: 4 } }));
 * ```
 */
export function createVolumeSpikeDetector(
  options: ResolvedOptions,
  baseline?: BoundedMap<string, RateBaseline>,
): Detector & { baseline: BoundedMap<string, RateBaseline> } {
  const { factor, minBaselinePerHour, minHistoryHours, alpha, coldStartFactor, coldStartPerHour } = options.volumeSpike;
  const keys = baseline ?? new BoundedMap<string, RateBaseline>(options.limits.keys);
  const keyNames = new KeyNames(options.limits.keys);
  const emitSpike = (st: RateBaseline, emit: Emit, message: string, evidence: Record<string, unknown>) => {
    const first = st.first as TimedEvent;
    const f: AuditFinding = finding(
      'volume-spike',
      'medium',
      first,
      st.count,
      message,
      { hourStart: new Date(st.hour * HOUR).toISOString(), ...evidence },
      st.lastTime,
    );
    emit(f);
  };
  const check = (st: RateBaseline, emit: Emit) => {
    if (!st.first) return;
    if (st.hours >= minHistoryHours) {
      const base = Math.max(st.ewma, minBaselinePerHour);
      if (st.count > factor * base) {
        emitSpike(
          st,
          emit,
          `${st.count} requests in one hour, ${(st.count / Math.max(st.ewma, 0.01)).toFixed(1)}× the baseline of ${st.ewma.toFixed(1)}/h (threshold ${factor}×, floor ${minBaselinePerHour}/h)`,
          { baselinePerHour: Number(st.ewma.toFixed(2)), historyHours: st.hours },
        );
      }
      return;
    }
    // Cold start: no (or too little) history of this identity on this path.
    const p = st.path === undefined ? undefined : keys.peek(`\u0001${st.path}`);
    const pathBase = p && p.hours > 0 ? Math.max(p.ewma, minBaselinePerHour) : undefined;
    const overPath = pathBase !== undefined && st.count > coldStartFactor * pathBase;
    if (overPath || st.count > coldStartPerHour) {
      emitSpike(
        st,
        emit,
        overPath
          ? `${st.count} requests in one hour by an identity with no history here, ${(st.count / (p as RateBaseline).ewma).toFixed(1)}× the path's baseline of ${(p as RateBaseline).ewma.toFixed(1)}/h per identity (threshold ${coldStartFactor}×)`
          : `${st.count} requests in one hour by an identity with no history here (absolute threshold ${coldStartPerHour}/h)`,
        {
          coldStart: true,
          pathBaselinePerHour: p && p.hours > 0 ? Number(p.ewma.toFixed(2)) : null,
          historyHours: st.hours,
        },
      );
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
  /** A path's baseline: the EWMA over its active hours of the mean count per reading identity. */
  const rollPath = (p: RateBaseline, hour: number) => {
    const ids = p.ids ?? 0;
    if (ids > 0) {
      const mean = p.count / ids;
      p.ewma = p.hours === 0 ? mean : alpha * mean + (1 - alpha) * p.ewma;
      p.hours++;
    }
    p.hour = hour;
    p.count = 0;
    p.ids = 0;
  };
  return {
    rule: 'volume-spike',
    baseline: keys,
    observe(ev, emit) {
      if (ev.outcome !== 'success') return;
      const target = ev.secret ?? ev.path;
      const key = keyNames.pair(identityKey(ev), target);
      const hour = Math.floor(ev.ms / HOUR);
      let st = keys.get(key);
      if (!st) {
        st = { hour, count: 0, ewma: 0, hours: 0 };
        keys.set(key, st);
      } else if (hour > st.hour) roll(st, hour, emit);
      const pk = keyNames.path(target);
      let p = keys.get(pk);
      if (!p) {
        p = { hour, count: 0, ewma: 0, hours: 0, ids: 0 };
        keys.set(pk, p);
      } else if (hour > p.hour) rollPath(p, hour);
      if (st.count === 0) p.ids = (p.ids ?? 0) + 1;
      p.count++;
      st.count++;
      st.lastTime = ev.time;
      st.path = target;
      if (!st.first) st.first = ev;
    },
    flush(emit) {
      for (const [k, st] of keys.entries()) if (k.charCodeAt(0) !== 1) check(st, emit);
    },
    stateSize: () => keys.size,
  };
}

/**
 * The state keys of identity+path pairs and of paths, built once each: a key made per event (a concatenation)
 * is a new string that the map must flatten and hash every time; a key kept here is hashed once. Bounded like the
 * state itself (forgets everything when full; keys are rebuilt as needed).
 */
class KeyNames {
  private readonly pairs = new Map<string, Map<string, string>>();
  private readonly paths = new Map<string, string>();
  private count = 0;
  constructor(private readonly max: number) {}

  pair(identity: string, target: string): string {
    let byTarget = this.pairs.get(identity);
    if (byTarget === undefined) {
      byTarget = new Map();
      this.pairs.set(identity, byTarget);
    }
    let key = byTarget.get(target);
    if (key === undefined) {
      if (++this.count > this.max) {
        this.pairs.clear();
        this.paths.clear();
        this.count = 0;
      }
      key = `${identity}\u0000${target}`;
      byTarget.set(target, key);
      if (!this.pairs.has(identity)) this.pairs.set(identity, byTarget);
    }
    return key;
  }

  path(target: string): string {
    let key = this.paths.get(target);
    if (key === undefined) {
      key = `\u0001${target}`;
      this.paths.set(target, key);
    }
    return key;
  }
}
