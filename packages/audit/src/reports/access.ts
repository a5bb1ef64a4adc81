import type { AnalysisResult } from '../analyzer.js';
import type { IdentityAccess } from './aggregates.js';

/** The access inventory: who touched which secrets, how often, from where. */
export interface AccessReport {
  type: 'access';
  period: { from: string | null; to: string | null };
  identities: IdentityAccess[];
}

/**
 * Access inventory (identity → secrets with counts, first/last seen, source addresses) from an analysis.
 *
 * @example
 * ```ts
 * const report = accessReport(result);
 * report.identities[0]?.secrets; // { 'secret/prod/db': 42 }
 * ```
 */
export function accessReport(result: AnalysisResult): AccessReport {
  return {
    type: 'access',
    period: { from: result.aggregates.firstTime, to: result.aggregates.lastTime },
    identities: result.aggregates.identities,
  };
}
