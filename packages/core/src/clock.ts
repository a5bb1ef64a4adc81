import { SvmError } from './errors.js';

/**
 * Time comes from a clock that callers inject, so engines are deterministic in tests and embeddable.
 *
 * @example
 * ```ts
 * const clock = fixedClock('2026-03-01T00:00:00Z');
 * clock.now().toISOString(); // '2026-03-01T00:00:00.000Z'
 * ```
 */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock stopped at one instant.
 *
 * @example
 * ```ts
 * fixedClock(new Date(0)).now().getTime(); // 0
 * ```
 */
export function fixedClock(at: Date | string | number): Clock {
  const ms = new Date(at).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`fixedClock: not a date: ${String(at)}`);
  return { now: () => new Date(ms) };
}

/**
 * A day a user typed for a flag such as `--now`: returned as is when it reads YYYY-MM-DD (`undefined` stays
 * `undefined`), else a `USAGE` error naming the flag.
 *
 * @example
 * ```ts
 * dayFlag('2026-03-01', '--now'); // '2026-03-01'
 * dayFlag('1 March', '--now'); // throws "--now: expected YYYY-MM-DD, got '1 March'"
 * ```
 */
export function dayFlag(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw new SvmError('USAGE', `${flag}: expected YYYY-MM-DD, got '${value}'`);
  return value;
}
