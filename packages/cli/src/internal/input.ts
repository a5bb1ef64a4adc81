// Every file a command reads goes through here: one way to find it, read it and word its errors.
// A path may be a regular file, `-` (standard input), a FIFO, `<(command)` (/dev/fd/N) or /dev/stdin:
// anything that is not a directory is read as a stream until its end.
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { SvmError, fileError } from '@svm/core/errors';
import type { CliIo } from './io.js';

/** Where the user typed the command: `INIT_CWD` under `pnpm svm` (pnpm runs scripts from the checkout root). */
export function userCwd(env: Record<string, string | undefined>, processCwd: string): string {
  const init = env['INIT_CWD'];
  return env['npm_lifecycle_event'] === 'svm' && init && isAbsolute(init) ? init : processCwd;
}

/** A path as the user typed it, made absolute against their working directory. */
export function absolutePath(io: Pick<CliIo, 'cwd'>, file: string): string {
  return isAbsolute(file) ? file : resolve(io.cwd, file);
}

/** What {@link readInput} returns: the text, the name to show in messages (`<stdin>` for `-`) and the absolute path. */
export interface InputText {
  text: string;
  name: string;
  path: string | undefined;
}

/** Read all of a stream (standard input, a FIFO) as UTF-8. */
export async function readStream(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Read a whole input as UTF-8: `-` is standard input; files, FIFOs, `/dev/stdin` and `<(command)` are read as a
 * stream to their end. Errors are `FILE_NOT_FOUND` / `FILE_UNREADABLE` worded by `fileError` (name shown once).
 */
export async function readInput(io: Pick<CliIo, 'cwd' | 'stdin'>, file: string): Promise<InputText> {
  if (file === '-') return { text: await readStream(io.stdin), name: '<stdin>', path: undefined };
  const path = absolutePath(io, file);
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    return { text: await readStream(createReadStream(path)), name: file, path };
  } catch (cause) {
    throw fileError(cause, file);
  }
}

/** How a library command reads the files a user named: from their directory, with {@link readInput}. */
export function inputReader(io: Pick<CliIo, 'cwd' | 'stdin'>): {
  cwd: string;
  read: (file: string) => Promise<InputText>;
} {
  return { cwd: io.cwd, read: (file) => readInput(io, file) };
}

/** `stat` a user path; errors worded as {@link readInput} words them. */
export async function statInput(io: Pick<CliIo, 'cwd'>, file: string): Promise<Awaited<ReturnType<typeof stat>>> {
  try {
    return await stat(absolutePath(io, file));
  } catch (cause) {
    throw fileError(cause, file);
  }
}

/**
 * Write a command's output file (`--out`), the path relative to the user's directory. A failure is a user error
 * naming the file as the user typed it: `cannot write <file>: <errno code>`.
 */
export async function writeOutput(
  io: Pick<CliIo, 'cwd'>,
  file: string,
  text: string,
  options: { mode?: number } = {},
): Promise<void> {
  try {
    await writeFile(absolutePath(io, file), text, options);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new SvmError('FILE_UNREADABLE', `cannot write ${file}: ${reason}`, { file, cause });
  }
}
