// A plain, borderless aligned table in the style of `gh` and `kubectl`. Hand-written because the table
// libraries tried (cli-table3, table) draw box borders and pad ANSI codes differently per version;
// this needs only column alignment and must measure width without colour codes.

const ANSI = /\u001b\[[0-9;]*m/g;

/** Visible width of a string (ANSI colour codes excluded). */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** Render rows under a header, columns separated by two spaces, last column unpadded. */
export function renderTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => visibleWidth(r[i] ?? ''))));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleWidth(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
