import type { AnalysisResult } from '../analyzer.js';
import type { AuditFinding } from '../detectors/types.js';
import { humanTime } from '../internal/time.js';
import { fitTable, fmt, identityLabel, severityCounts, sourcesLine, truncateVisible } from './summary.js';

/** Options for {@link renderText}. */
export interface TextRenderOptions {
  /** Style severities (e.g. colours); identity by default. */
  severity?: (severity: string) => string;
  /** Malformed lines listed (default 10). */
  malformedShown?: number;
  /**
   * Terminal width in columns: the findings tables fit it, cutting the message (then the identity, then leaving
   * out the source address) instead of wrapping rows. Default: no limit. The CLI passes `process.stdout.columns`
   * on a TTY and 100 otherwise.
   */
  width?: number;
}

/** `2026-12-05 12:36:02` (UTC, as the header says), or `12:36:02` when every row is on one day. */
function timeCell(findings: readonly AuditFinding[]): (t: string) => string {
  const days = new Set(findings.map((f) => f.time.slice(0, 10)));
  return days.size === 1 ? (t) => humanTime(t).slice(11, 19) : (t) => humanTime(t).slice(0, 19);
}

/** The identity, and for a shared token name the start of its accessor: `token (42eb4420…)`. */
function shortIdentity(f: AuditFinding): string {
  if (!f.accessor) return identityLabel(f);
  return `${f.identity ?? '-'} (${f.accessor.replace(/^hmac-sha256:/, '').slice(0, 8)}…)`;
}

function findingRows(
  findings: readonly AuditFinding[],
  sev: (s: string) => string,
  extra?: (f: AuditFinding) => string,
) {
  const time = timeCell(findings);
  return findings.map((f) => [
    sev(f.severity),
    f.rule,
    time(f.time),
    shortIdentity(f),
    f.sourceIp ?? '-',
    String(f.count),
    extra ? extra(f) : f.message,
  ]);
}

const HEADER = ['SEVERITY', 'RULE', 'TIME (UTC)', 'IDENTITY', 'SOURCE IP', 'COUNT', 'MESSAGE'];
const FIT = { shrink: [3], drop: [4] };

/**
 * Readable text: a summary, the findings as a table (grouped findings as one row), the suppressed findings and
 * expired suppressions, then malformed lines by file and line. With `width`, every line fits it.
 *
 * @example
 * ```ts
 * process.stdout.write(renderText(result, { width: process.stdout.columns ?? 100 }));
 * ```
 */
export function renderText(result: AnalysisResult, options: TextRenderOptions = {}): string {
  const sev = options.severity ?? ((s: string) => s);
  const width = options.width ?? Number.POSITIVE_INFINITY;
  const line = (s: string) => truncateVisible(s, width);
  const out: string[] = [];
  out.push(
    `${fmt(result.lines)} lines, ${fmt(result.events)} events (${sourcesLine(result)}), ${fmt(result.malformed)} malformed`,
  );
  const a = result.aggregates;
  if (a.firstTime && a.lastTime) out.push(`period ${humanTime(a.firstTime)} – ${humanTime(a.lastTime)}`);
  const w = result.window;
  if (w) {
    const parts = [`window ${w.since ? humanTime(w.since) : '…'} – ${w.until ? humanTime(w.until) : '…'}`];
    if (w.warmup) parts.push(`${fmt(w.warmup)} earlier event(s) only taught the baseline`);
    if (w.alreadyLearned) parts.push(`${fmt(w.alreadyLearned)} earlier event(s) already in the --state baseline`);
    if (w.after) parts.push(`${fmt(w.after)} later event(s) skipped`);
    out.push(parts.join('; '));
  }
  const counts = severityCounts(result);
  const grouped =
    result.grouping && result.grouping.before !== result.grouping.after
      ? ` (${fmt(result.grouping.before)} before grouping)`
      : '';
  if (result.findings.length === 0) out.push('', `no findings${grouped}`);
  else {
    const days = new Set(result.findings.map((f) => f.time.slice(0, 10)));
    const on = days.size === 1 ? ` on ${[...days][0]}` : '';
    out.push(
      '',
      `${result.findings.length} finding(s)${on}${grouped}: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}`,
      '',
    );
    out.push(fitTable(HEADER, findingRows(result.findings, sev), width, FIT));
  }
  if (result.suppressed.length > 0) {
    out.push(
      '',
      `${result.suppressed.length} suppressed finding(s)${result.suppressions?.file ? ` (${result.suppressions.file})` : ''}:`,
      '',
    );
    const suppressed = result.suppressed.map((f) => ({
      ...f,
      why: `${f.suppressedBy.id ?? `#${f.suppressedBy.index + 1}`}: ${f.suppressedBy.reason} — ${f.message}`,
    }));
    out.push(
      fitTable(
        [...HEADER.slice(0, -1), 'SUPPRESSED BY — MESSAGE'],
        findingRows(suppressed, sev, (f) => (f as (typeof suppressed)[number]).why),
        width,
        FIT,
      ),
    );
  }
  for (const s of result.suppressions?.expired ?? [])
    out.push(
      '',
      line(
        `expired suppression ${s.id ?? `#${s.index + 1}`} (expires ${s.expires}; ${s.reason}): no longer applied, ${s.matched} finding(s) it matched are reported above`,
      ),
    );
  if (result.malformed > 0) {
    const shown = result.malformedLines.slice(0, options.malformedShown ?? 10);
    out.push(
      '',
      `${fmt(result.malformed)} malformed line(s) skipped${result.malformed > shown.length ? ` (first ${shown.length})` : ''}:`,
    );
    for (const m of shown) out.push(line(`  ${m.file}:${m.line}: ${m.reason}`));
  }
  if (result.inputErrors.length > 0) {
    out.push('', `${result.inputErrors.length} input(s) damaged (analysed up to the damage):`);
    for (const e of result.inputErrors) out.push(line(`  ${e.file}: ${e.reason}`));
  }
  return `${out.join('\n')}\n`;
}
