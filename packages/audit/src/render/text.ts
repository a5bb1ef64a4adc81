import type { AnalysisResult } from '../analyzer.js';
import { fmt, identityLabel, severityCounts, sourcesLine, table } from './summary.js';

/** Options for {@link renderText}. */
export interface TextRenderOptions {
  /** Style severities (e.g. colours); identity by default. */
  severity?: (severity: string) => string;
  /** Malformed lines listed (default 10). */
  malformedShown?: number;
}

/**
 * Readable text: a summary, the findings as a table, then malformed lines by file and line.
 *
 * @example
 * ```ts
 * process.stdout.write(renderText(result));
 * ```
 */
export function renderText(result: AnalysisResult, options: TextRenderOptions = {}): string {
  const sev = options.severity ?? ((s: string) => s);
  const out: string[] = [];
  out.push(
    `${fmt(result.lines)} lines, ${fmt(result.events)} events (${sourcesLine(result)}), ${fmt(result.malformed)} malformed`,
  );
  const a = result.aggregates;
  if (a.firstTime && a.lastTime) out.push(`period ${a.firstTime} – ${a.lastTime}`);
  const counts = severityCounts(result);
  if (result.findings.length === 0) out.push('', 'no findings');
  else {
    out.push('', `${result.findings.length} finding(s): ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}`, '');
    out.push(
      table(
        ['SEVERITY', 'RULE', 'TIME', 'IDENTITY', 'SOURCE IP', 'COUNT', 'MESSAGE'],
        result.findings.map((f) => [
          sev(f.severity),
          f.rule,
          f.time.replace(/\.\d+Z$/, 'Z'),
          identityLabel(f),
          f.sourceIp ?? '-',
          String(f.count),
          f.message,
        ]),
      ),
    );
  }
  if (result.malformed > 0) {
    const shown = result.malformedLines.slice(0, options.malformedShown ?? 10);
    out.push(
      '',
      `${fmt(result.malformed)} malformed line(s) skipped${result.malformed > shown.length ? ` (first ${shown.length})` : ''}:`,
    );
    for (const m of shown) out.push(`  ${m.file}:${m.line}: ${m.reason}`);
  }
  if (result.inputErrors.length > 0) {
    out.push('', `${result.inputErrors.length} input(s) damaged (analysed up to the damage):`);
    for (const e of result.inputErrors) out.push(`  ${e.file}: ${e.reason}`);
  }
  return `${out.join('\n')}\n`;
}
