// Reading and writing the encrypted file: stat-validated read cache, a lock for writers (proper-lockfile)
// with re-read-merge, and atomic replacement (temp file 0600, fsync, rename, fsync of the directory).
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SvmError } from '@svm/core';
import lockfile from 'proper-lockfile';
import { type KdfParams, type KeySource, deriveKey, newKdf, readHeader, seal, unseal } from './envelope.js';
import { type FileData, emptyData, parseData } from './model.js';

/** Settings of {@link FileStorage}. */
export interface FileStorageOptions {
  key: KeySource;
  /** scrypt cost for a new store (default 2^17). */
  scryptCost?: number | undefined;
  /** A lock older than this is taken over (its holder died). proper-lockfile's floor is 2000 ms. Default 5000. */
  lockStaleMs?: number | undefined;
  /** How long a writer waits for the lock before CONFLICT (default about 30 s). */
  lockWaitMs?: number | undefined;
}

interface Snapshot {
  signature: string;
  data: FileData;
  kdf: KdfParams;
}

/** The encrypted file of one store. */
export class FileStorage {
  readonly path: string;
  private readonly options: FileStorageOptions;
  private snapshot: Snapshot | undefined;
  private readonly keys = new Map<string, Promise<Buffer>>();

  constructor(path: string, options: FileStorageOptions) {
    this.path = resolve(path);
    this.options = options;
  }

  /** The current content, or undefined when the file does not exist yet. Re-reads only when the file changed. */
  async read(): Promise<FileData | undefined> {
    const signature = await this.signature();
    if (signature === undefined) return undefined;
    if (this.snapshot?.signature === signature) return this.snapshot.data;
    const bytes = await readFile(this.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new SvmError('FILE_UNREADABLE', `cannot read the file store (${error.code ?? 'error'})`, { file: this.path });
    });
    if (bytes === undefined) return undefined;
    const parts = readHeader(bytes, this.path);
    const key = await this.key(parts.header.kdf);
    const data = parseData(unseal(parts, key, this.path).toString('utf8'), this.path);
    // The signature is taken before reading, so a concurrent replace only costs a re-read next time.
    this.snapshot = { signature, data, kdf: parts.header.kdf };
    return data;
  }

  /**
   * Apply `mutate` to the latest content under the writers' lock and replace the file atomically.
   * `mutate` runs on a fresh copy re-read inside the lock, so concurrent writers never lose each other's versions.
   */
  async update<TResult>(mutate: (data: FileData) => TResult): Promise<TResult> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    let compromised: Error | undefined;
    let release: () => Promise<void>;
    const stale = this.options.lockStaleMs ?? 5000;
    const wait = this.options.lockWaitMs ?? 30_000;
    try {
      release = await lockfile.lock(this.path, {
        realpath: false,
        lockfilePath: `${this.path}.lock`,
        stale,
        retries: { retries: Math.max(1, Math.ceil(wait / 250)), factor: 1.2, minTimeout: 10, maxTimeout: 250, randomize: true },
        onCompromised: (error) => {
          compromised = error;
        },
      });
    } catch (error) {
      throw new SvmError('CONFLICT', `the file store is locked by another writer (${(error as NodeJS.ErrnoException).code ?? 'lock'}); try again`, {
        file: this.path,
      });
    }
    try {
      // Inside the lock: read() re-validates the snapshot against the file's inode, size and times, so
      // a write by another process since our last read is always picked up (re-read-merge).
      const current = await this.read();
      const kdf = (this.snapshot as Snapshot | undefined)?.kdf ?? newKdf(this.options.key, this.options.scryptCost);
      const data: FileData = current ? structuredClone(current) : emptyData();
      if (current) data.secrets = Object.assign(Object.create(null), data.secrets);
      const result = mutate(data);
      const bytes = seal(Buffer.from(JSON.stringify(data), 'utf8'), await this.key(kdf), kdf);
      if (compromised) throw new SvmError('CONFLICT', 'lost the file store lock while writing; nothing was changed', { file: this.path });
      await this.replace(bytes);
      const signature = await this.signature();
      if (signature) this.snapshot = { signature, data, kdf };
      return result;
    } finally {
      await release().catch(() => undefined);
    }
  }

  private async replace(bytes: Buffer): Promise<void> {
    const tmp = `${this.path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } catch (error) {
      await fh.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      throw error;
    }
    await fh.close();
    try {
      await rename(tmp, this.path);
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw error;
    }
    const dir = await open(dirname(this.path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  private async signature(): Promise<string | undefined> {
    try {
      const s = await stat(this.path, { bigint: true });
      return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new SvmError('FILE_UNREADABLE', `cannot stat the file store (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { file: this.path });
    }
  }

  private key(kdf: KdfParams): Promise<Buffer> {
    const id = JSON.stringify(kdf);
    let key = this.keys.get(id);
    if (!key) {
      key = deriveKey(this.options.key, kdf);
      key.catch(() => this.keys.delete(id));
      this.keys.set(id, key);
    }
    return key;
  }
}
