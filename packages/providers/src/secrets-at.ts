// Secret operations on stores named by URI, each returning the document `svm secret …` prints (with `--json`).
// The store is opened with openStoreAt and closed afterwards; documents name the store with its URI redacted
// and never hold a value (except getSecretAt's `value`, which the caller prints only when asked to).
import { type SecretStage, type SecretVersion, redactStoreUri } from '@svm/core';
import { type CopyEntry, type CopySecretsOptions, copySecrets } from './copy.js';
import { type StoreDiffEntry, diffStores } from './diff.js';
import { type OpenStoreAtOptions, openStoreAt, withStore, withStorePair } from './open-at.js';
import type { SecretSelector, SecretStore } from './store.js';

/** Options of the two-store operations {@link copySecretsAt} and {@link diffStoresAt}. */
export interface StorePairOptions extends OpenStoreAtOptions {
  /** File store: the key file of the second store (else `SVM_FILE_PASSPHRASE_TO`, then `keyFile`). */
  toKeyFile?: string | undefined;
}

/** What {@link putSecretAt} returns: the version written. */
export interface PutSecretDocument {
  store: string;
  name: string;
  version: string;
  stages: SecretStage[];
}

/** A secret version's metadata (never its value), as `svm secret get` prints it. */
export interface SecretMetadataDocument {
  store: string;
  name: string;
  version: string;
  stages: SecretStage[];
  createdAt: string | null;
}

/** What {@link listSecretsAt} returns. */
export interface SecretListDocument {
  store: string;
  prefix: string;
  secrets: { name: string; updatedAt: string | null }[];
}

/** What {@link secretVersionsAt} returns. */
export interface SecretVersionsDocument {
  store: string;
  name: string;
  versions: SecretVersion[];
}

/** What {@link setSecretStageAt} returns: the stage moved and the versions afterwards. */
export interface SecretStageDocument extends SecretVersionsDocument {
  stage: SecretStage;
  version: string;
}

/** What {@link removeSecretAt} returns. */
export interface SecretRemovedDocument {
  store: string;
  name: string;
  action: 'deleted' | 'destroyed';
  /** Whether the store can restore the secret (soft delete). */
  recoverable: boolean;
}

/** What {@link copySecretsAt} returns. */
export interface SecretCopyDocument {
  from: string;
  to: string;
  dryRun: boolean;
  entries: CopyEntry[];
}

/** What {@link diffStoresAt} returns: `drift` counts the names that are not the same in both stores. */
export interface StoreDiffDocument {
  a: string;
  b: string;
  prefix: string;
  drift: number;
  entries: StoreDiffEntry[];
}

/** Run `fn` on the store at `uri` (opened with {@link openStoreAt}), closing it afterwards. */
async function onStore<TResult>(
  uri: string,
  options: OpenStoreAtOptions,
  fn: (store: SecretStore) => Promise<TResult>,
): Promise<TResult> {
  return withStore(await openStoreAt(uri, options), fn);
}

/** Run `fn` on two stores, the second opened with `toKeyFile` and `SVM_FILE_PASSPHRASE_TO`. */
function onStorePair<TResult>(
  a: string,
  b: string,
  options: StorePairOptions,
  fn: (a: SecretStore, b: SecretStore) => Promise<TResult>,
): Promise<TResult> {
  const { toKeyFile, ...first } = options;
  const second = { ...first, keyFile: toKeyFile ?? first.keyFile, passphraseVar: 'SVM_FILE_PASSPHRASE_TO' };
  return withStorePair(
    () => openStoreAt(a, first),
    () => openStoreAt(b, second),
    fn,
  );
}

/**
 * Write a new version of a secret in the store at `uri` (`svm secret put`).
 *
 * @example
 * ```ts
 * const doc = await putSecretAt('file://./secrets.svm', 'app/db', 's3cret', { cwd: process.cwd(), env: process.env });
 * doc.version; // '1'
 * ```
 */
export async function putSecretAt(
  uri: string,
  name: string,
  value: string,
  options: OpenStoreAtOptions & { stage?: 'current' | 'pending' | undefined },
): Promise<PutSecretDocument> {
  const { stage, ...open } = options;
  const result = await onStore(uri, open, (s) => s.put(name, value, { stage }));
  return { store: redactStoreUri(uri), name: result.name, version: result.version, stages: result.stages };
}

/**
 * Read a secret version (by `version` or `stage`; default current) from the store at `uri` (`svm secret get`):
 * its metadata document, and the value apart, for a caller that was asked to reveal it.
 *
 * @example
 * ```ts
 * const { document, value } = await getSecretAt('file://./secrets.svm', 'app/db', { cwd: '.', env: process.env });
 * document.stages; // ['current']
 * ```
 */
export async function getSecretAt(
  uri: string,
  name: string,
  options: OpenStoreAtOptions & SecretSelector,
): Promise<{ document: SecretMetadataDocument; value: string }> {
  const { version, stage, ...open } = options;
  const secret = await onStore(uri, open, (s) => s.get(name, { version, stage }));
  const document = {
    store: redactStoreUri(uri),
    name: secret.name,
    version: secret.version,
    stages: secret.stages,
    createdAt: secret.createdAt ?? null,
  };
  return { document, value: secret.value };
}

/**
 * List the secret names under `prefix` in the store at `uri` (`svm secret list`).
 *
 * @example
 * ```ts
 * (await listSecretsAt('file://./secrets.svm', 'app/', { cwd: '.', env: process.env })).secrets;
 * // [{ name: 'app/db', updatedAt: '2026-03-01T08:00:00.000Z' }]
 * ```
 */
export async function listSecretsAt(
  uri: string,
  prefix: string,
  options: OpenStoreAtOptions,
): Promise<SecretListDocument> {
  const entries = await onStore(uri, options, (s) => s.list(prefix));
  const secrets = entries.map((e) => ({ name: e.name, updatedAt: e.updatedAt ?? null }));
  return { store: redactStoreUri(uri), prefix, secrets };
}

/**
 * The versions of a secret in the store at `uri`, newest first (`svm secret versions`).
 *
 * @example
 * ```ts
 * (await secretVersionsAt('file://./secrets.svm', 'app/db', { cwd: '.', env: process.env })).versions[0]?.stages;
 * ```
 */
export async function secretVersionsAt(
  uri: string,
  name: string,
  options: OpenStoreAtOptions,
): Promise<SecretVersionsDocument> {
  const versions = await onStore(uri, options, (s) => s.versions(name));
  return { store: redactStoreUri(uri), name, versions };
}

/**
 * Move the `stage` label onto `version` of a secret in the store at `uri` (`svm secret stage`), and list the
 * versions afterwards.
 *
 * @example
 * ```ts
 * await setSecretStageAt('file://./secrets.svm', 'app/db', 'current', '2', { cwd: '.', env: process.env });
 * ```
 */
export async function setSecretStageAt(
  uri: string,
  name: string,
  stage: SecretStage,
  version: string,
  options: OpenStoreAtOptions,
): Promise<SecretStageDocument> {
  const versions = await onStore(uri, options, async (s) => {
    await s.setStage(name, stage, version);
    return s.versions(name);
  });
  return { store: redactStoreUri(uri), name, stage, version, versions };
}

/**
 * Soft-delete a secret in the store at `uri` (`svm secret delete`), or with `destroy` remove it and every
 * version for good (`svm secret destroy`). `recoverable` says whether the store can restore it.
 *
 * @example
 * ```ts
 * (await removeSecretAt('file://./secrets.svm', 'app/db', { cwd: '.', env: process.env })).recoverable; // true
 * ```
 */
export async function removeSecretAt(
  uri: string,
  name: string,
  options: OpenStoreAtOptions & { destroy?: boolean | undefined },
): Promise<SecretRemovedDocument> {
  const { destroy, ...open } = options;
  const recoverable = await onStore(uri, open, async (s) => {
    await (destroy ? s.destroy(name) : s.delete(name));
    return !destroy && s.capabilities.softDelete;
  });
  return { store: redactStoreUri(uri), name, action: destroy ? 'destroyed' : 'deleted', recoverable };
}

/**
 * {@link copySecrets} between two stores named by URI (`svm secret copy`); the target file store's passphrase
 * comes from `SVM_FILE_PASSPHRASE_TO` (else `SVM_FILE_PASSPHRASE`), its key file from `toKeyFile` (else `keyFile`).
 *
 * @example
 * ```ts
 * const doc = await copySecretsAt('file://a.svm', 'vault://127.0.0.1:8200/secret', 'app/', { cwd: '.', env: process.env });
 * doc.entries.filter((e) => e.action === 'failed');
 * ```
 */
export async function copySecretsAt(
  from: string,
  to: string,
  prefix: string,
  options: StorePairOptions & CopySecretsOptions,
): Promise<SecretCopyDocument> {
  const { versions, dryRun, ...open } = options;
  const entries = await onStorePair(from, to, open, (a, b) => copySecrets(a, b, prefix, { versions, dryRun }));
  return { from: redactStoreUri(from), to: redactStoreUri(to), dryRun: Boolean(dryRun), entries };
}

/**
 * {@link diffStores} between two stores named by URI (`svm secret diff`), opened as {@link copySecretsAt} opens them.
 *
 * @example
 * ```ts
 * const { drift } = await diffStoresAt('file://a.svm', 'file://b.svm', 'app/', { cwd: '.', env: process.env });
 * ```
 */
export async function diffStoresAt(
  a: string,
  b: string,
  prefix: string,
  options: StorePairOptions,
): Promise<StoreDiffDocument> {
  const entries = await onStorePair(a, b, options, (x, y) => diffStores(x, y, prefix));
  const drift = entries.filter((e) => e.status !== 'same').length;
  return { a: redactStoreUri(a), b: redactStoreUri(b), prefix, drift, entries };
}
