import { isSvmError } from '@svm/core';
import type { SecretStore } from './store.js';

/** Errors that mean a store cannot be used at all; {@link copySecrets} throws them instead of recording one failed secret. */
const STORE_WIDE: ReadonlySet<string> = new Set(['DECRYPT_FAILED', 'CREDENTIALS_MISSING', 'FILE_UNREADABLE']);

/** Options for {@link copySecrets}. */
export interface CopySecretsOptions {
  /** Also copy the older enabled versions, oldest first, before the current value. */
  versions?: boolean | undefined;
  /** Decide what would be copied, and write nothing. */
  dryRun?: boolean | undefined;
}

/** One secret's outcome in {@link copySecrets}; never holds a value. */
export interface CopyEntry {
  name: string;
  action: 'copied' | 'unchanged' | 'would-copy' | 'failed';
  /** How many values were (or would be) written. */
  versions: number;
  /** `CODE: message` of a per-secret failure. */
  error?: string;
}

/**
 * Copy every secret under `prefix` from one store to another. A secret whose current value is already
 * the target's is `unchanged`; otherwise its current value (and with `versions`, its older enabled
 * versions first) is written. A failure that belongs to one secret is recorded as `failed` and the copy
 * goes on; a store that cannot be used at all (wrong key, no credentials, unreadable file) throws.
 * The stores are not closed.
 *
 * @example
 * ```ts
 * const entries = await copySecrets(await openStore('file://a.svm'), await openStore('vault://127.0.0.1:8200/secret'), 'app/');
 * entries.filter((e) => e.action === 'failed');
 * ```
 */
export async function copySecrets(
  from: SecretStore,
  to: SecretStore,
  prefix: string,
  options: CopySecretsOptions = {},
): Promise<CopyEntry[]> {
  const entries: CopyEntry[] = [];
  for (const { name } of await from.list(prefix)) {
    try {
      const source = await from.get(name);
      const target = await to.get(name).catch((error: unknown) => {
        if (isSvmError(error) && (error.code === 'SECRET_NOT_FOUND' || error.code === 'FILE_NOT_FOUND'))
          return undefined;
        throw error;
      });
      if (target && target.value === source.value) {
        entries.push({ name, action: 'unchanged', versions: 0 });
        continue;
      }
      const values: string[] = [];
      if (options.versions) {
        const history = (await from.versions(name))
          .filter((v) => v.state === 'enabled' && v.version !== source.version)
          .reverse();
        for (const v of history) values.push((await from.get(name, { version: v.version })).value);
      }
      values.push(source.value);
      if (options.dryRun) {
        entries.push({ name, action: 'would-copy', versions: values.length });
        continue;
      }
      for (const value of values) await to.put(name, value);
      entries.push({ name, action: 'copied', versions: values.length });
    } catch (error) {
      if (!isSvmError(error) || error.kind === 'internal' || STORE_WIDE.has(error.code)) throw error;
      entries.push({ name, action: 'failed', versions: 0, error: `${error.code}: ${error.message}` });
    }
  }
  return entries;
}
