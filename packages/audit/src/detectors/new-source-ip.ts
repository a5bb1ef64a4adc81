import type { ResolvedOptions } from '../options.js';
import { BoundedMap } from '../internal/bounded-map.js';
import { inCidrs, networkOf } from '../internal/ip.js';
import { type Detector, finding, identityKey } from './types.js';

/** Learned addresses of one identity. Exported for persistence. */
export interface IdentityBaseline {
  firstMs: number;
  events: number;
  /** Networks (CIDR strings) seen, most recent last; at most {@link MAX_NETWORKS_PER_IDENTITY}. */
  networks: string[];
}

/** Networks kept per identity (oldest forgotten first). */
export const MAX_NETWORKS_PER_IDENTITY = 32;

/**
 * `new-source-ip`: a successful request by an identity from a network (default /24 for IPv4, /64 for IPv6)
 * outside the baseline it learned, once it has a baseline (default 10 events over at least 1 hour).
 * Allow-listed CIDRs and non-IP callers (AWS service hostnames, GCP `private`) are never flagged.
 * The baseline can be preloaded and saved (SQLite `--state`).
 *
 * @example
 * ```ts
 * const d = createNewSourceIpDetector(resolveOptions({ newSourceIp: { allow: ['10.0.0.0/8'] } }));
 * ```
 */
export function createNewSourceIpDetector(
  options: ResolvedOptions,
  baseline?: BoundedMap<string, IdentityBaseline>,
): Detector & { baseline: BoundedMap<string, IdentityBaseline> } {
  const { minEvents, learningMs, v4Prefix, v6Prefix, allow } = options.newSourceIp;
  const ids = baseline ?? new BoundedMap<string, IdentityBaseline>(options.limits.identities);
  // An address's network, computed once per address (one string per network, not one per event).
  const nets = new Map<string, string>();
  return {
    rule: 'new-source-ip',
    baseline: ids,
    observe(ev, emit) {
      if (ev.outcome !== 'success' || !ev.sourceIp || ev.identity === 'anonymous') return;
      let net = nets.get(ev.sourceIp);
      if (net === undefined) {
        net = networkOf(ev.sourceIp, v4Prefix, v6Prefix);
        if (nets.size >= 65_536) nets.clear();
        nets.set(ev.sourceIp, net);
      }
      const key = identityKey(ev);
      let b = ids.get(key);
      if (!b) {
        b = { firstMs: ev.ms, events: 0, networks: [] };
        ids.set(key, b);
      }
      b.events++;
      const at = b.networks.indexOf(net);
      if (at >= 0) {
        if (at !== b.networks.length - 1) {
          b.networks.splice(at, 1);
          b.networks.push(net);
        }
        return;
      }
      const learned = b.events > minEvents && ev.ms - b.firstMs >= learningMs && b.networks.length > 0;
      if (learned && !inCidrs(ev.sourceIp, allow)) {
        emit(
          finding(
            'new-source-ip',
            ev.identityKind === 'human' ? 'medium' : 'high',
            ev,
            1,
            `${ev.identityKind === 'machine' ? 'machine' : ev.identityKind === 'human' ? 'human' : 'identity'} seen from ${ev.sourceIp} (${net}), outside its baseline of ${b.networks.length} network(s)`,
            { network: net, baseline: [...b.networks].slice(-10), baselineEvents: b.events - 1 },
          ),
        );
      }
      b.networks.push(net);
      if (b.networks.length > MAX_NETWORKS_PER_IDENTITY) b.networks.shift();
    },
    flush() {},
    stateSize: () => ids.size,
  };
}
