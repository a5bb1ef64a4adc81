import type { Severity } from '@svm/core';
import type { ResolvedOptions } from '../options.js';
import { GapGroups } from '../internal/groups.js';
import { type Detector, type Emit, type TimedEvent, finding, humanSeconds, identityKey } from './types.js';

/**
 * `long-ttl-token`: a token issued (login or token create) with a TTL over `humanMaxSeconds` for people
 * (default 24h, medium) or over `maxSeconds` for anyone (default 768h, Vault's default max; high). A TTL of 0
 * on a non-root token never expires (high). Repeats per identity and TTL within a day fold into one finding.
 *
 * @example
 * ```ts
 * const d = createLongTtlDetector(resolveOptions({ longTtl: { humanMaxSeconds: 8 * 3600 } }));
 * ```
 */
export function createLongTtlDetector(options: ResolvedOptions): Detector {
  const { humanMaxSeconds, maxSeconds } = options.longTtl;
  let sink: Emit = () => undefined;
  const groups = new GapGroups<{ first: TimedEvent; severity: Severity; reason: string }>(
    86_400_000,
    options.limits.keys,
    (_k, g) => {
      const { first, severity, reason } = g.extra;
      sink(
        finding(
          'long-ttl-token',
          severity,
          first,
          g.count,
          `token issued ${reason}${g.count > 1 ? ` (${g.count} times)` : ''}`,
          { tokenTtl: first.tokenTtl, policies: first.issuedPolicies },
        ),
      );
    },
  );
  return {
    rule: 'long-ttl-token',
    observe(ev, emit) {
      const ttl = ev.tokenTtl;
      if (ttl === undefined || ev.outcome !== 'success') return;
      if (ev.issuedPolicies?.includes('root')) return; // root-token covers it
      let severity: Severity | undefined;
      let reason = '';
      if (ttl === 0) {
        severity = 'high';
        reason = 'with no expiry (TTL 0)';
      } else if (ttl > maxSeconds) {
        severity = 'high';
        reason = `with a TTL of ${humanSeconds(ttl)} (over ${humanSeconds(maxSeconds)})`;
      } else if (ev.identityKind === 'human' && ttl > humanMaxSeconds) {
        severity = 'medium';
        reason = `to a human with a TTL of ${humanSeconds(ttl)} (over ${humanSeconds(humanMaxSeconds)})`;
      }
      if (!severity) return;
      sink = emit;
      const s = severity;
      const r = reason;
      groups.add(`${identityKey(ev)}\u0000${ttl}`, ev.ms, () => ({ first: ev, severity: s, reason: r }));
    },
    flush(emit) {
      sink = emit;
      groups.flush();
    },
    stateSize: () => groups.size,
  };
}
