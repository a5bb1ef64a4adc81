import { SEVERITIES, type Severity } from '@svm/core';
import type { AnalysisResult } from '../analyzer.js';

/** Findings per severity, highest first, zero counts left out. */
export function severityCounts(result: AnalysisResult): Array<[Severity, number]> {
  const counts = new Map<Severity, number>();
  for (const f of result.findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return [...SEVERITIES]
    .reverse()
    .filter((s) => counts.has(s))
    .map((s) => [s, counts.get(s) as number]);
}

/** Findings per rule, most first. */
export function ruleCounts(result: AnalysisResult): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const f of result.findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** `vault 4,722 · cloudtrail 12` */
export function sourcesLine(result: AnalysisResult): string {
  const parts = Object.entries(result.sources).map(([k, v]) => `${k} ${fmt(v ?? 0)}`);
  return parts.length ? parts.join(' · ') : 'none';
}

/**
 * A finding's identity for people: the name, and for a name several tokens share (`root`, `token`) the start of
 * the token's accessor (HMAC'd, as logged) so two tokens read apart: `token (accessor hmac-sha256:5e0f1c2a…)`.
 */
export function identityLabel(f: { identity: string | null; accessor?: string | undefined }): string {
  const id = f.identity ?? '-';
  if (!f.accessor) return id;
  const a = f.accessor.startsWith('hmac-sha256:') ? f.accessor.slice(0, 20) : f.accessor.slice(0, 8);
  return `${id} (accessor ${a}…)`;
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

/** Columns padded to the widest cell, two spaces apart. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  return all
    .map((row) =>
      row
        .map((c, i) => (i === row.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - [...c].length)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
