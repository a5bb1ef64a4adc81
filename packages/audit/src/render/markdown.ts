import type { AnalysisResult } from '../analyzer.js';
import { fmt, identityLabel, ruleCounts, severityCounts, sourcesLine } from './summary.js';

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
  if (a.firstTime && a.lastTime) lines.push(`- **Period:** ${a.firstTime} – ${a.lastTime}`);
  lines.push(
    `- **Findings:** ${result.findings.length}${
      result.findings.length
        ? ` (${severityCounts(result)
            .map(([s, n]) => `${n} ${s}`)
            .join(', ')})`
        : ''
    }`,
    '',
  );
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
    for (const f of result.findings)
      lines.push(
        `| ${f.severity} | \`${f.rule}\` | ${f.time} | ${cell(identityLabel(f))} | ${cell(f.sourceIp)} | ${cell(f.path)} | ${f.count} | ${cell(f.message)} |`,
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
