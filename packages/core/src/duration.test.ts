import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSvmError } from './errors.js';
import { formatDurationSeconds, parseDays, parseDurationMs, parseDurationSeconds } from './duration.js';

describe('parseDurationMs', () => {
  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['30d', 2_592_000_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['0', 0],
  ])('%s → %d ms', (input, expected) => {
    expect(parseDurationMs(input)).toBe(expected);
  });

  it('treats numbers as seconds', () => {
    expect(parseDurationMs(60)).toBe(60_000);
  });

  it.each(['', 'h', '1x', '-5s', '1h 30m', '10 m', 'forever', '1h-'])('rejects %j with INPUT_INVALID', (input) => {
    try {
      parseDurationMs(input);
      expect.unreachable();
    } catch (error) {
      expect(isSvmError(error) && error.code).toBe('INPUT_INVALID');
      expect((error as Error).message).toContain(`got '${input}'`);
    }
  });

  it('round-trips whole seconds through formatDurationSeconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 365 * 86_400 }), (seconds) => {
        expect(parseDurationSeconds(formatDurationSeconds(seconds))).toBe(seconds);
      }),
    );
  });

  it('is additive over concatenated components', () => {
    const unit = fc.constantFrom('s', 'm', 'h', 'd');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), unit), { minLength: 1, maxLength: 5 }),
        (parts) => {
          const text = parts.map(([n, u]) => `${n}${u}`).join('');
          const sum = parts.reduce((acc, [n, u]) => acc + parseDurationMs(`${n}${u}`), 0);
          expect(parseDurationMs(text)).toBe(sum);
        },
      ),
    );
  });

  it('never throws anything but a typed error on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          const ms = parseDurationMs(text);
          expect(ms).toBeGreaterThanOrEqual(0);
        } catch (error) {
          expect(isSvmError(error)).toBe(true);
        }
      }),
    );
  });
});

describe('parseDays', () => {
  it('reads bare numbers as days and durations as whole days', () => {
    expect(parseDays('14')).toBe(14);
    expect(parseDays('30d')).toBe(30);
    expect(parseDays('48h')).toBe(2);
  });

  it('rejects fractions of a day', () => {
    expect(() => parseDays('36h')).toThrow(/whole number of days/);
  });
});
