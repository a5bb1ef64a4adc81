import { isAbsolute, resolve } from 'node:path';
import { type StoreRef, parseStoreUri } from '@svm/core';
import { type DiscoverOptions, type DiscoverResult, discoverInventory } from './discover.js';
import { openStore } from './open-store.js';
import type { SecretStore } from './store.js';

/** Options of {@link openStoreAt}: where the user is and which credentials they gave. */
export interface OpenStoreAtOptions {
  /** The user's working directory: a relative `file://` path and a relative key file resolve from here. */
  cwd: string;
  /** Environment to read credentials from. */
  env: Record<string, string | undefined>;
  /** File store: a key file of 32 random bytes (relative to `cwd`); else the passphrase from the environment. */
  keyFile?: string | undefined;
  /**
   * File store: the environment variable that holds the passphrase, falling back to `SVM_FILE_PASSPHRASE`
   * (e.g. `SVM_FILE_PASSPHRASE_TO` for the target of a copy). Default `SVM_FILE_PASSPHRASE`.
   */
  passphraseVar?: string | undefined;
}

/**
 * Open a store from a URI a user typed: a relative `file://` path and key file resolve from `cwd`, the file
 * passphrase comes from `passphraseVar` (else `SVM_FILE_PASSPHRASE`). This is how every `svm` command opens stores.
 *
 * @example
 * ```ts
 * const store = await openStoreAt('file://./secrets.svm', { cwd: process.cwd(), env: process.env, keyFile: 'svm.key' });
 * ```
 */
export async function openStoreAt(uri: string | StoreRef, options: OpenStoreAtOptions): Promise<SecretStore> {
  const ref = typeof uri === 'string' ? parseStoreUri(uri) : uri;
  const at = (path: string) => (isAbsolute(path) ? path : resolve(options.cwd, path));
  const located = ref.kind === 'file' ? { ...ref, path: at(ref.path) } : ref;
  const { env } = options;
  const passphrase = env[options.passphraseVar ?? 'SVM_FILE_PASSPHRASE'] ?? env.SVM_FILE_PASSPHRASE;
  return openStore(located, {
    env: { ...env, SVM_FILE_PASSPHRASE: passphrase },
    file: options.keyFile ? { keyFile: at(options.keyFile) } : {},
  });
}

/**
 * Run `fn` with a store and close the store afterwards, whatever happens (a failing `close` is ignored).
 *
 * @example
 * ```ts
 * const names = await withStore(await openStore('file://a.svm'), (s) => s.list(''));
 * ```
 */
export async function withStore<TResult>(
  store: SecretStore,
  fn: (store: SecretStore) => Promise<TResult>,
): Promise<TResult> {
  try {
    return await fn(store);
  } finally {
    await store.close().catch(() => undefined);
  }
}

/**
 * Open two stores (the second only when the first opened; the first closed again when the second fails), run
 * `fn` with both and close both: the frame of store-to-store work such as {@link copySecrets} and {@link diffStores}.
 *
 * @example
 * ```ts
 * const drift = await withStorePair(
 *   () => openStore('file://a.svm'),
 *   () => openStore('vault://127.0.0.1:8200/secret'),
 *   (a, b) => diffStores(a, b, 'app/'),
 * );
 * ```
 */
export async function withStorePair<TResult>(
  openA: () => Promise<SecretStore>,
  openB: () => Promise<SecretStore>,
  fn: (a: SecretStore, b: SecretStore) => Promise<TResult>,
): Promise<TResult> {
  const a = await openA();
  const b = await openB().catch(async (error: unknown) => {
    await a.close();
    throw error;
  });
  return withStore(a, () => withStore(b, () => fn(a, b)));
}

/**
 * Discover an inventory from stores named by URI (see {@link discoverInventory}): each opened with
 * {@link openStoreAt}, all closed afterwards. Reads metadata only, never values.
 *
 * @example
 * ```ts
 * const { inventory } = await discoverInventoryAt(['aws-sm://eu-west-1'], { cwd: process.cwd(), env: process.env });
 * ```
 */
export async function discoverInventoryAt(
  uris: readonly string[],
  options: OpenStoreAtOptions & DiscoverOptions,
): Promise<DiscoverResult> {
  const stores: SecretStore[] = [];
  try {
    for (const uri of uris) stores.push(await openStoreAt(uri, options));
    return await discoverInventory(stores, { prefix: options.prefix, concurrency: options.concurrency });
  } finally {
    for (const store of stores) await store.close().catch(() => undefined);
  }
}
