import { SvmError, type Clock } from '@svm/core';
import { Temporal } from 'temporal-polyfill';
import { type EpochDay, parseIsoDay } from '../internal/days.js';

/**
 * Check an IANA time zone name (`UTC`, `Europe/Berlin`) and return its canonical spelling.
 * Throws `USAGE` for an unknown zone.
 *
 * @example
 * ```ts
 * resolveTimeZone('europe/berlin'); // 'Europe/Berlin'
 * ```
 */
export function resolveTimeZone(timeZone: string): string {
  try {
    return Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone).timeZoneId;
  } catch (cause) {
    throw new SvmError(
      'USAGE',
      `unknown time zone '${timeZone}' (expected an IANA name such as UTC or Europe/Berlin)`,
      { cause },
    );
  }
}

/**
 * Today's calendar date in a time zone, from an injected clock. The machine's own zone plays no part.
 *
 * @example
 * ```ts
 * todayIn(fixedClock('2026-03-01T23:30:00Z'), 'Pacific/Kiritimati'); // '2026-03-02'
 * ```
 */
export function todayIn(clock: Clock, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(clock.now().getTime())
    .toZonedDateTimeISO(timeZone)
    .toPlainDate()
    .toString();
}

/**
 * The epoch day of an inventory date: `YYYY-MM-DD` as written, or an ISO date-time with a zone converted
 * to its calendar date in `timeZone`.
 *
 * @example
 * ```ts
 * dayOf('2026-01-15T23:30:00-08:00', 'UTC'); // the epoch day of 2026-01-16
 * ```
 */
export function dayOf(text: string, timeZone: string): EpochDay | undefined {
  if (text.length === 10) return parseIsoDay(text);
  try {
    const date = Temporal.Instant.from(text).toZonedDateTimeISO(timeZone).toPlainDate();
    return parseIsoDay(date.toString());
  } catch {
    return undefined;
  }
}
