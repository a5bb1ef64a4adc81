import { describe, expect, it } from 'vitest';
import { dayFlag, fixedClock } from './clock.js';

describe('dayFlag', () => {
  it('passes a YYYY-MM-DD day (and no value) through, and names the flag otherwise', () => {
    expect(dayFlag('2026-03-01', '--now')).toBe('2026-03-01');
    expect(dayFlag(undefined, '--now')).toBeUndefined();
    expect(() => dayFlag('2026-3-1', '--now')).toThrow("--now: expected YYYY-MM-DD, got '2026-3-1'");
    expect(() => dayFlag('2026-03-01T00:00:00Z', '--day')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('fixedClock', () => {
  it('always answers the same instant', () => {
    expect(fixedClock('2026-03-01T00:00:00Z').now().toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });
});
