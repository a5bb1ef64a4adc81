import { SvmError, isSvmError } from '@svm/core';
import { type RetryOptions, withRetry } from '../retry.js';
import { type ErrorFacts, wrapSdkError } from './errors.js';

/** Runs one adapter operation with retries/timeouts and maps SDK errors to sanitized SvmErrors. */
export function remoteCaller(label: string, retry: RetryOptions | undefined, facts: (error: unknown) => ErrorFacts) {
  return <TResult>(
    operation: string,
    name: string | undefined,
    fn: (signal: AbortSignal) => Promise<TResult>,
  ): Promise<TResult> =>
    withRetry(fn, retry, (error) => {
      if (isSvmError(error)) return error;
      // Programming errors are bugs, not store failures: let them surface as such (never retried).
      if (
        (error instanceof TypeError || error instanceof ReferenceError) &&
        !(error as { cause?: { code?: string } }).cause?.code
      )
        return error;
      return wrapSdkError(label, operation, name, error, facts(error));
    });
}

/** A missing optional peer dependency, said plainly. */
export function missingSdk(pkg: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return error;
  return new SvmError('UNSUPPORTED', `this store needs the optional package '${pkg}': npm install ${pkg}`, {
    cause: { code: (error as NodeJS.ErrnoException)?.code },
  });
}
