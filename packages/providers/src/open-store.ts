import { type StoreRef, parseStoreUri } from '@svm/core';
import type { AwsStoreOptions } from './adapters/aws.js';
import type { AzureStoreOptions } from './adapters/azure.js';
import type { FileStoreOptions } from './adapters/file.js';
import type { GcpStoreOptions } from './adapters/gcp.js';
import type { VaultStoreOptions } from './adapters/vault.js';
import { type CacheOptions, withCache } from './cache.js';
import type { RetryOptions } from './retry.js';
import type { SecretStore } from './store.js';

/** Options of {@link openStore}; each adapter reads its own section, everything else from the usual environment. */
export interface OpenStoreOptions {
  /** Environment to read credentials from (default `process.env`). */
  env?: Record<string, string | undefined> | undefined;
  /** Retries and timeouts for remote stores (see {@link RetryOptions}). */
  retry?: RetryOptions | undefined;
  /** Put a client-side cache in front of `get` (see {@link withCache}); off by default. */
  cache?: CacheOptions | boolean | undefined;
  file?: Omit<FileStoreOptions, 'env'> | undefined;
  vault?: VaultStoreOptions | undefined;
  aws?: AwsStoreOptions | undefined;
  gcp?: GcpStoreOptions | undefined;
  azure?: AzureStoreOptions | undefined;
}

/**
 * Open a store by URI or parsed {@link StoreRef}. The adapter, and its cloud SDK, are loaded only now
 * (dynamic `import()`), so programs that never open an AWS store never load the AWS SDK.
 *
 * @example
 * ```ts
 * const store = await openStore('vault+http://127.0.0.1:8200/secret', { env: { VAULT_TOKEN: 'root' } });
 * const { value } = await store.get('app/db');
 * await store.close();
 * ```
 */
export async function openStore(target: string | StoreRef, options: OpenStoreOptions = {}): Promise<SecretStore> {
  const ref = typeof target === 'string' ? parseStoreUri(target) : target;
  const env = options.env ?? process.env;
  const store = await openAdapter(ref, env, options);
  if (!options.cache) return store;
  return withCache(store, options.cache === true ? {} : options.cache);
}

async function openAdapter(
  ref: StoreRef,
  env: Record<string, string | undefined>,
  options: OpenStoreOptions,
): Promise<SecretStore> {
  switch (ref.kind) {
    case 'file': {
      const { openFileStore } = await import('./adapters/file.js');
      return openFileStore(ref, { ...options.file, env });
    }
    case 'vault': {
      const { openVaultStore } = await import('./adapters/vault.js');
      return openVaultStore(ref, { ...options.vault, env, retry: options.retry });
    }
    case 'aws-sm': {
      const { openAwsStore } = await import('./adapters/aws.js');
      return openAwsStore(ref, { ...options.aws, env, retry: options.retry });
    }
    case 'gcp-sm': {
      const { openGcpStore } = await import('./adapters/gcp.js');
      return openGcpStore(ref, { ...options.gcp, env, retry: options.retry });
    }
    case 'azure-kv': {
      const { openAzureStore } = await import('./adapters/azure.js');
      return openAzureStore(ref, { ...options.azure, env, retry: options.retry });
    }
  }
}
