import type { ResolvedOptions } from '../options.js';
import { BoundedMap } from '../internal/bounded-map.js';
import { type Detector, type Emit, type TimedEvent, commonPathPrefix, finding, humanMs } from './types.js';

/** Identities kept as a sample in a finding's evidence. */
const IDENTITY_SAMPLE = 25;
/** At most this many distinct identities are remembered per incident (the total keeps counting past it). */
const INCIDENT_CAP = 1000;

interface State {
  /**
   * Distinct target identities failed recently → that identity's run of failures (each within the window of the
   * one before): its first, its last and how many; in order of the last failure, pruned to the window.
   */
  recent: Map<string, { first: TimedEvent; last: TimedEvent; n: number }>;
  incident?: {
    first: TimedEvent;
    last: TimedEvent;
    identities: Set<string>;
    paths: Set<string>;
    total: number;
    failures: number;
  };
}

/**
 * `password-spray`: failed logins from one source address against `distinctIdentities` or more distinct target
 * identities within `windowMs` (default 10 in 15 minutes), high — the attack `failed-auth` (exact per source and
 * target identity) does not see, a few passwords tried against many users. Failures without a source address
 * are left out. An incident lasts while failures keep coming within the window and yields one finding: `count`
 * is the number of failures (those that led up to it included), the evidence holds a sample of the identities and their total, `time` is the
 * first failure and `lastTime` the last. State per address holds at most 2 × `distinctIdentities` identities.
 *
 * @example
 * ```ts
 * const d = createPasswordSprayDetector(resolveOptions({ passwordSpray: { distinctIdentities: 20 } }));
 * ```
 */
export function createPasswordSprayDetector(options: ResolvedOptions): Detector {
  const { windowMs, distinctIdentities } = options.passwordSpray;
  const cap = distinctIdentities * 2;
  const close = (st: State, emit: Emit) => {
    const inc = st.incident;
    if (!inc) return;
    st.incident = undefined;
    emit(
      finding(
        'password-spray',
        'high',
        // Many identities: the finding names none (the sample is in the evidence); `path` is the login paths' common prefix.
        {
          ...inc.first,
          identity: null as unknown as string,
          path: commonPathPrefix(inc.paths) as string,
          secret: undefined,
        },
        inc.failures,
        `${inc.failures} failed logins against ${inc.total} distinct identities from ${inc.first.sourceIp} within ${humanMs(windowMs)} (threshold ${distinctIdentities})`,
        {
          identities: [...inc.identities].slice(0, IDENTITY_SAMPLE),
          distinctIdentities: inc.total,
          windowMs,
          threshold: distinctIdentities,
        },
        inc.last.time,
      ),
    );
  };
  let sink: Emit = () => undefined;
  const states = new BoundedMap<string, State>(options.limits.keys, (_k, st) => close(st, sink));
  return {
    rule: 'password-spray',
    observe(ev, emit) {
      if (ev.outcome !== 'failed-auth' || !ev.sourceIp) return;
      sink = emit;
      const target = ev.identity;
      let st = states.get(ev.sourceIp);
      if (!st) {
        st = { recent: new Map() };
        states.set(ev.sourceIp, st);
      }
      if (st.incident && ev.ms - st.incident.last.ms > windowMs) close(st, emit);
      const run = st.recent.get(target);
      st.recent.delete(target);
      st.recent.set(
        target,
        run && ev.ms - run.last.ms <= windowMs
          ? { first: run.first, last: ev, n: run.n + 1 }
          : { first: ev, last: ev, n: 1 },
      );
      for (const [k, r] of st.recent) {
        if (ev.ms - r.last.ms <= windowMs && st.recent.size <= cap) break;
        st.recent.delete(k);
      }
      const inc = st.incident;
      if (inc) {
        inc.failures++;
        if (ev.ms >= inc.last.ms) inc.last = ev;
        if (!inc.identities.has(target)) {
          if (inc.identities.size < INCIDENT_CAP) {
            inc.identities.add(target);
            inc.paths.add(ev.path);
          }
          inc.total++;
        }
      } else if (st.recent.size >= distinctIdentities) {
        let first = ev;
        let failures = 0;
        const paths = new Set<string>();
        for (const r of st.recent.values()) {
          paths.add(r.last.path);
          failures += r.n;
          if (r.first.ms < first.ms) first = r.first;
        }
        st.incident = {
          first,
          last: ev,
          identities: new Set(st.recent.keys()),
          paths,
          total: st.recent.size,
          failures,
        };
      }
    },
    flush(emit) {
      for (const st of states.values()) close(st, emit);
      states.clear();
    },
    stateSize: () => states.size,
  };
}
