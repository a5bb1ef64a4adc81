import { type Clock, SvmError } from '@svm/core/base';
import { type EpochDay, parseIsoDay } from '../internal/days.js';
import { temporalLib } from '../internal/lazy.js';

// Epoch milliseconds of 0000-01-01 and 10000-01-01 (UTC): where `toISOString` writes a four-digit year.
const YEAR_0 = Date.parse('0000-01-01T00:00:00Z');
const YEAR_10000 = Date.parse('+010000-01-01T00:00:00Z');

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
  // The default needs no time zone database (nor loading the Temporal polyfill): 'UTC' is canonical as written.
  if (timeZone === 'UTC') return timeZone;
  try {
    return temporalLib().Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone).timeZoneId;
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
  const now = clock.now().getTime();
  // In UTC, the date part of the ISO string (years 0000-9999; the polyfill for anything else).
  if (timeZone === 'UTC' && now >= YEAR_0 && now < YEAR_10000) return new Date(now).toISOString().slice(0, 10);
  return temporalLib().Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone).toPlainDate().toString();
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
    const date = temporalLib().Instant.from(text).toZonedDateTimeISO(timeZone).toPlainDate();
    return parseIsoDay(date.toString());
  } catch {
    return undefined;
  }
}
