import { type ErrorCode, SvmError, isSvmError } from '@svm/core';

/** Retry and timeout settings for calls to a remote store. */
export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  retries?: number | undefined;
  /** First backoff ceiling in ms (default 100). */
  baseDelayMs?: number | undefined;
  /** Largest backoff ceiling in ms (default 5000). */
  maxDelayMs?: number | undefined;
  /** Per-attempt timeout in ms (default 15000; 0 = none). */
  timeoutMs?: number | undefined;
  /** Codes worth retrying (default THROTTLED, UNAVAILABLE, TIMEOUT). */
  retryOn?: readonly ErrorCode[] | undefined;
  /** Random source in [0, 1) (tests pass a fixed one). */
  random?: (() => number) | undefined;
  /** Sleep (tests pass one that records delays). */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/** The defaults used by {@link withRetry} and by every remote adapter. */
export const DEFAULT_RETRY = {
  retries: 4,
  baseDelayMs: 100,
  maxDelayMs: 5000,
  timeoutMs: 15_000,
  retryOn: ['THROTTLED', 'UNAVAILABLE', 'TIMEOUT'] as readonly ErrorCode[],
} as const;

/**
 * The backoff before retry number `attempt` (0-based): "full jitter", a uniform draw in
 * `[0, min(maxDelayMs, baseDelayMs * 2^attempt))`.
 *
 * @example
 * ```ts
 * backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 5000, random: () => 0.5 }); // 400
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {},
): number {
  const base = options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

/**
 * Run `fn` with a per-attempt timeout, retrying on throttling, 5xx/unreachable and timeouts with
 * exponential backoff and full jitter. `fn` receives an AbortSignal that fires at the timeout; SDK calls
 * should pass it on. Errors that are not SvmErrors are passed through `classify` first.
 *
 * @example
 * ```ts
 * const value = await withRetry((signal) => client.send(new GetSecretValueCommand({ SecretId: 'x' }), { abortSignal: signal }), {
 *   retries: 3,
 * });
 * ```
 */
export async function withRetry<TResult>(
  fn: (signal: AbortSignal) => Promise<TResult>,
  options: RetryOptions = {},
  classify: (error: unknown) => unknown = (e) => e,
): Promise<TResult> {
  const retries = options.retries ?? DEFAULT_RETRY.retries;
  const retryOn = options.retryOn ?? DEFAULT_RETRY.retryOn;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await withTimeout(fn, options.timeoutMs ?? DEFAULT_RETRY.timeoutMs);
    } catch (raw) {
      const error = classify(raw);
      const retryable = isSvmError(error) && retryOn.includes(error.code);
      if (!retryable || attempt >= retries) throw error;
      await sleep(backoffDelay(attempt, options));
    }
  }
}

async function withTimeout<TResult>(
  fn: (signal: AbortSignal) => Promise<TResult>,
  timeoutMs: number,
): Promise<TResult> {
  const controller = new AbortController();
  if (!timeoutMs) return fn(controller.signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Settle as TIMEOUT first, then abort: the aborted call's own rejection must not win the race.
      reject(new SvmError('TIMEOUT', `no answer within ${timeoutMs} ms`));
      controller.abort();
    }, timeoutMs);
    timer.unref?.();
  });
  try {
    return await Promise.race([fn(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
