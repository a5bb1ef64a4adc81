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
