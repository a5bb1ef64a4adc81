import {
  type Clock,
  Inventory,
  type InventoryItem,
  SvmError,
  fixedClock,
  inventoryItems,
  loadDocument,
  systemClock,
} from '@svm/core';
import { loadInventory } from '@svm/rotation';
import type { AnalysisResult } from '../analyzer.js';
import {
  renderAccessReportText,
  renderDriftReportText,
  renderOrphanReportText,
  renderRotationReportText,
} from '../render/reports.js';
import { accessReport } from './access.js';
import { driftReport } from './drift.js';
import { orphanReport } from './orphans.js';
import { rotationReport } from './rotation.js';

/** The compliance reports of `svm audit report --type`. */
export const REPORT_TYPES = ['access', 'rotation', 'drift', 'orphans'] as const;
/** One of {@link REPORT_TYPES}. */
export type ReportType = (typeof REPORT_TYPES)[number];

/** What a compliance report needs besides the analysed logs, as a user typed it (`svm audit report` flags). */
export interface ReportRequest {
  type: ReportType;
  /** The inventory file name (rotation and orphans need one). */
  inventory?: string | undefined;
  /** drift: the old and new policy folders. */
  policies?: readonly string[] | undefined;
  /** orphans: days without access, a whole number (default 90). */
  days?: string | undefined;
  /** The report date: YYYY-MM-DD or an ISO instant (default now). */
  now?: string | undefined;
  /** rotation: compliance profiles. */
  profile?: readonly string[] | undefined;
}

/**
 * Check a report request and turn its text into settings: the days for orphans and the clock of the report date.
 * Throws `USAGE` naming the flag (`--inventory`, `--policies`, `--days`, `--now`, `--profile`) that does not fit.
 *
 * @example
 * ```ts
 * reportSettings({ type: 'orphans', inventory: 'inventory.yaml', days: '30', now: '2026-03-01' }); // { days: 30, clock }
 * ```
 */
export function reportSettings(request: ReportRequest): { days: number; clock: Clock } {
  const { type } = request;
  if ((type === 'rotation' || type === 'orphans') && !request.inventory)
    throw new SvmError('USAGE', `--type ${type} needs --inventory <file>`);
  if (request.policies && (type !== 'drift' || request.policies.length !== 2))
    throw new SvmError('USAGE', '--policies takes two folders (old and new) and only with --type drift');
  let days = 90;
  if (request.days !== undefined) {
    days = Number(request.days);
    if (!Number.isInteger(days) || days < 1)
      throw new SvmError('USAGE', `--days: expected a whole number of at least 1, got '${request.days}'`);
  }
  let clock = systemClock;
  if (request.now !== undefined) {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(request.now) ? `${request.now}T00:00:00Z` : request.now);
    if (!Number.isFinite(ms))
      throw new SvmError('USAGE', `--now: expected YYYY-MM-DD or an ISO instant, got '${request.now}'`);
    clock = fixedClock(ms);
  }
  if (request.profile && type !== 'rotation') throw new SvmError('USAGE', '--profile is only for --type rotation');
  return { days, clock };
}

/** An inventory as the reports read it: the items, the file and where each item is (for messages). */
export interface ReportInventory {
  items: InventoryItem[];
  file: string;
  lineOf(index: number): number | undefined;
}

/**
 * Read an inventory for a report. The rotation report plans with `@svm/rotation`, so it reads the inventory the
 * same way (JSON, YAML, CSV, with line numbers); the others read the core `Inventory` schema.
 *
 * @example
 * ```ts
 * const inventory = loadReportInventory(readFileSync('inventory.yaml', 'utf8'), 'inventory.yaml', 'rotation');
 * ```
 */
export function loadReportInventory(text: string, file: string, type: ReportType): ReportInventory {
  if (type === 'rotation') return loadInventory(text, { file });
  return { items: inventoryItems(loadDocument(text, { file }, Inventory)), file, lineOf: () => undefined };
}

/** Options of {@link complianceReport}. */
export interface ComplianceReportOptions {
  inventory?: ReportInventory | undefined;
  clock?: Clock | undefined;
  /** orphans: days without access (default 90). */
  days?: number | undefined;
  /** rotation: IANA time zone of the planning day. */
  timeZone?: string | undefined;
  /** rotation: compliance profiles. */
  profiles?: readonly string[] | undefined;
  /** drift: the effective-permission change on the paths the logs show (see `diffPolicies` in `@svm/policy`). */
  effectiveDiff?: { diff: unknown } | { note: string } | undefined;
}

/**
 * Build a compliance report of `type` from analysed logs, and its text rendering.
 *
 * @example
 * ```ts
 * const { report, text } = complianceReport('access', result);
 * console.log(text);
 * ```
 */
export function complianceReport(
  type: ReportType,
  result: AnalysisResult,
  options: ComplianceReportOptions = {},
): { report: unknown; text: string } {
  const items = options.inventory?.items ?? [];
  const clock = options.clock ?? systemClock;
  if (type === 'access') {
    const report = accessReport(result);
    return { report, text: renderAccessReportText(report) };
  }
  if (type === 'rotation') {
    const report = rotationReport(result, items, clock, {
      timeZone: options.timeZone,
      profiles: options.profiles,
      source: options.inventory,
    });
    return { report, text: renderRotationReportText(report) };
  }
  if (type === 'orphans') {
    const report = orphanReport(result, items, clock, options.days ?? 90);
    return { report, text: renderOrphanReportText(report) };
  }
  const report = driftReport(result, options.effectiveDiff);
  return { report, text: renderDriftReportText(report) };
}

/**
 * A report in an output format: pretty JSON, the text in a Markdown code block, or the text.
 *
 * @example
 * ```ts
 * const { report, text } = complianceReport('access', result);
 * writeFileSync('access.md', renderReportAs(report, text, 'md'));
 * ```
 */
export function renderReportAs(report: unknown, text: string, format: 'text' | 'json' | 'md'): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'md') return `\`\`\`\n${text}\n\`\`\`\n`;
  return `${text}\n`;
}
