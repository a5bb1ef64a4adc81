import { type Severity, SvmError, type TextStyle, fullStyle, severityAtLeast } from '@svm/core';
import type { AnalysisResult } from './analyzer.js';
import { parseTimeBound } from './objstore/time-bound.js';
import { toAnalysisJson } from './render/json.js';
import { renderHtml } from './render/html.js';
import { renderMarkdown } from './render/markdown.js';
import { renderText } from './render/text.js';

/** The analysis settings a user typed (`svm audit analyze` flags). */
export interface AnalyzeRequest {
  /** Business hours `FROM-TO`, e.g. `8-18`. */
  businessHours?: string | undefined;
  /** Parse worker threads, 0–64. */
  workers?: string | undefined;
  /** IANA time zone of the business hours. */
  tz?: string | undefined;
  /**
   * Analyse events from this time on (ISO date/instant, UTC date and time, or a duration before `now`); earlier
   * events only teach the baselines. Objects in buckets whose key is before it are not read.
   */
  since?: string | undefined;
  /** Analyse events before this time; objects in buckets whose key is after it are not read. */
  until?: string | undefined;
  /** Group repeated findings (default true; `--no-group` sets false). */
  group?: boolean | undefined;
}

/**
 * Check the analysis settings a user typed and turn them into `analyzeFiles` options: worker count and the
 * off-hours window, and the `--since`/`--until` window that prunes objects in buckets by key. Throws `USAGE`
 * naming the flag (`--business-hours`, `--workers`, `--tz`, `--since`, `--until`).
 *
 * @example
 * ```ts
 * analyzeSettings({ businessHours: '8-18', tz: 'Europe/Berlin' });
 * // { offHours: { timeZone: 'Europe/Berlin', startHour: 8, endHour: 18 } }
 * ```
 */
export function analyzeSettings(
  request: AnalyzeRequest,
  now: number = Date.now(),
): {
  workers?: number;
  offHours: { timeZone?: string; startHour?: number; endHour?: number };
  since?: number;
  until?: number;
  group: boolean;
  now: number;
} {
  let hours: { startHour: number; endHour: number } | undefined;
  if (request.businessHours !== undefined) {
    const m = /^(\d{1,2})-(\d{1,2})$/.exec(request.businessHours.trim());
    if (!m)
      throw new SvmError(
        'USAGE',
        `--business-hours: expected FROM-TO hours such as 8-18, got '${request.businessHours}'`,
      );
    hours = { startHour: Number(m[1]), endHour: Number(m[2]) };
  }
  let workers: number | undefined;
  if (request.workers !== undefined) {
    workers = Number(request.workers);
    if (!Number.isInteger(workers) || workers < 0 || workers > 64)
      throw new SvmError('USAGE', `--workers: expected a whole number from 0 to 64, got '${request.workers}'`);
  }
  if (request.tz !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: request.tz });
    } catch {
      throw new SvmError(
        'USAGE',
        `--tz: unknown time zone '${request.tz}' (expected an IANA name such as Europe/Berlin)`,
      );
    }
  }
  const offHours = { ...(request.tz ? { timeZone: request.tz } : {}), ...(hours ?? {}) };
  return {
    ...(workers !== undefined ? { workers } : {}),
    offHours,
    ...(request.since !== undefined ? { since: parseTimeBound(request.since, now, '--since') } : {}),
    ...(request.until !== undefined ? { until: parseTimeBound(request.until, now, '--until') } : {}),
    group: request.group !== false,
    now,
  };
}

/**
 * Severity names coloured for a terminal: critical bold red, high red, medium yellow, the others plain.
 *
 * @example
 * ```ts
 * renderText(result, { severity: severityPaint(picocolors) });
 * ```
 */
export function severityPaint(style: TextStyle = {}): (severity: string) => string {
  const c = fullStyle(style);
  return (s) => {
    if (s === 'critical') return c.bold(c.red(s));
    if (s === 'high') return c.red(s);
    if (s === 'medium') return c.yellow(s);
    return s;
  };
}

/**
 * An analysis in an output format: pretty JSON (the `toAnalysisJson` document), Markdown, HTML or text (severities
 * painted with `style`, the findings tables fitted to `options.width` columns when given).
 *
 * @example
 * ```ts
 * writeFileSync('report.html', renderAnalysisAs(result, 'html'));
 * ```
 */
export function renderAnalysisAs(
  result: AnalysisResult,
  format: 'text' | 'json' | 'md' | 'html',
  style: TextStyle = {},
  options: { width?: number | undefined } = {},
): string {
  if (format === 'json') return `${JSON.stringify(toAnalysisJson(result), null, 2)}\n`;
  if (format === 'md') return renderMarkdown(result);
  if (format === 'html') return renderHtml(result);
  return renderText(result, { severity: severityPaint(style), ...(options.width ? { width: options.width } : {}) });
}

/**
 * The exit code of an analysis: 2 when an input was damaged (truncated or corrupt gzip, trailing bytes: analysed only
 * up to the damage, so a `--fail-on` gate never passes on a log it could not read to the end), 1 when a finding
 * reaches `failOn` (suppressed findings never count), else 0.
 *
 * @example
 * ```ts
 * process.exitCode = analysisExitCode(result, 'high');
 * ```
 */
export function analysisExitCode(result: AnalysisResult, failOn: Severity | 'none'): 0 | 1 | 2 {
  if (result.inputErrors.length > 0) return 2;
  return failOn !== 'none' && result.findings.some((f) => severityAtLeast(f.severity, failOn)) ? 1 : 0;
}
