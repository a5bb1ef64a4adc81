import type { ResolvedOptions } from '../options.js';
import { BoundedMap } from '../internal/bounded-map.js';
import { addCapped } from '../internal/groups.js';
import { type Detector, type Emit, type TimedEvent, finding, humanMs } from './types.js';

interface State {
  /** Times of the most recent failures (at most `threshold`). */
  recent: number[];
  incident?: { first: TimedEvent; count: number; lastMs: number; identities: Set<string> };
}

/**
 * `failed-auth`: failed logins from one source address (or, without one, for one identity): `threshold`
 * failures within `windowMs` (default 5 in 15 minutes, Vault's own lockout). An incident lasts while failures
 * keep coming within the window and yields one high finding with the total count.
 *
 * @example
 * ```ts
 * const d = createFailedAuthDetector(resolveOptions());
 * ```
 */
export function createFailedAuthDetector(options: ResolvedOptions): Detector {
  const { windowMs, threshold } = options.failedAuth;
  const close = (emit: Emit, st: State) => {
    const inc = st.incident;
    if (!inc) return;
    st.incident = undefined;
    const ids = [...inc.identities];
    emit(
      finding('failed-auth', 'high', { ...inc.first, identity: ids.length === 1 ? (ids[0] as string) : inc.first.identity }, inc.count,
        `${inc.count} failed logins from ${inc.first.sourceIp ?? inc.first.identity} within ${humanMs(windowMs)} (threshold ${threshold})${ids.length > 1 ? ` against ${ids.length} identities` : ''}`,
        { identities: ids, windowMs, threshold, lastTime: new Date(inc.lastMs).toISOString() }),
    );
  };
  let pendingEmit: Emit | undefined;
  const states = new BoundedMap<string, State>(options.limits.keys, (_k, st) => pendingEmit && close(pendingEmit, st));
  return {
    rule: 'failed-auth',
    observe(ev, emit) {
      if (ev.outcome !== 'failed-auth') return;
      pendingEmit = emit;
      const key = ev.sourceIp ?? `id:${ev.identity}`;
      let st = states.get(key);
      if (!st) {
        st = { recent: [] };
        states.set(key, st);
      }
      if (st.incident && ev.ms - st.incident.lastMs > windowMs) close(emit, st);
      st.recent.push(ev.ms);
      if (st.recent.length > threshold) st.recent.shift();
      if (st.incident) {
        st.incident.count++;
        st.incident.lastMs = Math.max(st.incident.lastMs, ev.ms);
        addCapped(st.incident.identities, ev.identity, 20);
      } else if (st.recent.length >= threshold && ev.ms - (st.recent[0] as number) <= windowMs) {
        st.incident = { first: ev, count: threshold, lastMs: ev.ms, identities: new Set([ev.identity]) };
      }
    },
    flush(emit) {
      for (const st of states.values()) close(emit, st);
      states.clear();
    },
    stateSize: () => states.size,
  };
}
