import type { Readable, Writable } from 'node:stream';
import { userCwd } from './input.js';

/** The process edges a command may touch. Tests pass their own. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean | undefined };
  stderr: Writable & { isTTY?: boolean | undefined };
  stdin: Readable & { isTTY?: boolean | undefined };
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: userCwd(process.env, process.cwd()),
  };
}
