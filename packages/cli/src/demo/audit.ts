import { join } from 'node:path';
import type { DemoContext, DemoStep } from './step.js';

/**
 * `svm demo` step: analyze `<examplesDir>/vault-audit.log` and say what it found: events, sources, findings by
 * rule with the most severe first. Identities and paths only; the log's HMAC'd values are never shown.
 */
export async function runAuditDemo(d: DemoContext): Promise<DemoStep> {
  const name = 'audit analyze';
  const { analyzeFiles } = await import('@svm/audit');
  const { SEVERITIES } = await import('@svm/core');
  const { result } = await analyzeFiles([join(d.examplesDir, 'vault-audit.log')], { workers: 0 });
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
  return { name, status: 'ok', lines };
}
