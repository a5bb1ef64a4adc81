import type { AnalysisResult } from '../analyzer.js';
import type { AuditFinding } from '../detectors/types.js';
import { humanTime } from '../internal/time.js';
import { fmt, identityLabel, ruleCounts, severityCounts, sourcesLine } from './summary.js';

function row(f: AuditFinding, message: string): string {
  const when =
    f.lastTime && f.lastTime !== f.time ? `${humanTime(f.time)} – ${humanTime(f.lastTime)}` : humanTime(f.time);
  return `| ${f.severity} | \`${f.rule}\` | ${when} | ${cell(identityLabel(f))} | ${cell(f.sourceIp)} | ${cell(f.path)} | ${f.count} | ${cell(message)} |`;
}

function cell(s: string | null | number): string {
  return String(s ?? '–')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
}

/**
 * A Markdown report (for tickets and pull requests): summary, findings by rule, the findings table, top
 * identities and paths.
 *
 * @example
 * ```ts
 * writeFileSync('audit.md', renderMarkdown(result));
 * ```
 */
export function renderMarkdown(result: AnalysisResult): string {
  const a = result.aggregates;
  const lines: string[] = ['# Audit log analysis', ''];
  lines.push(
    `- **Lines:** ${fmt(result.lines)} · **events:** ${fmt(result.events)} · **malformed:** ${fmt(result.malformed)}`,
  );
  lines.push(`- **Sources:** ${sourcesLine(result)}`);
  if (a.firstTime && a.lastTime) lines.push(`- **Period:** ${humanTime(a.firstTime)} – ${humanTime(a.lastTime)}`);
  const w = result.window;
  if (w)
    lines.push(
      `- **Window:** ${w.since ? humanTime(w.since) : '…'} – ${w.until ? humanTime(w.until) : '…'} (${fmt(w.warmup)} earlier events only taught the baseline, ${fmt(w.alreadyLearned)} were already in it, ${fmt(w.after)} later events skipped)`,
    );
  const g = result.grouping;
  lines.push(
    `- **Findings:** ${result.findings.length}${
      result.findings.length
        ? ` (${severityCounts(result)
            .map(([s, n]) => `${n} ${s}`)
            .join(', ')})`
        : ''
    }${g && g.before !== g.after ? `, grouped from ${fmt(g.before)}` : ''}`,
  );
  if (result.suppressions)
    lines.push(
      `- **Suppressed:** ${result.suppressed.length}${result.suppressions.file ? ` (${cell(result.suppressions.file)})` : ''}${
        result.suppressions.expired.length ? ` · **${result.suppressions.expired.length} expired suppression(s)**` : ''
      }`,
    );
  lines.push('');
  if (result.findings.length) {
    lines.push('## Findings by rule', '', '| Rule | Findings |', '|---|---:|');
    for (const [r, n] of ruleCounts(result)) lines.push(`| \`${r}\` | ${n} |`);
    lines.push(
      '',
      '## Findings',
      '',
      '| Severity | Rule | Time | Identity | Source IP | Path | Count | Message |',
      '|---|---|---|---|---|---|---:|---|',
    );
    for (const f of result.findings) lines.push(row(f, f.message));
    lines.push('');
  }
  if (result.suppressed.length) {
    lines.push(
      '## Suppressed',
      '',
      '| Severity | Rule | Time | Identity | Source IP | Path | Count | Suppressed by — message |',
      '|---|---|---|---|---|---|---:|---|',
    );
    for (const f of result.suppressed)
      lines.push(
        row(f, `${f.suppressedBy.id ?? `#${f.suppressedBy.index + 1}`}: ${f.suppressedBy.reason} — ${f.message}`),
      );
    lines.push('');
  }
  if (result.suppressions?.expired.length) {
    lines.push('## Expired suppressions', '', 'No longer applied; the findings they matched are reported above.', '');
    for (const s of result.suppressions.expired)
      lines.push(
        `- ${cell(s.id ?? `#${s.index + 1}`)}: expires ${s.expires} — ${cell(s.reason)} (matched ${s.matched} finding(s))`,
      );
    lines.push('');
  }
  lines.push(
    '## Top identities',
    '',
    '| Identity | Kind | Auth method | Events | Reads | Denied |',
    '|---|---|---|---:|---:|---:|',
  );
  for (const i of a.identities.slice(0, 10))
    lines.push(`| ${cell(i.identity)} | ${i.kind} | ${cell(i.authMethod)} | ${i.events} | ${i.reads} | ${i.denied} |`);
  lines.push('', '## Top paths', '', '| Path | Events |', '|---|---:|');
  for (const p of a.topPaths.slice(0, 10)) lines.push(`| ${cell(p.path)} | ${p.count} |`);
  if (result.malformed) {
    lines.push('', '## Malformed lines', '');
    for (const m of result.malformedLines.slice(0, 20)) lines.push(`- \`${m.file}:${m.line}\`: ${m.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
