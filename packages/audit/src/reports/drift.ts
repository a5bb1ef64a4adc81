import type { AnalysisResult } from '../analyzer.js';
import type { PolicyChangeSeen } from './aggregates.js';

/** The policy drift report. */
export interface DriftReport {
  type: 'drift';
  /** Policy changes seen in the logs. */
  changes: PolicyChangeSeen[];
  /** Policies changed, with how many times and by whom. */
  byPolicy: Array<{ policy: string; changes: number; identities: string[]; last: string }>;
  /**
   * The effective-permission diff between two policy folders, from the policy engine, when given; otherwise
   * `null` with `effectiveDiffNote` saying why.
   */
  effectiveDiff: unknown;
  effectiveDiffNote: string | null;
}

/**
 * Policy drift: every policy change the logs show, grouped by policy, plus (when the caller computed it with
 * the policy engine) the effective-permission diff between two policy sets.
 *
 * @example
 * ```ts
 * driftReport(result).byPolicy[0]?.policy; // 'ops'
 * ```
 */
export function driftReport(result: AnalysisResult, effectiveDiff?: { diff: unknown } | { note: string }): DriftReport {
  const changes = result.aggregates.policyChanges;
  const by = new Map<string, { policy: string; changes: number; identities: Set<string>; last: string }>();
  for (const c of changes) {
    const e = by.get(c.policy) ?? { policy: c.policy, changes: 0, identities: new Set<string>(), last: c.time };
    e.changes++;
    e.identities.add(c.identity);
    if (c.time > e.last) e.last = c.time;
    by.set(c.policy, e);
  }
  return {
    type: 'drift',
    changes,
    byPolicy: [...by.values()]
      .map((e) => ({ ...e, identities: [...e.identities] }))
      .sort((a, b) => b.changes - a.changes || a.policy.localeCompare(b.policy)),
    effectiveDiff: effectiveDiff && 'diff' in effectiveDiff ? effectiveDiff.diff : null,
    effectiveDiffNote:
      effectiveDiff && 'note' in effectiveDiff
        ? effectiveDiff.note
        : effectiveDiff
          ? null
          : 'pass --policies <old-dir> <new-dir> for the effective-permission diff',
  };
}
