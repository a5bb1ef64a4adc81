import { fixedClock } from '@svm/core';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { resolveTimeZone, todayIn } from './zone.js';

describe('UTC without the polyfill', () => {
  it("resolveTimeZone('UTC') is the polyfill's canonical id; other spellings still go through it", () => {
    expect(resolveTimeZone('UTC')).toBe(Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO('UTC').timeZoneId);
    expect(resolveTimeZone('utc')).toBe('UTC');
    expect(() => resolveTimeZone('Mars/Olympus')).toThrow(/unknown time zone/);
  });

  it("todayIn(clock, 'UTC') is the polyfill's date for every instant, years 0000-9999 and beyond", () => {
    const viaTemporal = (ms: number) =>
      Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO('UTC').toPlainDate().toString();
    const edges = [
      Date.parse('0000-01-01T00:00:00Z'),
      Date.parse('0000-01-01T00:00:00Z') - 1,
      Date.parse('+010000-01-01T00:00:00Z'),
      Date.parse('+010000-01-01T00:00:00Z') - 1,
      0,
      -1,
    ];
    for (const ms of edges) expect(todayIn(fixedClock(ms), 'UTC'), String(ms)).toBe(viaTemporal(ms));
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(todayIn(fixedClock(ms), 'UTC')).toBe(viaTemporal(ms));
      }),
      { seed: 20261206, numRuns: 500 },
    );
  });
});
