import { describe, expect, it } from 'vitest';
import { planRotations } from './plan.js';
import { planForOwner, planSettings, planTableStyle } from './settings.js';

describe('planSettings', () => {
  it('turns the typed settings into plan options', () => {
    expect(planSettings({ now: '2026-03-01', maxInterval: '30d', within: '7', capacity: '3' })).toEqual({
      now: '2026-03-01',
      maxIntervalDays: 30,
      withinDays: 7,
      capacity: 3,
    });
    expect(planSettings({})).toEqual({
      now: undefined,
      maxIntervalDays: undefined,
      withinDays: undefined,
      capacity: undefined,
    });
  });

  it('refuses bad values, naming the flag', () => {
    expect(() => planSettings({ now: '1 March' })).toThrow("--now: expected YYYY-MM-DD, got '1 March'");
    expect(() => planSettings({ maxInterval: 'often' })).toThrow(
      "--max-interval: expected a whole number of days such as 30d, got 'often'",
    );
    expect(() => planSettings({ within: '99999d' })).toThrow(/^--within: expected at most \d+ days \(100 years\)/);
    expect(() => planSettings({ capacity: '0' })).toThrow("--capacity: expected a whole number of at least 1, got '0'");
    expect(() => planSettings({ maxInterval: '0d' })).toThrow('--max-interval: expected at least 1 day');
  });
});

describe('planForOwner and planTableStyle', () => {
  const plan = planRotations(
    [
      { id: 'a', type: 'api-key', owner: 'alice', last_rotated: '2020-01-01' },
      { id: 'b', type: 'api-key', team: 'platform', last_rotated: '2026-02-27' },
    ],
    { now: '2026-03-01' },
  );

  it('keeps the items of one owner or team, with their own summary', () => {
    const mine = planForOwner(plan, 'platform');
    expect(mine.items.map((i) => i.id)).toEqual(['b']);
    expect(mine.summary.total).toBe(1);
    expect(planForOwner(plan, 'alice').summary.overdue).toBe(1);
  });

  it('colours statuses and headings', () => {
    const style = planTableStyle({ red: (s) => `<r>${s}</r>`, bold: (s) => `<b>${s}</b>` });
    expect(style.status?.('overdue', 'x')).toBe('<r>x</r>');
    expect(style.status?.('ok', 'x')).toBe('x');
    expect(style.heading?.('h')).toBe('<b>h</b>');
  });
});
