import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, formatIsoDay, parseIsoDay, weekday } from './days.js';

describe('epoch days', () => {
  it('matches Date.UTC for every day in years 1..9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719162, max: 2932896 }), (days) => {
        const date = new Date(days * 86_400_000);
        const civil = civilFromDays(days);
        expect(civil).toEqual({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
        expect(daysFromCivil(civil.year, civil.month, civil.day)).toBe(days);
        expect(weekday(days)).toBe(date.getUTCDay());
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips YYYY-MM-DD', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2932896 }), (days) => {
        expect(parseIsoDay(formatIsoDay(days))).toBe(days);
      }),
    );
  });

  it('handles month ends and leap years', () => {
    const next = (d: string) => formatIsoDay((parseIsoDay(d) as number) + 1);
    expect(next('2024-02-28')).toBe('2024-02-29');
    expect(next('2024-02-29')).toBe('2024-03-01');
    expect(next('2026-02-28')).toBe('2026-03-01');
    expect(next('2100-02-28')).toBe('2100-03-01');
    expect(next('2000-02-28')).toBe('2000-02-29');
    expect(next('2026-12-31')).toBe('2027-01-01');
    expect(formatIsoDay((parseIsoDay('2026-01-31') as number) + 30)).toBe('2026-03-02');
  });

  it('rejects dates that do not exist', () => {
    for (const bad of ['2026-02-29', '2026-13-01', '2026-04-31', '2026-1-01', '20260101', '2026-00-10'])
      expect(parseIsoDay(bad)).toBeUndefined();
    expect(parseIsoDay('2028-02-29')).toBeDefined();
  });
});
