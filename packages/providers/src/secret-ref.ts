import { type SecretReference, SvmError } from '@svm/core';
import { type OpenStoreOptions, openStore } from './open-store.js';

/**
 * Read the value a {@link SecretReference} names: open its store (the adapter and SDK load only now), read the
 * current version of `name`, and with `key` take that field of a JSON object value. The store is closed
 * afterwards. Errors name the store and secret, never the value.
 *
 * @example
 * ```ts
 * const password = await readSecretRef({ store: 'file://./secrets.svm', name: 'payments-pg-admin' },
 *   { env: { SVM_FILE_PASSPHRASE: 'correct horse' } });
 * ```
 */
export async function readSecretRef(ref: SecretReference, options: OpenStoreOptions = {}): Promise<string> {
  const store = await openStore(ref.store, options);
  try {
    const { value } = await store.get(ref.name);
    if (ref.key === undefined) return value;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    const field = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[ref.key] : undefined;
    if (typeof field !== 'string')
      throw new SvmError(
        'INPUT_INVALID',
        `${ref.store} ${ref.name}: expected a JSON object with a string field ${JSON.stringify(ref.key)}`,
      );
    return field;
  } finally {
    await store.close();
  }
}
