import type { ResolvedOptions } from '../options.js';
import { BoundedMap } from '../internal/bounded-map.js';
import {
  type Detector,
  type Emit,
  type TimedEvent,
  commonPathPrefix,
  finding,
  humanMs,
  identityKey,
  isSecretRead,
} from './types.js';

/** Paths kept as a sample in a finding's evidence. */
const PATH_SAMPLE = 25;

/**
 * What is kept of a read: what a finding is built from. Reads are most events and stay up to a window long, so
 * keeping the whole event (its other members, its own policy list) would copy and promote far more in the heap.
 */
type Read = Pick<TimedEvent, 'ms' | 'time' | 'identity' | 'sourceIp' | 'path' | 'accessor' | 'file' | 'line'>;

const readOf = (ev: TimedEvent): Read => ({
  ms: ev.ms,
  time: ev.time,
  identity: ev.identity,
  sourceIp: ev.sourceIp,
  path: ev.path,
  accessor: ev.accessor,
  file: ev.file,
  line: ev.line,
});

interface State {
  /** Distinct secrets read recently → the last read (time and path as logged); pruned to the window. */
  recent: Map<string, Read>;
  incident?: { first: Read; last: Read; distinct: Set<string>; paths: Set<string>; reads: number };
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
    // Where the reads went: the longest common prefix of the paths as logged (and of the logical secrets).
    const path = commonPathPrefix(inc.paths);
    const secret = commonPathPrefix(inc.distinct) ?? undefined;
    emit(
      finding(
        'bulk-read',
        'high',
        { ...inc.first, path: path as string, secret },
        inc.distinct.size,
        `${inc.distinct.size} distinct secrets read within ${humanMs(windowMs)} (threshold ${distinctSecrets})${path ? ` under ${path}` : ''}`,
        { paths: [...inc.paths].slice(0, PATH_SAMPLE), reads: inc.reads },
        inc.last.time,
      ),
    );
  };
  let sink: Emit = () => undefined;
  const states = new BoundedMap<string, State>(options.limits.identities, (_k, st) => close(st, sink));
  return {
    rule: 'bulk-read',
    observe(ev, emit) {
      if (ev.outcome !== 'success' || !isSecretRead(ev)) return;
      sink = emit;
      if (ev.batchSize !== undefined && (ev.batchSize < 0 || ev.batchSize >= distinctSecrets)) {
        emit(
          finding(
            'bulk-read',
            'high',
            ev,
            Math.max(ev.batchSize, 1),
            ev.batchSize < 0
              ? 'batch read with a catch-all filter (only negated tags): every secret the caller can read'
              : `batch read of ${ev.batchSize} secrets in one call`,
          ),
        );
        return;
      }
      const secret = ev.secret ?? ev.path;
      const key = identityKey(ev);
      let st = states.get(key);
      if (!st) {
        st = { recent: new Map() };
        states.set(key, st);
      }
      if (st.incident && ev.ms - st.incident.last.ms > windowMs) close(st, emit);
      const read = readOf(ev);
      st.recent.delete(secret);
      st.recent.set(secret, read);
      for (const [k, t] of st.recent) {
        if (ev.ms - t.ms <= windowMs && st.recent.size <= cap) break;
        st.recent.delete(k);
      }
      if (st.incident) {
        st.incident.reads++;
        if (ev.ms >= st.incident.last.ms) st.incident.last = read;
        if (st.incident.distinct.size < 1000 && !st.incident.distinct.has(secret)) {
          st.incident.distinct.add(secret);
          st.incident.paths.add(ev.path);
        }
      } else if (st.recent.size >= distinctSecrets) {
        const paths = new Set<string>();
        let first = read;
        for (const r of st.recent.values()) {
          paths.add(r.path);
          if (r.ms < first.ms) first = r;
        }
        st.incident = { first, last: read, distinct: new Set(st.recent.keys()), paths, reads: st.recent.size };
      }
    },
    flush(emit) {
      for (const st of states.values()) close(st, emit);
      states.clear();
    },
    stateSize: () => states.size,
  };
}
