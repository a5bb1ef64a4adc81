// Hardening of the file store against hostile or unusual paths and headers (issue 11): devices, FIFOs and
// huge files, tampered KDF parameters, symlinked store paths, unwritable or impossible directories,
// orphan temp files of killed writers, and malformed version references.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSvmError, parseStoreUri } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { type FileSecretStore, openFileStore } from '../adapters/file.ts';
import { readHeader } from './envelope.ts';

const COST = 2 ** 14;
const scratch = (): string => mkdtempSync(join(tmpdir(), 'svm-fs-hard-'));
const open = (path: string, extra: { maxFileBytes?: number } = {}): Promise<FileSecretStore> =>
  openFileStore(parseStoreUri(`file://${path}`) as Extract<ReturnType<typeof parseStoreUri>, { kind: 'file' }>, {
    env: {},
    passphrase: 'pass phrase',
    scryptCost: COST,
    ...extra,
  });
const failure = async (p: Promise<unknown>): Promise<{ code: string; message: string }> =>
  p.then(
    () => ({ code: 'ok', message: '' }),
    (e: unknown) =>
      isSvmError(e) ? { code: e.code, message: e.message } : { code: 'not an SvmError', message: String(e) },
  );

describe('file store: only a regular file of bounded size is read', () => {
  it('refuses a character device (/dev/zero) without reading it', async () => {
    const r = await failure((await open('/dev/zero')).list());
    expect(r.code).toBe('FILE_UNREADABLE');
    expect(r.message).toContain('not a regular file (it is a device)');
  });

  it('refuses a FIFO without waiting for a writer, and a directory', async () => {
    const dir = scratch();
    execFileSync('mkfifo', [join(dir, 'fifo.svm')]);
    const fifo = await failure((await open(join(dir, 'fifo.svm'))).get('a'));
    expect(fifo).toEqual({
      code: 'FILE_UNREADABLE',
      message: 'the file store path is not a regular file (it is a FIFO)',
    });
    mkdirSync(join(dir, 'dir.svm'));
    expect((await failure((await open(join(dir, 'dir.svm'))).get('a'))).message).toContain('it is a directory');
  });

  it('refuses a file above the size limit before reading it (default 64 MiB, configurable)', async () => {
    const dir = scratch();
    const huge = join(dir, 'huge.svm');
    writeFileSync(huge, '');
    truncateSync(huge, 65 * 1024 * 1024); // sparse: no disk used
    const r = await failure((await open(huge)).list());
    expect(r.code).toBe('FILE_UNREADABLE');
    expect(r.message).toContain('above its 64 MiB limit');
    const small = join(dir, 'small.svm');
    await (await open(small)).put('a', 'x'.repeat(4000));
    expect((await failure((await open(small, { maxFileBytes: 1024 })).get('a'))).code).toBe('FILE_UNREADABLE');
    // A write that would grow the file past the limit is refused and changes nothing.
    const before = readFileSync(small);
    expect((await failure((await open(small, { maxFileBytes: 8000 })).put('b', 'y'.repeat(6000)))).code).toBe(
      'INPUT_INVALID',
    );
    expect(readFileSync(small).equals(before)).toBe(true);
  });
});

describe('file store: KDF parameters in the (not yet authenticated) header', () => {
  const tamper = async (edit: (kdf: Record<string, unknown>) => void): Promise<Buffer> => {
    const path = join(scratch(), 'store.svm');
    await (await open(path)).put('a', 'value');
    const bytes = readFileSync(path);
    const nl = bytes.indexOf(0x0a);
    const header = JSON.parse(bytes.subarray(0, nl).toString('utf8')) as { kdf: Record<string, unknown> };
    edit(header.kdf);
    return Buffer.concat([Buffer.from(JSON.stringify(header)), bytes.subarray(nl)]);
  };

  it.each([
    ['p = 2', (k: Record<string, unknown>) => (k.p = 2)],
    ['N = 2^20', (k: Record<string, unknown>) => (k.N = 2 ** 20)],
    ['N = 2^22', (k: Record<string, unknown>) => (k.N = 2 ** 22)],
    ['r = 16', (k: Record<string, unknown>) => (k.r = 16)],
    ['N not a power of two', (k: Record<string, unknown>) => (k.N = 3 * 2 ** 14)],
  ])('a header with %s is refused while parsing, before any key derivation', async (_label, edit) => {
    const bytes = await tamper(edit);
    // readHeader derives no key: refusing here proves scrypt never ran with the tampered parameters.
    let caught: unknown;
    try {
      readHeader(bytes, 'x.svm');
    } catch (error) {
      caught = error;
    }
    expect(isSvmError(caught) && caught.code).toBe('DECRYPT_FAILED');
    expect((caught as Error).message).toContain('KDF parameters svm never writes');
    // And through the store: the same typed refusal.
    const path = join(scratch(), 'tampered.svm');
    writeFileSync(path, bytes);
    const r = await failure((await open(path)).get('a'));
    expect(r.code).toBe('DECRYPT_FAILED');
    expect(r.message).toContain('KDF parameters svm never writes');
  });

  it('a new store with a cost above 2^18 is refused (what svm writes is what it reads)', async () => {
    const r = await failure(
      openFileStore(parseStoreUri('file://x.svm') as never, {
        env: { SVM_FILE_SCRYPT_COST: String(2 ** 20) },
        passphrase: 'p',
      }),
    );
    expect(r.code).toBe('INPUT_INVALID');
  });
});

describe('file store: symlinked store path', () => {
  it('a put through a symlink writes through to the target and keeps the link', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'real'));
    const target = join(dir, 'real', 'store.svm');
    await (await open(target)).put('a', 'v1');
    const link = join(dir, 'link.svm');
    symlinkSync('real/store.svm', link); // relative, resolved from the link's directory
    await (await open(link)).put('a', 'v2');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect((await (await open(target)).get('a')).value).toBe('v2');
    expect((await (await open(link)).get('a')).value).toBe('v2');
    // Temp files and the lock live next to the target, and none is left over.
    expect(readdirSync(dir).sort()).toEqual(['link.svm', 'real']);
    expect(readdirSync(join(dir, 'real'))).toEqual(['store.svm']);
  });

  it('a dangling symlink is followed: the first put creates the target', async () => {
    const dir = scratch();
    const link = join(dir, 'link.svm');
    symlinkSync(join(dir, 'later.svm'), link);
    await (await open(link)).put('a', 'v1');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect((await (await open(join(dir, 'later.svm'))).get('a')).value).toBe('v1');
  });

  it('a symlink loop is refused clearly', async () => {
    const dir = scratch();
    symlinkSync(join(dir, 'b.svm'), join(dir, 'a.svm'));
    symlinkSync(join(dir, 'a.svm'), join(dir, 'b.svm'));
    const r = await failure((await open(join(dir, 'a.svm'))).put('a', '1'));
    expect(r.code).toBe('FILE_UNREADABLE');
    expect(r.message).toContain('ELOOP');
  });
});

describe('file store: directories that cannot hold it', () => {
  it('a parent that is a regular file is an input error naming the cause (exit 2), not an internal error', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'plain'), 'x');
    const r = await failure((await open(join(dir, 'plain', 'sub', 'store.svm'))).put('a', '1'));
    expect(r.code).toBe('FILE_UNREADABLE');
    expect(r.message).toMatch(
      /^cannot create the directory of the file store \((ENOTDIR|EEXIST): a parent of the path is not a directory\)$/,
    );
  });

  it('an unwritable directory fails at once with EACCES, not as a lock held by another writer', async () => {
    const dir = scratch();
    const sub = join(dir, 'ro');
    mkdirSync(sub);
    chmodSync(sub, 0o555);
    chmodSync(dir, 0o755);
    const path = join(sub, 'store.svm');
    let outcome: { code: string; message: string };
    if (process.getuid?.() === 0) {
      // root writes anywhere: run the put as user nobody.
      const child = spawnSync(
        process.execPath,
        [
          '--conditions=@svm/source',
          '--import',
          'tsx',
          fileURLToPath(new URL('../../test/fixtures/put-once.ts', import.meta.url)),
          path,
        ],
        { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 20_000, env: { ...process.env, HOME: dir } },
      );
      outcome = JSON.parse(
        child.stdout.trim().split('\n').pop() ?? `{"code":"no output: ${child.stderr.slice(0, 300)}"}`,
      );
    } else {
      outcome = await failure((await open(path)).put('a', '1'));
    }
    expect(outcome).toEqual({
      code: 'FILE_UNREADABLE',
      message: 'cannot write to the directory of the file store (EACCES: permission denied)',
    });
  }, 30_000);
});

describe('file store: temp files of killed writers', () => {
  it('the next write (under the lock) removes orphan temp files; a live writer’s fresh one stays', async () => {
    const dir = scratch();
    const path = join(dir, 'store.svm');
    await (await open(path)).put('a', 'v1');
    // A writer SIGKILLed between writing its temp file and the rename leaves an older encrypted copy behind.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const orphan = `${path}.tmp-${dead}-deadbeef`;
    writeFileSync(orphan, readFileSync(path), { mode: 0o600 });
    const live = `${path}.tmp-${process.pid}-0badc0de`;
    writeFileSync(live, 'in flight');
    const unrelated = join(dir, 'other.svm.tmp-1-aaaaaaaa');
    writeFileSync(unrelated, 'not ours');
    await (await open(path)).destroy('a');
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(unrelated)).toBe(true);
  });
});

describe('file store: version references', () => {
  it('a malformed version is SECRET_NAME_INVALID (exit 2); a well-formed missing one is SECRET_NOT_FOUND (exit 3)', async () => {
    const store = await open(join(scratch(), 'store.svm'));
    await store.put('a', 'v1');
    expect((await failure(store.get('a', { version: 'zzz' }))).code).toBe('SECRET_NAME_INVALID');
    expect((await failure(store.get('a', { version: '0' }))).code).toBe('SECRET_NAME_INVALID');
    expect((await failure(store.setStage('a', 'current', 'v1'))).code).toBe('SECRET_NAME_INVALID');
    expect((await failure(store.get('a', { version: '99' }))).code).toBe('SECRET_NOT_FOUND');
    expect((await store.get('a', { version: '1' })).value).toBe('v1');
  });
});
