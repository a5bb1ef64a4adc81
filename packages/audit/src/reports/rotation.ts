import { parseDays, type Clock, type InventoryItem } from '@svm/core';
import type { AnalysisResult } from '../analyzer.js';
import { itemKey, latest, matchActivity } from './inventory-match.js';

/** Rotation compliance of one inventory secret. */
export interface RotationComplianceItem {
  secret: string;
  type: string | null;
  intervalDays: number;
  /** From the inventory's `last_rotated`. */
  inventoryLastRotated: string | null;
  /** The latest new-version write seen in the logs. */
  loggedLastWrite: string | null;
  /** The later of the two. */
  lastRotated: string | null;
  due: string | null;
  status: 'compliant' | 'overdue' | 'never-rotated';
  evidence: 'log' | 'inventory' | 'none';
  daysOverdue: number;
}

/** The rotation compliance report. */
export interface RotationComplianceReport {
  type: 'rotation';
  asOf: string;
  items: RotationComplianceItem[];
  summary: { compliant: number; overdue: number; neverRotated: number };
}

/**
 * Rotation interval used when an inventory item names none (days).
 *
 * @example
 * ```ts
 * DEFAULT_ROTATION_DAYS; // 90
 * ```
 */
export const DEFAULT_ROTATION_DAYS = 90;

/**
 * Join a rotation inventory with the logs: a write of a new version (KV v2 write, PutSecretValue,
 * RotationSucceeded, AddSecretVersion, SecretSet) counts as rotation evidence, so an inventory whose
 * `last_rotated` is stale is corrected by what the logs show.
 *
 * @example
 * ```ts
 * const report = rotationReport(result, items, fixedClock('2026-03-20T00:00:00Z'));
 * ```
 */
export function rotationReport(result: AnalysisResult, items: readonly InventoryItem[], clock: Clock): RotationComplianceReport {
  const now = clock.now().getTime();
  const out: RotationComplianceItem[] = items.map((item) => {
    const activity = matchActivity(item, result.aggregates.secrets);
    const logged = activity.reduce<string | null>((acc, s) => latest(acc, s.lastWrite), null);
    // An empty `last_rotated` (CSV, spreadsheets) means never rotated.
    const inv = item.last_rotated || null;
    const last = latest(inv, logged);
    // The inventory's `interval` is in days (a bare number means days, as in @svm/rotation).
    const intervalMs = (item.interval !== undefined ? parseDays(item.interval) : DEFAULT_ROTATION_DAYS) * 86_400_000;
    const dueMs = last ? Date.parse(last) + intervalMs : null;
    const status = !last ? 'never-rotated' : (dueMs as number) < now ? 'overdue' : 'compliant';
    return {
      secret: itemKey(item),
      type: item.type ?? null,
      intervalDays: Math.round(intervalMs / 86_400_000),
      inventoryLastRotated: inv,
      loggedLastWrite: logged,
      lastRotated: last,
      due: dueMs === null ? null : new Date(dueMs).toISOString(),
      status,
      evidence: logged && last === logged ? 'log' : inv ? 'inventory' : 'none',
      daysOverdue: dueMs !== null && dueMs < now ? Math.floor((now - dueMs) / 86_400_000) : 0,
    };
  });
  return {
    type: 'rotation',
    asOf: new Date(now).toISOString(),
    items: out,
    summary: {
      compliant: out.filter((i) => i.status === 'compliant').length,
      overdue: out.filter((i) => i.status === 'overdue').length,
      neverRotated: out.filter((i) => i.status === 'never-rotated').length,
    },
  };
}
