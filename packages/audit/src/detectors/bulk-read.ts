import type { ResolvedOptions } from '../options.js';
import { BoundedMap } from '../internal/bounded-map.js';
import { type Detector, type Emit, type TimedEvent, finding, humanMs, isSecretRead } from './types.js';

interface State {
  /** Distinct secrets read recently → last read time; pruned to the window. */
  recent: Map<string, number>;
  incident?: { first: TimedEvent; distinct: Set<string>; lastMs: number; reads: number };
}

/**
 * `bulk-read`: one identity reading `distinctSecrets` or more distinct secrets within `windowMs` (default 20 in
 * 5 minutes, as Elastic's rapid-retrieval rule), high; and any batch read with a catch-all filter (only negated
 * tags, high) or naming at least `distinctSecrets` secrets. State per identity holds at most
 * 2 × `distinctSecrets` secrets.
 *
 * @example
 * ```ts
 * const d = createBulkReadDetector(resolveOptions({ bulkRead: { distinctSecrets: 50 } }));
 * ```
 */
export function createBulkReadDetector(options: ResolvedOptions): Detector {
  const { windowMs, distinctSecrets } = options.bulkRead;
  const cap = distinctSecrets * 2;
  const close = (st: State, emit: Emit) => {
    const inc = st.incident;
    if (!inc) return;
    st.incident = undefined;
    emit(finding('bulk-read', 'high', { ...inc.first, secret: undefined, path: null as unknown as string }, inc.distinct.size,
      `${inc.distinct.size} distinct secrets read within ${humanMs(windowMs)} (threshold ${distinctSecrets})`,
      { secrets: [...inc.distinct].slice(0, 25), reads: inc.reads, lastTime: new Date(inc.lastMs).toISOString() }));
  };
  let sink: Emit = () => undefined;
  const states = new BoundedMap<string, State>(options.limits.identities, (_k, st) => close(st, sink));
  return {
    rule: 'bulk-read',
    observe(ev, emit) {
      if (ev.outcome !== 'success' || !isSecretRead(ev)) return;
      sink = emit;
      if (ev.batchSize !== undefined && (ev.batchSize < 0 || ev.batchSize >= distinctSecrets)) {
        emit(finding('bulk-read', 'high', ev, Math.max(ev.batchSize, 1),
          ev.batchSize < 0 ? 'batch read with a catch-all filter (only negated tags): every secret the caller can read' : `batch read of ${ev.batchSize} secrets in one call`));
        return;
      }
      const secret = ev.secret ?? ev.path;
      let st = states.get(ev.identity);
      if (!st) {
        st = { recent: new Map() };
        states.set(ev.identity, st);
      }
      if (st.incident && ev.ms - st.incident.lastMs > windowMs) close(st, emit);
      st.recent.delete(secret);
      st.recent.set(secret, ev.ms);
      for (const [k, t] of st.recent) {
        if (ev.ms - t <= windowMs && st.recent.size <= cap) break;
        st.recent.delete(k);
      }
      if (st.incident) {
        st.incident.reads++;
        st.incident.lastMs = Math.max(ev.ms, st.incident.lastMs);
        if (st.incident.distinct.size < 1000) st.incident.distinct.add(secret);
      } else if (st.recent.size >= distinctSecrets) {
        st.incident = { first: ev, distinct: new Set(st.recent.keys()), lastMs: ev.ms, reads: st.recent.size };
      }
    },
    flush(emit) {
      for (const st of states.values()) close(st, emit);
      states.clear();
    },
    stateSize: () => states.size,
  };
}
