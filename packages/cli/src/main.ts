import { Command, CommanderError } from 'commander';
import { SvmError, renderError, shouldUseColor, toJsonDocument } from '@svm/core/errors';
import { COMMAND_GROUPS } from './commands/registry.js';
import { configure } from './internal/command.js';
import { type AnyCommandOutput, type CliContext, createContext, type GlobalFlags } from './internal/context.js';
import type { CliIo } from './internal/io.js';
import { VERSION } from './version.js';

/**
 * Run the `svm` command line with `argv` (without `node` and the script) and return the exit code.
 * Never calls `process.exit`; the caller does.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const flags = preScanFlags(argv, io);
  const state = { exitCode: 0 };
  const ctx = createContext(io, flags, (out) => printer(out));
  const printer = makePrinter(ctx, state);
  const groupName = argv.find((a) => !a.startsWith('-'));
  const group = COMMAND_GROUPS.find((g) => g.name === groupName);
  // The root's `-V, --version` exists only when no command group runs: commander reads root options
  // anywhere on the line, and subcommands own flags of that name (`svm secret get --version <id>`).
  const program = buildProgram(ctx, group === undefined);

  try {
    if (group) {
      const command = program.commands.find((c) => c.name() === group.name) as Command;
      const mod = await group.load();
      mod.register(command, ctx);
    }
    await program.parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    return reportError(error, ctx);
  }
}

function buildProgram(ctx: CliContext, withVersion: boolean): Command {
  const program = new Command('svm').description(
    'Secrets Vault Manager: policies, rotation, audit and secrets across Vault, AWS, GCP and Azure',
  );
  if (withVersion) program.version(VERSION, '-V, --version', 'print the version');
  program
    .option('--json', 'print one JSON document on stdout (errors too)')
    .option('--no-color', 'no colours (also NO_COLOR, or when stdout is not a terminal)')
    .option('-q, --quiet', 'no progress or log lines on stderr')
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .addHelpText(
      'after',
      '\nExit codes: 0 ok · 1 findings at or above --fail-on · 2 usage or input error · 3 provider/network failure · 130 interrupted',
    );
  configure(program, ctx);
  for (const group of COMMAND_GROUPS) {
    const sub = program.command(group.name).description(group.summary);
    configure(sub, ctx);
  }
  return program;
}

function makePrinter(ctx: CliContext, state: { exitCode: number }): (out: AnyCommandOutput) => void {
  return (out) => {
    if (out.raw !== undefined) ctx.io.stdout.write(out.raw);
    else if (out.jsonChunks !== undefined && (ctx.flags.json || !out.text)) {
      for (const chunk of out.jsonChunks) ctx.io.stdout.write(chunk);
    } else if (ctx.flags.json || !out.text) ctx.io.stdout.write(toJsonDocument(out.data));
    else {
      const text = out.text(out.data, ctx);
      if (text) ctx.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    }
    state.exitCode = out.exitCode ?? 0;
  };
}

function preScanFlags(argv: readonly string[], io: CliIo): GlobalFlags {
  const until = argv.indexOf('--');
  const args = until < 0 ? argv : argv.slice(0, until);
  const json = args.includes('--json');
  const quiet = args.includes('--quiet') || args.includes('-q');
  const noColor = args.includes('--no-color');
  return { json, quiet, color: shouldUseColor({ noColorFlag: noColor, env: io.env, isTTY: Boolean(io.stdout.isTTY) }) };
}

/** commander's ways of saying it printed help or the version: exit 0. */
const HELP_SHOWN = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);
/** Errors whose message ends with a pointer to `svm --help`. */
const UNKNOWN = new Set(['commander.unknownCommand', 'commander.unknownOption']);

function reportError(error: unknown, ctx: CliContext): number {
  if (error instanceof CommanderError) {
    if (HELP_SHOWN.has(error.code)) return 0;
    // commander prints help for a bare group (`svm policy`): that is not an error worth a second line.
    if (error.code === 'commander.executeSubCommandAsync') return error.exitCode;
    const message = `${error.message.replace(/^error: /, '')}${UNKNOWN.has(error.code) ? ' (see svm --help)' : ''}`;
    return printError(new SvmError('USAGE', message), ctx);
  }
  return printError(error, ctx);
}

function printError(error: unknown, ctx: CliContext): number {
  const { red } = ctx.colors;
  const out = renderError(error, { json: ctx.flags.json, red, debug: Boolean(ctx.io.env.SVM_DEBUG) });
  if (out.stdout) ctx.io.stdout.write(out.stdout);
  if (out.stderr) ctx.io.stderr.write(out.stderr);
  return out.exitCode;
}
