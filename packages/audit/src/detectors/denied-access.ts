import type { ResolvedOptions } from '../options.js';
import { GapGroups, addCapped } from '../internal/groups.js';
import { type Detector, type Emit, type TimedEvent, finding, humanMs, identityKey } from './types.js';

/**
 * `denied-access`: requests refused by policy (or, kept apart, by a firewall rule), grouped per identity while
 * they keep coming within `windowMs`. A group of `burst` or more (default 5 in 15 minutes) is a medium finding,
 * fewer a low one.
 *
 * @example
 * ```ts
 * const d = createDeniedAccessDetector(resolveOptions());
 * ```
 */
export function createDeniedAccessDetector(options: ResolvedOptions): Detector {
  const { windowMs, burst } = options.deniedAccess;
  let sink: Emit = () => undefined;
  const groups = new GapGroups<{ first: TimedEvent; paths: Set<string>; by: string }>(
    windowMs,
    options.limits.keys,
    (_k, g) => {
      const { first, paths, by } = g.extra;
      const firewall = by === 'firewall';
      const what = firewall ? 'blocked by the network firewall' : 'denied by policy';
      sink(
        finding(
          'denied-access',
          g.count >= burst && !firewall ? 'medium' : 'low',
          first,
          g.count,
          g.count >= burst
            ? `${g.count} requests ${what} within ${humanMs(g.lastMs - g.startMs || windowMs)} (burst threshold ${burst}) across ${paths.size} path(s)`
            : `${g.count} request(s) ${what}: ${[...paths].slice(0, 3).join(', ')}`,
          { deniedBy: by, paths: [...paths] },
          g.lastTime ?? g.lastMs,
        ),
      );
    },
  );
  return {
    rule: 'denied-access',
    observe(ev, emit) {
      if (ev.outcome !== 'denied') return;
      sink = emit;
      const by = ev.deniedBy ?? 'policy';
      groups.add(
        `${identityKey(ev)}\u0000${by}`,
        ev.ms,
        () => ({ first: ev, paths: new Set<string>(), by }),
        (x) => addCapped(x.paths, ev.path, 20),
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
