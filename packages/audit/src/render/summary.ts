import { SEVERITIES, type Severity, visibleWidth } from '@svm/core';
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

/** Columns padded to the widest cell (colour codes do not count), two spaces apart. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => visibleWidth(r[i] ?? ''))));
  return all
    .map((row) =>
      row
        .map((c, i) => (i === row.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - visibleWidth(c))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const ANSI_AT = /\u001b\[[0-9;]*m/y;

/** Cut a string to `width` visible code points (colour codes kept and closed), ending in `…` when cut. */
export function truncateVisible(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let seen = 0;
  let coloured = false;
  for (let i = 0; i < text.length; ) {
    ANSI_AT.lastIndex = i;
    const m = ANSI_AT.exec(text);
    if (m) {
      out += m[0];
      coloured = true;
      i += m[0].length;
      continue;
    }
    const cp = text.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    if (seen === width - 1) {
      out += '…';
      break;
    }
    out += ch;
    seen++;
    i += ch.length;
  }
  return coloured ? `${out}\u001b[0m` : out;
}

/**
 * A table that fits `width` columns without wrapping a row: the last column (the message) takes the room left
 * and is cut with `…`; while it would get fewer than `messageMin` columns, the `drop` columns are left out,
 * then the `shrink` columns are cut down to `minWidth`; a row still too long (a very narrow terminal) is cut at
 * `width`.
 */
export function fitTable(
  header: string[],
  rows: string[][],
  width: number,
  opts: { shrink?: number[]; drop?: number[]; minWidth?: number; messageMin?: number } = {},
): string {
  if (!Number.isFinite(width)) return table(header, rows);
  const last = header.length - 1;
  const natural = (i: number) => Math.max(...[header, ...rows].map((r) => visibleWidth(r[i] ?? '')));
  let cols = header.map((_, i) => i).slice(0, last);
  const widths = new Map(cols.map((i) => [i, natural(i)]));
  const room = () => width - cols.reduce((s, i) => s + (widths.get(i) as number) + 2, 0);
  const want = Math.min(natural(last), opts.messageMin ?? 30);
  for (const i of opts.drop ?? []) if (room() < want) cols = cols.filter((c) => c !== i);
  for (const i of opts.shrink ?? [])
    if (room() < want) widths.set(i, Math.max(opts.minWidth ?? 12, (widths.get(i) as number) - (want - room())));
  widths.set(last, Math.max(8, room()));
  cols.push(last);
  const pick = (r: string[]) => cols.map((i) => truncateVisible(r[i] ?? '', widths.get(i) as number));
  return table(pick(header), rows.map(pick))
    .split('\n')
    .map((l) => truncateVisible(l, width))
    .join('\n');
}
