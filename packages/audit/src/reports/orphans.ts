import type { Clock, InventoryItem } from '@svm/core';
import type { AnalysisResult } from '../analyzer.js';
import { itemKey, latest, matchActivity } from './inventory-match.js';

/** One inventory secret's usage. */
export interface OrphanItem {
  secret: string;
  lastAccess: string | null;
  daysSinceAccess: number | null;
  /**
   * `orphaned`: no access for over `days`; `active`; `unknown`: no access in logs that cover less than `days`
   * (the logs cannot prove it unused).
   */
  status: 'orphaned' | 'active' | 'unknown';
}

/** The orphaned-secrets report. */
export interface OrphanReport {
  type: 'orphans';
  asOf: string;
  days: number;
  /** Days of log the analysis covered. */
  coverageDays: number;
  items: OrphanItem[];
  summary: { orphaned: number; active: number; unknown: number };
}

/**
 * Inventory secrets with no access (read or write) in the logs for over `days` (default 90). When the logs
 * cover less than that and show no access, the status is `unknown`, not `orphaned`.
 *
 * @example
 * ```ts
 * orphanReport(result, items, systemClock, 90).summary.orphaned;
 * ```
 */
export function orphanReport(
  result: AnalysisResult,
  items: readonly InventoryItem[],
  clock: Clock,
  days = 90,
): OrphanReport {
  const now = clock.now().getTime();
  const from = result.aggregates.firstTime ? Date.parse(result.aggregates.firstTime) : now;
  const coverageDays = Math.max(0, Math.floor((now - from) / 86_400_000));
  const out: OrphanItem[] = items.map((item) => {
    const act = matchActivity(item, result.aggregates.secrets);
    const last = act.reduce<string | null>((acc, s) => latest(latest(acc, s.lastRead), s.lastWrite), null);
    const since = last ? Math.floor((now - Date.parse(last)) / 86_400_000) : null;
    const status: OrphanItem['status'] =
      since !== null ? (since > days ? 'orphaned' : 'active') : coverageDays > days ? 'orphaned' : 'unknown';
    return { secret: itemKey(item), lastAccess: last, daysSinceAccess: since, status };
  });
  return {
    type: 'orphans',
    asOf: new Date(now).toISOString(),
    days,
    coverageDays,
    items: out,
    summary: {
      orphaned: out.filter((i) => i.status === 'orphaned').length,
      active: out.filter((i) => i.status === 'active').length,
      unknown: out.filter((i) => i.status === 'unknown').length,
    },
  };
}
