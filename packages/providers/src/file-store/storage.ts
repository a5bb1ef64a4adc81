// Reading and writing the encrypted file: stat-validated read cache, a lock for writers (proper-lockfile)
// with re-read-merge, and atomic replacement (temp file 0600, fsync, rename, fsync of the directory).
import { randomBytes } from 'node:crypto';
import { type Stats, constants } from 'node:fs';
import { access, lstat, mkdir, open, readdir, readlink, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SvmError, isSvmError } from '@svm/core';
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
  /** Largest store file read or written, in bytes (default {@link DEFAULT_MAX_FILE_BYTES}, 64 MiB). */
  maxFileBytes?: number | undefined;
}

/** Default size limit of a store file: 64 MiB, far above any real store, checked before reading. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

const MiB = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/** FILE_NOT_FOUND / FILE_UNREADABLE for a failed file-system call, naming the cause (ENOTDIR, EACCES …). */
function fsError(error: unknown, what: string, file: string): SvmError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a parent of the path is not a directory',
    EEXIST: 'a parent of the path is not a directory',
    ENOSPC: 'no space left on the device',
    ELOOP: 'too many levels of symbolic links',
  };
  return new SvmError(
    code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
    `${what} (${code}${why[code] ? `: ${why[code]}` : ''})`,
    { file, cause: error },
  );
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
    const bytes = await this.readBounded();
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
    // A symlinked store path is written through: lock, temp file and rename all happen next to the target.
    const target = await this.target();
    const dir = dirname(target);
    await mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw fsError(error, 'cannot create the directory of the file store', dir);
    });
    // Fail at once with the real cause, rather than waiting for the lock to time out on EACCES.
    await access(dir, constants.W_OK | constants.X_OK).catch((error: unknown) => {
      throw fsError(error, 'cannot write to the directory of the file store', dir);
    });
    let compromised: Error | undefined;
    let release: () => Promise<void>;
    const stale = this.options.lockStaleMs ?? 5000;
    const wait = this.options.lockWaitMs ?? 30_000;
    try {
      release = await lockfile.lock(target, {
        realpath: false,
        lockfilePath: `${target}.lock`,
        stale,
        retries: {
          retries: Math.max(1, Math.ceil(wait / 250)),
          factor: 1.2,
          minTimeout: 10,
          maxTimeout: 250,
          randomize: true,
        },
        onCompromised: (error) => {
          compromised = error;
        },
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED')
        throw fsError(error, 'cannot lock the file store', `${target}.lock`);
      throw new SvmError('CONFLICT', 'the file store is locked by another writer (ELOCKED); try again', {
        file: this.path,
      });
    }
    try {
      await this.removeOrphans(target, stale);
      // Inside the lock: read() re-validates the snapshot against the file's inode, size and times, so
      // a write by another process since our last read is always picked up (re-read-merge).
      const current = await this.read();
      const kdf = (this.snapshot as Snapshot | undefined)?.kdf ?? newKdf(this.options.key, this.options.scryptCost);
      const data: FileData = current ? structuredClone(current) : emptyData();
      if (current) data.secrets = Object.assign(Object.create(null), data.secrets);
      const result = mutate(data);
      const bytes = seal(Buffer.from(JSON.stringify(data), 'utf8'), await this.key(kdf), kdf);
      if (bytes.length > this.maxFileBytes)
        throw new SvmError(
          'INPUT_INVALID',
          `the file store would grow past its ${MiB(this.maxFileBytes)} limit; nothing was changed`,
          { file: this.path },
        );
      if (compromised)
        throw new SvmError('CONFLICT', 'lost the file store lock while writing; nothing was changed', {
          file: this.path,
        });
      await this.replace(target, bytes).catch((error: unknown) => {
        throw isSvmError(error) ? error : fsError(error, 'cannot write the file store', target);
      });
      const signature = await this.signature();
      if (signature) this.snapshot = { signature, data, kdf };
      return result;
    } finally {
      await release().catch(() => undefined);
    }
  }

  private get maxFileBytes(): number {
    return this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  /**
   * Read the store file, refusing anything that is not a regular file (a device, a FIFO, a directory) and
   * anything above the size limit, both checked on the opened descriptor before a byte is read.
   */
  private async readBounded(): Promise<Buffer | undefined> {
    const fail = (error: unknown): never => {
      throw fsError(error, 'cannot read the file store', this.path);
    };
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
    const fh = await open(this.path, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? undefined : fail(error),
    );
    if (!fh) return undefined;
    try {
      const s = await fh.stat().catch(fail);
      if (!s.isFile())
        throw new SvmError('FILE_UNREADABLE', `the file store path is not a regular file (it is ${kindOf(s)})`, {
          file: this.path,
        });
      if (s.size > this.maxFileBytes)
        throw new SvmError(
          'FILE_UNREADABLE',
          `the file store is ${MiB(s.size)}, above its ${MiB(this.maxFileBytes)} limit (not an svm file store?)`,
          {
            file: this.path,
          },
        );
      // Read at most limit + 1 bytes, in case the file grows between fstat and read.
      const buffer = Buffer.alloc(Math.min(s.size, this.maxFileBytes) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await fh.read(buffer, length, buffer.length - length, length).catch(fail);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length)
          throw new SvmError(
            'FILE_UNREADABLE',
            `the file store grew while it was read, or is above its ${MiB(this.maxFileBytes)} limit`,
            { file: this.path },
          );
      }
      return buffer.subarray(0, length);
    } finally {
      await fh.close().catch(() => undefined);
    }
  }

  /** The path writes go to: the store path with symbolic links followed (also a dangling link's target). */
  private async target(): Promise<string> {
    let path = this.path;
    for (let hops = 0; hops < 40; hops++) {
      const s = await lstat(path).catch((error: NodeJS.ErrnoException) => {
        // Missing (or under a non-directory): not a link; creating the directory reports the real cause.
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
        throw fsError(error, 'cannot inspect the file store path', path);
      });
      if (!s?.isSymbolicLink()) return path;
      path = resolve(dirname(path), await readlink(path));
    }
    throw new SvmError('FILE_UNREADABLE', 'the file store path is a symbolic link loop (ELOOP)', { file: this.path });
  }

  /**
   * Remove temp files a killed writer left behind (they hold an older encrypted copy of the store, so a
   * value would survive `destroy` there). Runs under the lock, so no live writer of this store owns one,
   * except one that lost the lock: its file is kept while its process lives and the file is fresh.
   */
  private async removeOrphans(target: string, staleMs: number): Promise<void> {
    const dir = dirname(target);
    const prefix = `${basename(target)}.tmp-`;
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
      const file = join(dir, name);
      const s = await lstat(file).catch(() => undefined);
      if (!s?.isFile()) continue;
      if (pidAlive(pid) && Date.now() - s.mtimeMs < staleMs) continue;
      await unlink(file).catch(() => undefined);
    }
  }

  private async replace(target: string, bytes: Buffer): Promise<void> {
    const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
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
      await rename(tmp, target);
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw error;
    }
    const dir = await open(dirname(target), 'r');
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
      throw fsError(error, 'cannot stat the file store', this.path);
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

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isFIFO()) return 'a FIFO';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}
