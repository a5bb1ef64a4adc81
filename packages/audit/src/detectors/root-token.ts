import type { Severity } from '@svm/core';
import type { ResolvedOptions } from '../options.js';
import { GapGroups } from '../internal/groups.js';
import { VAULT_ROOT_GENERATION_PATHS } from './catalog.js';
import { type Detector, type Emit, type TimedEvent, finding } from './types.js';

const GENERATE_ROOT = new RegExp(`^(${VAULT_ROOT_GENERATION_PATHS.join('|')})(/|$)`);

/**
 * `root-token`: use of a token carrying the `root` policy (high), creation of one (critical) or a
 * `sys/generate-root*` / `sys/generate-recovery-token` request (critical). Uses of one token within an hour fold
 * into one finding with a count.
 *
 * @example
 * ```ts
 * const d = createRootTokenDetector(resolveOptions());
 * ```
 */
export function createRootTokenDetector(options: ResolvedOptions): Detector {
  let sink: Emit = () => undefined;
  const groups = new GapGroups<{ first: TimedEvent; severity: Severity; what: string; paths: Set<string> }>(
    options.rootToken.windowMs,
    options.limits.keys,
    (_k, g) => {
      const { first, severity, what, paths } = g.extra;
      sink(
        finding(
          'root-token',
          severity,
          { ...first, secret: undefined },
          g.count,
          `${what}${g.count > 1 ? ` (${g.count} requests)` : ''}`,
          { paths: [...paths] },
          g.lastTime ?? g.lastMs,
        ),
      );
    },
  );
  return {
    rule: 'root-token',
    observe(ev, emit) {
      let severity: Severity | undefined;
      let what = '';
      if (GENERATE_ROOT.test(ev.path)) {
        severity = 'critical';
        what = `root token generation requested (${ev.path})`;
      } else if (ev.issuedPolicies?.includes('root') && ev.outcome === 'success') {
        severity = 'critical';
        what = 'root token created';
      } else if (ev.policies?.includes('root')) {
        severity = 'high';
        what = 'root token used';
      } else if (ev.source === 'cloudtrail' && ev.authMethod === 'root') {
        severity = 'high';
        what = 'AWS account root user used';
      }
      if (!severity) return;
      sink = emit;
      const s = severity;
      const w = what;
      const key = `${ev.accessor ?? ev.identity}\u0000${s}`;
      groups.add(
        key,
        ev.ms,
        () => ({ first: ev, severity: s, what: w, paths: new Set<string>() }),
        (x) => {
          if (x.paths.size < 10) x.paths.add(ev.path);
        },
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
