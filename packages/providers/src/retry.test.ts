import { SvmError } from '@svm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, withRetry } from './retry.ts';

describe('backoffDelay (full jitter)', () => {
  it('stays within [0, min(max, base * 2^attempt))', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 40 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, base, max, r) => {
          const d = backoffDelay(attempt, { baseDelayMs: base, maxDelayMs: max, random: () => r });
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(Math.max(1, Math.min(max, base * 2 ** attempt)));
        },
      ),
    );
  });
});

describe('withRetry', () => {
  const fast = { sleep: async () => undefined, random: () => 0.5 };

  it('retries throttling and unavailability, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls === 1) throw new SvmError('THROTTLED', 'slow down');
        if (calls === 2) throw new SvmError('UNAVAILABLE', '503');
        return 'ok';
      },
      { ...fast, baseDelayMs: 100, sleep: async (ms) => void delays.push(ms) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([50, 100]); // 0.5 * 100, 0.5 * 200
  });

  it('does not retry errors the caller must handle (not found, access denied)', async () => {
    for (const code of ['SECRET_NOT_FOUND', 'ACCESS_DENIED', 'CONFLICT'] as const) {
      let calls = 0;
      await expect(
        withRetry(async () => {
          calls++;
          throw new SvmError(code, 'x');
        }, fast),
      ).rejects.toMatchObject({ code });
      expect(calls).toBe(1);
    }
  });

  it('gives up after the configured retries with the last error', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new SvmError('UNAVAILABLE', `attempt ${calls}`);
        },
        { ...fast, retries: 3 },
      ),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'attempt 4' });
    expect(calls).toBe(4);
  });

  it('turns a hung attempt into TIMEOUT and aborts its signal', async () => {
    let aborted = false;
    await expect(
      withRetry(
        (signal) =>
          new Promise((_, reject) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('aborted'));
            });
          }),
        { ...fast, retries: 0, timeoutMs: 20 },
      ),
    ).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(aborted).toBe(true);
  });

  it('classifies raw errors before deciding', async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        if (++calls < 2) throw Object.assign(new Error('socket'), { code: 'ECONNRESET' });
        return calls;
      },
      fast,
      (e) => ((e as { code?: string }).code === 'ECONNRESET' ? new SvmError('UNAVAILABLE', 'reset') : e),
    );
    expect(result).toBe(2);
  });
});
