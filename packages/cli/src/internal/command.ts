import { type Command, Option } from 'commander';
import { SvmError } from '@svm/core/errors';
import type { CliContext, CommandOutput } from './context.js';

/** Documented exit codes. */
export const EXIT = { OK: 0, FINDINGS: 1, USAGE: 2, PROVIDER: 3, INTERNAL: 70, INTERRUPTED: 130 } as const;

/**
 * Wrap a command implementation: it returns a {@link CommandOutput}, the CLI prints it (text or JSON).
 * Every command module uses this; no command writes its result itself.
 */
export function action<TArgs extends unknown[], TData>(
  ctx: CliContext,
  fn: (...args: TArgs) => Promise<CommandOutput<TData>> | CommandOutput<TData>,
): (...args: TArgs) => Promise<void> {
  return async (...args: TArgs) => {
    ctx.emit(await fn(...args));
  };
}

/**
 * {@link action} for a command function that takes the context first: `.action(handler(ctx, put))` calls
 * `put(ctx, ...commanderArguments)`.
 */
export function handler<TArgs extends unknown[], TData>(
  ctx: CliContext,
  fn: (ctx: CliContext, ...args: TArgs) => Promise<CommandOutput<TData>> | CommandOutput<TData>,
): (...args: TArgs) => Promise<void> {
  return action(ctx, (...args: TArgs) => fn(ctx, ...args));
}

/**
 * `group.command(name)` with its description and positional arguments, each written `'<name> description'`
 * (or `'[name] description'` for an optional one).
 */
export function subcommand(group: Command, name: string, description: string, args: readonly string[] = []): Command {
  const command = group.command(name).description(description);
  for (const arg of args) {
    const space = arg.indexOf(' ');
    command.argument(arg.slice(0, space), arg.slice(space + 1));
  }
  return command;
}

/**
 * The output format of a command with `--format`: `json` under `--json` (a `--format` other than those in
 * `jsonLike` conflicts with it), else the flag or `fallback`.
 */
export function outputFormat<TFormat extends string>(
  ctx: CliContext,
  format: TFormat | undefined,
  fallback: TFormat,
  jsonLike: readonly string[] = ['json'],
): TFormat | 'json' {
  if (ctx.flags.json && format !== undefined && !jsonLike.includes(format))
    throw new SvmError('USAGE', `--json conflicts with --format ${format}`);
  return ctx.flags.json ? 'json' : (format ?? fallback);
}

/** A repeatable option's collector: `--path a --path b` gives `['a', 'b']`. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A repeatable option whose values may also be comma-separated: `--only a,b --only c` gives `['a', 'b', 'c']`. */
export const collectList = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

/** Apply the shared commander settings to a command (and, through register(), its subcommands). */
export function configure(command: Command, ctx: CliContext): Command {
  return command
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
      outputError: () => undefined,
    })
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true });
}

/** Add a `--fail-on <severity>` option. */
export function failOnOption(defaultValue: string): Option {
  return new Option('--fail-on <severity>', 'exit 1 when a finding reaches this severity')
    .choices(['info', 'low', 'medium', 'high', 'critical', 'none'])
    .default(defaultValue);
}
