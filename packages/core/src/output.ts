/** What decides whether output may use colour. */
export interface ColorContext {
  /** `--no-color` given. */
  noColorFlag?: boolean | undefined;
  /** The environment (NO_COLOR, FORCE_COLOR, TERM). */
  env: Record<string, string | undefined>;
  /** Whether the stream is a terminal. */
  isTTY: boolean;
}

/**
 * Colour only on a TTY, never with `--no-color`, never when `NO_COLOR` is set to a non-empty value
 * (no-color.org), never on `TERM=dumb`; `FORCE_COLOR` (non-empty, not `0`) forces it on a non-TTY.
 *
 * @example
 * ```ts
 * shouldUseColor({ env: { NO_COLOR: '1' }, isTTY: true }); // false
 * ```
 */
export function shouldUseColor(ctx: ColorContext): boolean {
  if (ctx.noColorFlag) return false;
  if (ctx.env.NO_COLOR) return false;
  if (ctx.env.FORCE_COLOR && ctx.env.FORCE_COLOR !== '0') return true;
  if (ctx.env.TERM === 'dumb') return false;
  return ctx.isTTY;
}

/**
 * Stable JSON: object keys in insertion order, two-space indent, trailing newline. Use for every
 * document svm prints so snapshots and diffs stay byte-stable.
 *
 * @example
 * ```ts
 * toJsonDocument({ a: 1 }); // '{\n  "a": 1\n}\n'
 * ```
 */
export function toJsonDocument(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * `label` and the items, comma-separated, wrapped to `width` columns with continuation lines indented by two: how
 * a help text lists ids that come from a library (audit rules, lint rules), so the list never drifts from the code.
 *
 * @example
 * ```ts
 * renderWrappedList('Rules:', ['a', 'b', 'c'], 12); // 'Rules: a, b,\n  c'
 * ```
 */
export function renderWrappedList(label: string, items: readonly string[], width = 104): string {
  const lines: string[] = [];
  let line = label;
  items.forEach((item, i) => {
    const word = i < items.length - 1 ? `${item},` : item;
    if (line !== label && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `  ${word}`;
    } else line = `${line} ${word}`;
  });
  lines.push(line);
  return lines.join('\n');
}

// A plain, borderless aligned table in the style of `gh` and `kubectl`. Hand-written because the table
// libraries tried (cli-table3, table) draw box borders and pad ANSI codes differently per version;
// this needs only column alignment and must measure width without colour codes.
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Visible width of a string: code points, ANSI colour codes excluded.
 *
 * @example
 * ```ts
 * visibleWidth('\u001b[31mred\u001b[39m'); // 3
 * ```
 */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/**
 * Render rows under a header, columns two spaces apart, padded to the widest cell (colour codes do not
 * count), the last column unpadded. Shared by the CLI and the text renderers of the engines.
 *
 * @example
 * ```ts
 * renderTable(['NAME', 'STATUS'], [['db', 'ok'], ['api-key', 'overdue']]);
 * // 'NAME     STATUS\ndb       ok\napi-key  overdue'
 * ```
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
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

/** A colour function: wraps text in terminal escape codes, or returns it as it is. */
export type Paint = (text: string) => string;

/**
 * The colours a text renderer may use. Every renderer of the engines takes one; a missing colour prints plain, so
 * `{}` is plain text. picocolors' `createColors()` (and chalk) fit as they are.
 */
export interface TextStyle {
  bold?: Paint | undefined;
  dim?: Paint | undefined;
  red?: Paint | undefined;
  green?: Paint | undefined;
  yellow?: Paint | undefined;
  cyan?: Paint | undefined;
  magenta?: Paint | undefined;
}

const plain: Paint = (text) => text;

/**
 * Every colour of a {@link TextStyle}, the missing ones plain: what a renderer calls first.
 *
 * @example
 * ```ts
 * const { red, bold } = fullStyle({ red: (s) => `\u001b[31m${s}\u001b[39m` });
 * red('DENIED'); // coloured
 * bold('name'); // 'name'
 * ```
 */
export function fullStyle(style: TextStyle = {}): Required<{ [K in keyof TextStyle]: Paint }> {
  return {
    bold: style.bold ?? plain,
    dim: style.dim ?? plain,
    red: style.red ?? plain,
    green: style.green ?? plain,
    yellow: style.yellow ?? plain,
    cyan: style.cyan ?? plain,
    magenta: style.magenta ?? plain,
  };
}
