// Calendar dates as "epoch days" (days since 1970-01-01), so that date arithmetic is integer arithmetic
// with no time of day and no time zone involved. The conversion is Howard Hinnant's days_from_civil /
// civil_from_days (proleptic Gregorian), which is exact for every year 0..9999. Temporal's PlainDate does
// the same job but costs ~50x more per call, which matters at 100,000 items (see bench/); zone-aware work
// (today in a zone, the calendar date of an instant) goes through Temporal in ../time/zone.ts.

/** A calendar date as days since 1970-01-01. */
export type EpochDay = number;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days from 1970-01-01 to the given proleptic Gregorian date (month 1..12). */
export function daysFromCivil(year: number, month: number, day: number): EpochDay {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar date of an epoch day. */
export function civilFromDays(days: EpochDay): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

// Inventories repeat the same few hundred dates across many items; memoising both directions avoids a
// regex match array and a string build per call (a measurable share of planning 100k items). Bounded so a
// long-running embedder cannot grow them without limit.
const MEMO_LIMIT = 50_000;
const parsed = new Map<string, EpochDay | undefined>();
const formatted = new Map<EpochDay, string>();

/** Parse `YYYY-MM-DD` (a date that exists) into an epoch day, or `undefined`. */
export function parseIsoDay(text: string): EpochDay | undefined {
  const hit = parsed.get(text);
  if (hit !== undefined || parsed.has(text)) return hit;
  const value = parseUncached(text);
  if (parsed.size >= MEMO_LIMIT) parsed.clear();
  parsed.set(text, value);
  return value;
}

function parseUncached(text: string): EpochDay | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

/** Format an epoch day as `YYYY-MM-DD`. */
export function formatIsoDay(days: EpochDay): string {
  let text = formatted.get(days);
  if (text === undefined) {
    const { year, month, day } = civilFromDays(days);
    text = `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
    if (formatted.size >= MEMO_LIMIT) formatted.clear();
    formatted.set(days, text);
  }
  return text;
}

/** Day of the week, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(days: EpochDay): number {
  return (((days + 4) % 7) + 7) % 7;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
