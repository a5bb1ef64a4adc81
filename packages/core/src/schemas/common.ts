import { z } from 'zod';

/** Severity, lowest to highest. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

/**
 * Finding severity shared by the linter and the audit analyzer.
 *
 * @example
 * ```ts
 * Severity.parse('high'); // 'high'
 * ```
 */
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/**
 * Order two severities: negative when `a` is lower than `b`.
 *
 * @example
 * ```ts
 * compareSeverity('low', 'high') < 0; // true
 * ```
 */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/**
 * True when `severity` is at or above `threshold` (for `--fail-on`).
 *
 * @example
 * ```ts
 * severityAtLeast('critical', 'high'); // true
 * ```
 */
export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return compareSeverity(severity, threshold) >= 0;
}

function isValidCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][
    mo - 1
  ] as number;
  return d <= days;
}

/**
 * A calendar date `YYYY-MM-DD` that exists (no month 13, no 30 February).
 *
 * @example
 * ```ts
 * IsoDate.safeParse('2026-13-01').success; // false
 * ```
 */
export const IsoDate = z.string().refine(isValidCalendarDate, { message: 'expected YYYY-MM-DD' });
export type IsoDate = z.infer<typeof IsoDate>;

/**
 * An instant: ISO 8601 date-time with a zone (`Z` or an offset).
 *
 * @example
 * ```ts
 * IsoDateTime.parse('2026-03-20T14:32:00Z');
 * ```
 */
export const IsoDateTime = z.iso.datetime({
  offset: true,
  message: 'expected an ISO 8601 date-time such as 2026-03-20T14:32:00Z',
});
export type IsoDateTime = z.infer<typeof IsoDateTime>;

/**
 * A duration as Vault writes them: seconds as a number, or a string such as `90s`, `1h30m`, `30d`.
 *
 * @example
 * ```ts
 * DurationInput.parse('1h');
 * ```
 */
export const DurationInput = z.union([
  z.number().nonnegative(),
  z.string().regex(/^(\d+|((\d+(\.\d+)?)(ns|us|µs|ms|s|m|h|d))+)$/, {
    message: 'expected a duration such as 90s, 10m, 1h30m or 30d',
  }),
]);
export type DurationInput = z.infer<typeof DurationInput>;
