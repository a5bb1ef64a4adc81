import { SvmError, parseDurationMs } from '@svm/core';

/**
 * Parse a `--since`/`--until` value: an ISO date or instant (`2026-03-20`, `2026-03-20T06:00:00Z`), a UTC date
 * and time (`2026-03-20 06:00`), or a duration before `now` (`24h`, `7d`, `1h30m`). `USAGE` naming the flag
 * otherwise.
 *
 * @example
 * ```ts
 * parseTimeBound('24h', Date.parse('2026-03-21T00:00:00Z'), '--since'); // Date.parse('2026-03-20T00:00:00Z')
 * ```
 */
export function parseTimeBound(value: string, now: number, flag: string): number {
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    // A date is 00:00 UTC; a date and time without a zone (`2026-03-20 06:00`) is UTC, never the machine's zone.
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(text)
      ? `${text}T00:00:00Z`
      : /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)
        ? `${text.replace(' ', 'T')}Z`
        : text;
    const ms = /^\d{4}-\d{2}-\d{2}(T.+(Z|[+-]\d{2}:?\d{2}))?$/i.test(iso) ? Date.parse(iso) : Number.NaN;
    if (Number.isFinite(ms)) return ms;
  } else if (/^[\d.]+[a-zµ]+/.test(text)) {
    try {
      return now - parseDurationMs(text);
    } catch {
      // reported below
    }
  }
  throw new SvmError(
    'USAGE',
    `${flag}: expected an ISO date or instant (2026-03-20, 2026-03-20T06:00:00Z) or a duration before now (24h, 7d), got '${value}'`,
  );
}
