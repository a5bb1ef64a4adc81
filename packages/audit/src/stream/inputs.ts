import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { SvmError, fileError } from '@svm/core';
import { glob, isDynamicPattern } from 'tinyglobby';
import { compareLogKeys } from '../objstore/keys.js';

/** One input: a file on disk, or standard input (`-`). */
export interface InputFile {
  /** As shown in messages (the path as given, or `<stdin>`). */
  name: string;
  /** Absolute path; undefined for stdin. */
  path: string | undefined;
  /** Size in bytes on disk (compressed size for .gz); 0 for stdin. */
  size: number;
  /** How to read an input that is not a file (an object in a bucket). */
  open?: (() => Promise<AsyncIterable<unknown>>) | undefined;
  /** Called once the input has been read to its end and analysed (the object cursor's hook). */
  done?: (() => void) | undefined;
}

/**
 * Expand the paths a user gave: files, directories (every file below, CloudTrail digest files skipped; in the
 * order of `compareLogKeys`, so CloudTrail's region folders interleave by delivery time as from a bucket),
 * globs (`logs/**\/*.json.gz`), `-` for stdin, and FIFOs or `/dev/fd/N` (read as streams). A path that matches
 * nothing is `FILE_NOT_FOUND`; a symlink loop or an unreadable path is `FILE_UNREADABLE`.
 *
 * @example
 * ```ts
 * const inputs = await expandInputs(['audit/', 'trail/*.json.gz'], process.cwd());
 * ```
 */
export async function expandInputs(paths: readonly string[], cwd: string): Promise<InputFile[]> {
  const out: InputFile[] = [];
  const seen = new Set<string>();
  const add = async (abs: string, name: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    const st = await stat(abs);
    out.push({ name, path: abs, size: st.size });
  };
  for (const p of paths) {
    if (p === '-') {
      out.push({ name: '<stdin>', path: undefined, size: 0 });
      continue;
    }
    const abs = isAbsolute(p) ? p : resolve(cwd, p);
    let st: Awaited<ReturnType<typeof stat>> | undefined;
    try {
      st = await stat(abs);
    } catch (cause) {
      // A glob pattern need not exist as a path; anything else that cannot be stat'ed says why (ELOOP, EACCES).
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT' || !isDynamicPattern(p)) throw fileError(cause, p);
      st = undefined;
    }
    if (st?.isFile()) {
      await add(abs, p);
      continue;
    }
    if (st && !st.isDirectory()) {
      // A FIFO, `<(command)` (/dev/fd/N), /dev/stdin or another character device: read as a stream.
      if (!seen.has(abs)) out.push({ name: p, path: abs, size: 0 });
      seen.add(abs);
      continue;
    }
    if (st?.isDirectory()) {
      const files = (await glob('**/*', { cwd: abs, absolute: true, onlyFiles: true, dot: false }))
        .filter((f) => !/CloudTrail-Digest/.test(f))
        .sort(compareLogKeys);
      if (files.length === 0) throw new SvmError('FILE_NOT_FOUND', 'directory contains no files', { file: p });
      for (const f of files) await add(f, f.startsWith(`${cwd}/`) ? f.slice(cwd.length + 1) : f);
      continue;
    }
    if (isDynamicPattern(p)) {
      const files = (await glob(p, { cwd, absolute: true, onlyFiles: true })).sort(compareLogKeys);
      if (files.length === 0) throw new SvmError('FILE_NOT_FOUND', 'no files match this pattern', { file: p });
      for (const f of files) await add(f, f.startsWith(`${cwd}/`) ? f.slice(cwd.length + 1) : f);
      continue;
    }
    throw fileError(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }), p);
  }
  return out;
}
