import { SvmError } from './errors.js';

/**
 * The longest interval (and renew-before window) an inventory or rotation policy may set: 100 years, in days.
 * Longer values are input errors, so due dates stay within the calendar every output format can write.
 *
 * @example
 * ```ts
 * MAX_INTERVAL_DAYS; // 36500
 * ```
 */
export const MAX_INTERVAL_DAYS = 36_500;

// Hand-written on purpose: `ms` rejects compound values ("1h30m") and `parse-duration` accepts loose prose
// ("1 hour and 2 min") and units Vault does not know. This is the grammar Vault/OpenBao accept
// (parseutil.ParseDurationSecond): a bare integer of seconds, or Go duration units plus `d` for days.
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const COMPONENT = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/gy;

/**
 * Parse a duration the way Vault does (`"90"`, `"90s"`, `"1h30m"`, `"30d"`) into milliseconds.
 * Throws `INPUT_INVALID` for anything else (negative, empty, unknown unit).
 *
 * @example
 * ```ts
 * parseDurationMs('1h30m'); // 5_400_000
 * parseDurationMs(60);      // 60_000 (numbers are seconds)
 * ```
 */
export function parseDurationMs(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw invalid(String(input));
    return input * 1000;
  }
  const text = input.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (text === '' || text === '0') {
    if (text === '0') return 0;
    throw invalid(input);
  }
  COMPONENT.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = COMPONENT.exec(text); match; match = COMPONENT.exec(text)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    consumed = COMPONENT.lastIndex;
  }
  if (consumed !== text.length || consumed === 0) throw invalid(input);
  return total;
}

/**
 * Parse a duration into whole seconds (Vault's TTL fields are seconds), rounding down.
 *
 * @example
 * ```ts
 * parseDurationSeconds('10m'); // 600
 * ```
 */
export function parseDurationSeconds(input: string | number): number {
  return Math.floor(parseDurationMs(input) / 1000);
}

/**
 * Parse a duration that must be a whole number of days (`"30d"`, `"720h"`, `"14"` meaning days).
 * A bare number here means days, not seconds, because every day-granular flag in svm reads that way.
 *
 * @example
 * ```ts
 * parseDays('90d'); // 90
 * parseDays('14');  // 14
 * ```
 */
export function parseDays(input: string | number): number {
  if (typeof input === 'number' || /^\s*\d+\s*$/.test(input)) {
    const n = Number(input);
    if (!Number.isInteger(n) || n < 0) throw invalid(String(input), 'a whole number of days');
    return n;
  }
  const ms = parseDurationMs(input);
  const days = ms / 86_400_000;
  if (!Number.isInteger(days)) throw invalid(input, 'a whole number of days, e.g. 30d');
  return days;
}

/**
 * Format seconds as the shortest exact Go-style duration (`3600` → `"1h"`, `5400` → `"1h30m"`).
 *
 * @example
 * ```ts
 * formatDurationSeconds(5400); // '1h30m'
 * ```
 */
export function formatDurationSeconds(seconds: number): string {
  if (seconds === 0) return '0s';
  let rest = Math.floor(seconds);
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

function invalid(input: string, expected = 'a duration such as 90s, 10m, 1h30m or 30d'): SvmError {
  return new SvmError('INPUT_INVALID', `expected ${expected}, got '${input}'`);
}
