import type { SecretMetadata, SecretStage, SecretVersion, StoreKind, StoreRef, SvmError } from '@svm/core';

/**
 * Which version to read: the latest (`current`) by default, a version id, or a stage label.
 * `version` and `stage` are exclusive.
 */
export interface SecretSelector {
  version?: string | undefined;
  stage?: SecretStage | undefined;
}

/** A secret value as read from a store. `value` is the only secret field. */
export interface SecretValue {
  name: string;
  version: string;
  stages: SecretStage[];
  createdAt?: string | undefined;
  value: string;
}

/** Options of {@link SecretStore.put}. */
export interface PutOptions {
  /**
   * `current` (default): the new version becomes current and the old current becomes previous.
   * `pending`: the new version is labelled pending and current does not move (rotation's first step);
   * only stores whose {@link StoreCapabilities.stages} include `pending`.
   */
  stage?: 'current' | 'pending' | undefined;
  /** Tags / labels set on the secret when it is created (not secret). */
  tags?: Record<string, string> | undefined;
}

/** What {@link SecretStore.put} wrote. */
export interface PutResult {
  name: string;
  version: string;
  stages: SecretStage[];
}

/** One entry of {@link SecretStore.list}. */
export interface SecretListEntry {
  name: string;
  updatedAt?: string | undefined;
}

/** One result of {@link SecretStore.getMany}: the value, or the typed error for that name alone. */
export type GetManyResult =
  | { name: string; ok: true; secret: SecretValue }
  | { name: string; ok: false; error: SvmError };

/**
 * What a store can do, so callers (and the conformance suite) branch on flags, never on `kind`.
 * The README's per-adapter table is these flags.
 */
export interface StoreCapabilities {
  /** Stage labels the store can resolve and set. Every store has `current` and `previous`. */
  stages: readonly SecretStage[];
  /** `delete` is recoverable (Vault soft delete, AWS recovery window, Azure soft delete, GCP disable, file store). */
  softDelete: boolean;
  /** Version ids are assigned in order and compare numerically (Vault, GCP, file store). */
  orderedVersions: boolean;
  /** The store reports creation/update times per secret. */
  timestamps: boolean;
  /** `getMany` is one round trip (AWS BatchGetSecretValue) rather than parallel `get`s. */
  nativeBatch: boolean;
  /** `list` still shows soft-deleted secrets (Vault lists keys whose versions are all deleted). */
  listShowsDeleted: boolean;
}

/**
 * One interface over every secret store. Obtain one with `openStore(uri)`; close it when done.
 * Methods throw {@link SvmError} with a stable code: `SECRET_NOT_FOUND`, `ACCESS_DENIED`, `THROTTLED`,
 * `UNAVAILABLE`, `CONFLICT`, `TIMEOUT`, `SECRET_NAME_INVALID`, `CREDENTIALS_MISSING`, `DECRYPT_FAILED`, `UNSUPPORTED`.
 * No error message ever contains a secret value.
 *
 * @example
 * ```ts
 * const store = await openStore('file://./secrets.svm', { passphrase: process.env.SVM_FILE_PASSPHRASE });
 * const { version } = await store.put('db-password', 's3cr3t');
 * const secret = await store.get('db-password'); // { version, stages: ['current'], value: 's3cr3t', … }
 * await store.close();
 * ```
 */
export interface SecretStore {
  readonly kind: StoreKind;
  readonly ref: StoreRef;
  readonly capabilities: StoreCapabilities;
  /** Read the current version, a version id, or a stage. */
  get(name: string, selector?: SecretSelector): Promise<SecretValue>;
  /** Read many current values; a missing or refused one is reported in its own result. */
  getMany(names: readonly string[]): Promise<GetManyResult[]>;
  /** Write a new version (creating the secret when needed) and return its id. */
  put(name: string, value: string, options?: PutOptions): Promise<PutResult>;
  /** Secret names starting with `prefix`, sorted. */
  list(prefix?: string): Promise<SecretListEntry[]>;
  /** Every version, newest first, with its stages and state (never values). */
  versions(name: string): Promise<SecretVersion[]>;
  /** Timestamps, rotation settings, expiry and tags. */
  metadata(name: string): Promise<SecretMetadata>;
  /** Move a stage onto a version (e.g. `current` onto the pending version to finish a rotation). */
  setStage(name: string, stage: SecretStage, version: string): Promise<void>;
  /** Soft delete where the store has it (restorable); reads then fail with SECRET_NOT_FOUND. */
  delete(name: string): Promise<void>;
  /** Remove the secret and every version for good. */
  destroy(name: string): Promise<void>;
  /**
   * Undo a soft {@link SecretStore.delete} (Azure Key Vault recover, GCP re-enabling the disabled versions).
   * Optional: stores that cannot restore do not have it. `SECRET_NOT_FOUND` when there is nothing to restore.
   */
  restore?(name: string): Promise<void>;
  /** Release connections and timers (token renewal). */
  close(): Promise<void>;
}
