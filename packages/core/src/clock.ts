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
