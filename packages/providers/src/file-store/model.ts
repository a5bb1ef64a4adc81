// The decrypted content of a file store and the pure operations on it. No I/O here: the store applies
// these to the freshly re-read state while it holds the lock, which is what makes concurrent writers merge.
import { type SecretStage, type SecretVersion, SvmError } from '@svm/core';

/** One stored version. `value` is absent once destroyed. */
export interface FileVersion {
  id: string;
  createdAt: string;
  value?: string | undefined;
  state: 'enabled' | 'destroyed';
}

/** One secret with its versions (oldest first) and stage pointers. */
export interface FileSecret {
  createdAt: string;
  updatedAt: string;
  deletedAt?: string | undefined;
  tags: Record<string, string>;
  nextVersion: number;
  stages: Partial<Record<SecretStage, string>>;
  versions: FileVersion[];
}

/** The whole decrypted document. */
export interface FileData {
  v: 1;
  secrets: Record<string, FileSecret>;
}

/** An empty store. */
export function emptyData(): FileData {
  return { v: 1, secrets: {} };
}

/** Parse decrypted JSON; a structurally wrong document is reported as tampering (it was authenticated). */
export function parseData(text: string, path?: string): FileData {
  let data: FileData;
  try {
    data = JSON.parse(text) as FileData;
  } catch (cause) {
    throw new SvmError('DECRYPT_FAILED', 'the file store decrypted but its content is not JSON', { file: path, cause });
  }
  if (data?.v !== 1 || typeof data.secrets !== 'object' || data.secrets === null)
    throw new SvmError('DECRYPT_FAILED', 'the file store decrypted but its content has an unknown layout', {
      file: path,
    });
  // A prototype-free map so names like `__proto__` are plain keys.
  data.secrets = Object.assign(Object.create(null) as Record<string, FileSecret>, data.secrets);
  return data;
}

/** A live (not soft-deleted) secret, or undefined. */
export function liveSecret(data: FileData, name: string): FileSecret | undefined {
  const secret = Object.hasOwn(data.secrets, name) ? data.secrets[name] : undefined;
  return secret && !secret.deletedAt ? secret : undefined;
}

/**
 * Add a version. With `stage: 'current'` the old current becomes previous; with `pending` only the
 * pending label moves. Returns the new version id. `maxVersions` (0 = keep all) prunes the oldest
 * versions that carry no stage.
 */
export function putVersion(
  data: FileData,
  name: string,
  value: string,
  at: string,
  options: {
    stage?: 'current' | 'pending' | undefined;
    tags?: Record<string, string> | undefined;
    maxVersions?: number | undefined;
  } = {},
): string {
  let secret = Object.hasOwn(data.secrets, name) ? data.secrets[name] : undefined;
  if (!secret) {
    secret = {
      createdAt: at,
      updatedAt: at,
      tags: { ...(options.tags ?? {}) },
      nextVersion: 1,
      stages: {},
      versions: [],
    };
    data.secrets[name] = secret;
  }
  // Writing to a soft-deleted secret brings it back (as a Vault write would).
  secret.deletedAt = undefined;
  const id = String(secret.nextVersion++);
  secret.versions.push({ id, createdAt: at, value, state: 'enabled' });
  secret.updatedAt = at;
  if ((options.stage ?? 'current') === 'pending') secret.stages.pending = id;
  else moveCurrent(secret, id);
  prune(secret, options.maxVersions ?? 0);
  return id;
}

/** Move `stage` onto `version`. Moving `current` sets `previous` to the old current and clears `pending` from that version. */
export function setStage(secret: FileSecret, stage: SecretStage, version: string, at: string): void {
  const target = secret.versions.find((v) => v.id === version);
  if (!target || target.state !== 'enabled') throw new SvmError('SECRET_NOT_FOUND', `version ${version} not found`);
  if (stage === 'current') moveCurrent(secret, version);
  else secret.stages[stage] = version;
  secret.updatedAt = at;
}

function moveCurrent(secret: FileSecret, id: string): void {
  const old = secret.stages.current;
  if (old !== undefined && old !== id) secret.stages.previous = old;
  secret.stages.current = id;
  if (secret.stages.pending === id) delete secret.stages.pending;
  if (secret.stages.previous === id) delete secret.stages.previous;
}

function prune(secret: FileSecret, maxVersions: number): void {
  if (maxVersions <= 0) return;
  const labelled = new Set(Object.values(secret.stages));
  while (secret.versions.length > maxVersions) {
    const index = secret.versions.findIndex((v) => !labelled.has(v.id));
    if (index < 0) break;
    secret.versions.splice(index, 1);
  }
}

/** The version a selector names, or undefined. */
export function selectVersion(
  secret: FileSecret,
  selector: { version?: string | undefined; stage?: SecretStage | undefined },
): FileVersion | undefined {
  const id = selector.version ?? secret.stages[selector.stage ?? 'current'];
  if (id === undefined) return undefined;
  const version = secret.versions.find((v) => v.id === id);
  return version && version.state === 'enabled' ? version : undefined;
}

/** Stages carried by a version. */
export function stagesOf(secret: FileSecret, id: string): SecretStage[] {
  return (['current', 'previous', 'pending'] as const).filter((s) => secret.stages[s] === id);
}

/** Versions newest first, without values. */
export function versionList(secret: FileSecret): SecretVersion[] {
  return [...secret.versions].reverse().map((v) => ({
    version: v.id,
    stages: stagesOf(secret, v.id),
    state: secret.deletedAt ? 'deleted' : v.state,
    createdAt: v.createdAt,
  }));
}
