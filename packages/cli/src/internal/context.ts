import pc from 'picocolors';
import type { CliIo } from './io.js';

/** Global flags, as every command sees them. */
export interface GlobalFlags {
  json: boolean;
  quiet: boolean;
  color: boolean;
}

/** What a command returns: the data (printed as JSON with --json) and how to show it as text. */
export interface CommandOutput<TData = unknown> {
  data: TData;
  /** Text rendering; defaults to the JSON document. */
  text?: ((data: TData, ctx: CliContext) => string) | undefined;
  /** Exit code (0 unless the command says otherwise, e.g. 1 for findings at --fail-on). */
  exitCode?: number | undefined;
  /** Print exactly this text even under --json (e.g. `secret get --reveal` prints the value alone). */
  raw?: string | undefined;
  /**
   * The JSON document in pieces, written one by one instead of `JSON.stringify(data)` (used under --json or
   * when there is no text rendering): large documents are never built as one string.
   */
  jsonChunks?: Iterable<string> | undefined;
}

/** A result of any data type (the printer does not look inside). */
export type AnyCommandOutput = CommandOutput<any>;

/** Everything a command needs: flags, IO, colours and a logger to stderr. */
export interface CliContext {
  flags: GlobalFlags;
  io: CliIo;
  colors: ReturnType<typeof pc.createColors>;
  /** Progress and logs: stderr, silenced by --quiet and --json. */
  log(message: string): void;
  /** Warnings: stderr, shown even with --quiet unless --json. */
  warn(message: string): void;
  /** Print a command's result (used through `action()`). */
  emit(out: AnyCommandOutput): void;
}

export function createContext(io: CliIo, flags: GlobalFlags, emit: (out: AnyCommandOutput) => void): CliContext {
  const colors = pc.createColors(flags.color);
  return {
    flags,
    io,
    colors,
    emit,
    log(message) {
      if (!flags.quiet && !flags.json) io.stderr.write(`${message}\n`);
    },
    warn(message) {
      if (!flags.json) io.stderr.write(`${colors.yellow('warning:')} ${message}\n`);
    },
  };
}
