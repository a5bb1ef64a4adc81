import type { AuditEvent } from '@svm/core';
import type { ResolvedOptions } from '../options.js';
import { GapGroups, addCapped } from '../internal/groups.js';
import { CLOUD_DESTROY_OPERATIONS } from './catalog.js';
import { type Detector, type Emit, type TimedEvent, finding, humanMs, identityKey } from './types.js';

/** True when an event permanently destroys secret data (or schedules it). */
export function isDestroy(ev: AuditEvent): boolean {
  if (ev.outcome !== 'success') return false;
  switch (ev.source) {
    case 'vault':
    case 'simple': {
      const seg = ev.secret !== undefined ? /^[^/]+\/(destroy|metadata)\//.exec(ev.path)?.[1] : undefined;
      return (seg === 'destroy' && ev.operation !== 'read') || (seg === 'metadata' && ev.operation === 'delete');
    }
    case 'cloudtrail':
    case 'gcp':
    case 'azure':
      return (CLOUD_DESTROY_OPERATIONS[ev.source] as readonly string[]).includes(ev.operation);
  }
}

/**
 * `secret-destroy`: permanent deletion (Vault KV `destroy/` and `metadata/` delete, AWS `DeleteSecret`, GCP
 * `DestroySecretVersion`/`DeleteSecret`, Azure `SecretPurge`/`SecretDelete`), grouped per identity within
 * `windowMs` (default 1h). Medium; high at `massCount` (default 10) or more.
 *
 * @example
 * ```ts
 * const d = createSecretDestroyDetector(resolveOptions());
 * ```
 */
export function createSecretDestroyDetector(options: ResolvedOptions): Detector {
  const { windowMs, massCount } = options.secretDestroy;
  let sink: Emit = () => undefined;
  const groups = new GapGroups<{ first: TimedEvent; secrets: Set<string> }>(windowMs, options.limits.keys, (_k, g) => {
    const { first, secrets } = g.extra;
    const mass = g.count >= massCount;
    sink(
      finding(
        'secret-destroy',
        mass ? 'high' : 'medium',
        first,
        g.count,
        mass
          ? `${g.count} secrets destroyed within ${humanMs(windowMs)} (threshold ${massCount})`
          : `secret data destroyed: ${[...secrets].slice(0, 3).join(', ')}${g.count > 3 ? ', …' : ''}`,
        { secrets: [...secrets] },
        g.lastTime ?? g.lastMs,
      ),
    );
  });
  return {
    rule: 'secret-destroy',
    observe(ev, emit) {
      if (!isDestroy(ev)) return;
      sink = emit;
      groups.add(
        identityKey(ev),
        ev.ms,
        () => ({ first: ev, secrets: new Set<string>() }),
        (x) => addCapped(x.secrets, ev.secret ?? ev.path, 50),
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
