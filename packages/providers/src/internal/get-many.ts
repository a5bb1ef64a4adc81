import { isSvmError } from '@svm/core';
import type { GetManyResult, SecretValue } from '../store.js';
import { mapLimit } from './pool.js';

/** Errors that belong to one name; any other error (network, credentials, a bug) fails the whole call. */
const PER_NAME = new Set(['SECRET_NOT_FOUND', 'SECRET_NAME_INVALID', 'ACCESS_DENIED']);

/**
 * `SecretStore.getMany` for adapters without a batch API: one `get` per name, at most `concurrency` in
 * flight, results in input order; a missing, invalid or forbidden name is that name's error only.
 */
export function getManyByGet(
  get: (name: string) => Promise<SecretValue>,
  names: readonly string[],
  concurrency = 8,
): Promise<GetManyResult[]> {
  return mapLimit(names, concurrency, async (name): Promise<GetManyResult> => {
    try {
      return { name, ok: true, secret: await get(name) };
    } catch (error) {
      if (isSvmError(error) && PER_NAME.has(error.code)) return { name, ok: false, error };
      throw error;
    }
  });
}
