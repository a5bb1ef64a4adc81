import { SEVERITIES } from '@svm/core';
import type { AnalysisResult } from '../analyzer.js';

/**
 * An analysis in a few lines: lines and events per source, findings per rule, the three most severe findings,
 * and how many machine identities worked around the clock (`svm demo`). Identities and paths only; never a value.
 *
 * @example
 * ```ts
 * renderAnalysisBrief(result);
 * // ['120 lines → 118 events (vault 118), 2 malformed', '5 findings: off-hours 2, …', '  high root-token: …', …]
 * ```
 */
export function renderAnalysisBrief(result: AnalysisResult): string[] {
  const sources = Object.entries(result.sources)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  const byRule = new Map<string, number>();
  for (const f of result.findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  const rank = (s: string) => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
  const top = [...result.findings]
    .sort((a, b) => rank(b.severity) - rank(a.severity) || a.time.localeCompare(b.time))
    .slice(0, 3);
  const lines = [
    `${result.lines} lines → ${result.events} events (${sources}), ${result.malformed} malformed`,
    `${result.findings.length} findings: ${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ')}`,
    ...top.map(
      (f) => `  ${f.severity} ${f.rule}: ${f.identity ?? '-'}${f.sourceIp ? ` from ${f.sourceIp}` : ''}: ${f.message}`,
    ),
  ];
  const machines = new Set(result.aggregates.identities.filter((i) => i.kind === 'machine').map((i) => i.identity));
  const flagged = result.findings.filter(
    (f) => f.rule === 'off-hours' && f.identity !== null && machines.has(f.identity),
  ).length;
  lines.push(
    `${machines.size} machine identities worked around the clock; ${flagged === 0 ? 'none' : flagged} flagged off-hours`,
  );
  return lines;
}
