import type { ResolvedOptions } from '../options.js';
import { BoundedMap } from '../internal/bounded-map.js';
import { type Detector, type Emit, type TimedEvent, finding, humanMs } from './types.js';

interface State {
  /** The most recent failures (at most `threshold`). */
  recent: TimedEvent[];
  incident?: { first: TimedEvent; count: number; last: TimedEvent };
}

/**
 * `failed-auth`: failed logins against one target identity from one source address (or, without an address,
 * against that identity): `threshold` failures within `windowMs` (default 5 in 15 minutes, Vault's own
 * lockout). Failures against two users from one address are two groups, each with its own count. An incident
 * lasts while failures keep coming within the window and yields one high finding with the total count; its
 * `time` is the first failure of the incident's run and `lastTime` the last.
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
    emit(
      finding(
        'failed-auth',
        'high',
        inc.first,
        inc.count,
        `${inc.count} failed logins${inc.first.identity ? ` as ${inc.first.identity}` : ''}${inc.first.sourceIp ? ` from ${inc.first.sourceIp}` : ''} within ${humanMs(windowMs)} (threshold ${threshold})`,
        { windowMs, threshold },
        inc.last.time,
      ),
    );
  };
  let pendingEmit: Emit | undefined;
  const states = new BoundedMap<string, State>(options.limits.keys, (_k, st) => pendingEmit && close(pendingEmit, st));
  return {
    rule: 'failed-auth',
    observe(ev, emit) {
      if (ev.outcome !== 'failed-auth') return;
      pendingEmit = emit;
      const key = `${ev.sourceIp ?? ''}\u0000${ev.identity}`;
      let st = states.get(key);
      if (!st) {
        st = { recent: [] };
        states.set(key, st);
      }
      if (st.incident && ev.ms - st.incident.last.ms > windowMs) close(emit, st);
      st.recent.push(ev);
      if (st.recent.length > threshold) st.recent.shift();
      if (st.incident) {
        st.incident.count++;
        if (ev.ms >= st.incident.last.ms) st.incident.last = ev;
      } else if (st.recent.length >= threshold && ev.ms - (st.recent[0] as TimedEvent).ms <= windowMs) {
        st.incident = { first: st.recent[0] as TimedEvent, count: threshold, last: ev };
      }
    },
    flush(emit) {
      for (const st of states.values()) close(emit, st);
      states.clear();
    },
    stateSize: () => states.size,
  };
}
