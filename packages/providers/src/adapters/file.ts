import { readFile } from 'node:fs/promises';
import {
  type Clock,
  type SecretMetadata,
  type SecretStage,
  type SecretVersion,
  type StoreRef,
  SvmError,
  fileError,
  systemClock,
} from '@svm/core';
import { type KeySource, newKdf } from '../file-store/envelope.js';
import {
  type FileData,
  type FileSecret,
  liveSecret,
  putVersion,
  selectVersion,
  setStage,
  stagesOf,
  versionList,
} from '../file-store/model.js';
import { FileStorage } from '../file-store/storage.js';
import { notFound } from '../internal/errors.js';
import { NAME_RULES, checkName } from '../internal/names.js';
import { checkSelector, describeSelector as describe } from '../internal/selector.js';
import { getManyByGet } from '../internal/get-many.js';
import type {
  GetManyResult,
  PutOptions,
  PutResult,
  SecretListEntry,
  SecretSelector,
  SecretStore,
  SecretValue,
  StoreCapabilities,
} from '../store.js';

/** Options of the encrypted file store. */
export interface FileStoreOptions {
  /** Passphrase (else `SVM_FILE_PASSPHRASE` from `env`). */
  passphrase?: string | undefined;
  /** Path of a key file holding 32 random bytes (raw, hex or base64); takes precedence over a passphrase. */
  keyFile?: string | undefined;
  /** scrypt cost for a new store: a power of two, 2^14 … 2^18 (default 2^17, or `SVM_FILE_SCRYPT_COST`). Existing stores keep theirs. */
  scryptCost?: number | undefined;
  /** Keep at most this many versions per secret, pruning the oldest unlabelled ones (default 0 = keep all). */
  maxVersions?: number | undefined;
  /** A writer's lock older than this is taken over (default 5000 ms, floor 2000). */
  lockStaleMs?: number | undefined;
  /** Largest store file read or written, in bytes (default 64 MiB); checked before reading. */
  maxFileBytes?: number | undefined;
  clock?: Clock | undefined;
  env?: Record<string, string | undefined> | undefined;
}

export const FILE_CAPABILITIES: StoreCapabilities = {
  stages: ['current', 'previous', 'pending'],
  softDelete: true,
  orderedVersions: true,
  timestamps: true,
  nativeBatch: false,
  listShowsDeleted: false,
};

/** Resolve what unlocks the store: a key file, else a passphrase; CREDENTIALS_MISSING when neither. */
export async function resolveKeySource(options: FileStoreOptions): Promise<KeySource> {
  const env = options.env ?? process.env;
  const keyFile = options.keyFile ?? env.SVM_FILE_KEY_FILE;
  if (keyFile) {
    const keyFileBytes = await readFile(keyFile).catch((error: unknown) => {
      throw fileError(error, keyFile);
    });
    return { keyFileBytes, keyFilePath: keyFile };
  }
  const passphrase = options.passphrase ?? env.SVM_FILE_PASSPHRASE;
  if (!passphrase)
    throw new SvmError(
      'CREDENTIALS_MISSING',
      'the file store needs a passphrase (SVM_FILE_PASSPHRASE) or a key file (--key-file / SVM_FILE_KEY_FILE)',
    );
  return { passphrase };
}

/**
 * The embedded default store: one AES-256-GCM encrypted file, versions kept, mode 0600, atomic writes,
 * safe under concurrent writers. Created by the first `put`.
 *
 * @example
 * ```ts
 * const store = await openFileStore(parseStoreUri('file://./secrets.svm') as FileStoreRef, { passphrase: 'correct horse battery staple' });
 * await store.put('api-key', 'k-123');
 * ```
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const;
  readonly capabilities = FILE_CAPABILITIES;
  readonly ref: StoreRef;
  private readonly storage: FileStorage;
  private readonly clock: Clock;
  private readonly maxVersions: number;
  private readonly label: string;

  constructor(ref: Extract<StoreRef, { kind: 'file' }>, key: KeySource, options: FileStoreOptions = {}) {
    this.ref = ref;
    this.storage = new FileStorage(ref.path, {
      key,
      scryptCost: options.scryptCost,
      lockStaleMs: options.lockStaleMs,
      maxFileBytes: options.maxFileBytes,
    });
    this.clock = options.clock ?? systemClock;
    this.maxVersions = options.maxVersions ?? 0;
    this.label = `file store ${ref.path}`;
  }

  /** Absolute path of the encrypted file. */
  get path(): string {
    return this.storage.path;
  }

  async get(name: string, selector: SecretSelector = {}): Promise<SecretValue> {
    this.check(name);
    checkSelector(selector);
    if (selector.version !== undefined) this.checkVersion(selector.version);
    const secret = await this.live(name);
    const version = selectVersion(secret, selector);
    if (!version || version.value === undefined) throw notFound(this.label, name, describe(selector));
    return {
      name,
      version: version.id,
      stages: stagesOf(secret, version.id),
      createdAt: version.createdAt,
      value: version.value,
    };
  }

  getMany(names: readonly string[]): Promise<GetManyResult[]> {
    return getManyByGet((name) => this.get(name), names, 1);
  }

  async put(name: string, value: string, options: PutOptions = {}): Promise<PutResult> {
    this.check(name);
    if (typeof value !== 'string') throw new SvmError('INPUT_INVALID', 'a secret value must be a string');
    const at = this.now();
    return this.storage.update((data) => {
      const version = putVersion(data, name, value, at, {
        stage: options.stage,
        tags: options.tags,
        maxVersions: this.maxVersions,
      });
      return { name, version, stages: stagesOf(data.secrets[name] as FileSecret, version) };
    });
  }

  async list(prefix = ''): Promise<SecretListEntry[]> {
    const data = await this.data();
    return Object.keys(data.secrets)
      .filter((name) => name.startsWith(prefix) && liveSecret(data, name))
      .sort()
      .map((name) => ({ name, updatedAt: (data.secrets[name] as FileSecret).updatedAt }));
  }

  async versions(name: string): Promise<SecretVersion[]> {
    this.check(name);
    return versionList(await this.live(name));
  }

  async metadata(name: string): Promise<SecretMetadata> {
    this.check(name);
    const secret = await this.live(name);
    const current = secret.stages.current ? secret.versions.find((v) => v.id === secret.stages.current) : undefined;
    return {
      name,
      createdAt: secret.createdAt,
      updatedAt: secret.updatedAt,
      ...(current ? { lastRotatedAt: current.createdAt, currentVersion: current.id } : {}),
      ...(secret.tags.expires_at ? { expiresAt: secret.tags.expires_at } : {}),
      versionCount: secret.versions.filter((v) => v.state === 'enabled').length,
      tags: { ...secret.tags },
    };
  }

  async setStage(name: string, stage: SecretStage, version: string): Promise<void> {
    this.check(name);
    this.checkVersion(version);
    const at = this.now();
    await this.storage.update((data) => {
      const secret = liveSecret(data, name);
      if (!secret) throw notFound(this.label, name);
      try {
        setStage(secret, stage, version, at);
      } catch {
        throw notFound(this.label, name, `version ${version}`);
      }
    });
  }

  async delete(name: string): Promise<void> {
    this.check(name);
    const at = this.now();
    await this.storage.update((data) => {
      const secret = liveSecret(data, name);
      if (!secret) throw notFound(this.label, name);
      secret.deletedAt = at;
      secret.updatedAt = at;
    });
  }

  async destroy(name: string): Promise<void> {
    this.check(name);
    await this.storage.update((data) => {
      if (!Object.hasOwn(data.secrets, name)) throw notFound(this.label, name);
      delete data.secrets[name];
    });
  }

  async close(): Promise<void> {}

  private check(name: string): void {
    checkName(this.label, name, NAME_RULES.file);
  }

  /** File store versions are numbers (1, 2, …): anything else is a malformed reference (exit 2), not a missing version. */
  private checkVersion(version: string): void {
    if (typeof version !== 'string' || !/^[1-9][0-9]{0,15}$/.test(version))
      throw new SvmError(
        'SECRET_NAME_INVALID',
        `${this.label}: invalid version '${String(version)
          .replace(/[\u0000-\u001f]/g, '?')
          .slice(0, 80)}': expected a version number (1, 2, …)`,
      );
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private async data(): Promise<FileData> {
    const data = await this.storage.read();
    if (!data)
      throw new SvmError('FILE_NOT_FOUND', 'the file store does not exist yet (the first `put` creates it)', {
        file: this.storage.path,
      });
    return data;
  }

  private async live(name: string): Promise<FileSecret> {
    const secret = liveSecret(await this.data(), name);
    if (!secret) throw notFound(this.label, name);
    return secret;
  }
}

/** Open the file store a `file://` reference names (the file itself is created by the first `put`). */
export async function openFileStore(
  ref: Extract<StoreRef, { kind: 'file' }>,
  options: FileStoreOptions = {},
): Promise<FileSecretStore> {
  const env = options.env ?? process.env;
  let scryptCost = options.scryptCost;
  if (scryptCost === undefined && env.SVM_FILE_SCRYPT_COST) {
    scryptCost = Number(env.SVM_FILE_SCRYPT_COST);
    newKdf({ passphrase: 'check' }, scryptCost); // validates: a power of two between 2^14 and 2^18
  }
  return new FileSecretStore(ref, await resolveKeySource(options), { ...options, scryptCost });
}
