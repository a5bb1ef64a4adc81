import { type Command, Option } from 'commander';
import { OPERATIONS } from '@svm/core';
import type { EvalFlags, PolicyDiffFlags, RequestFlags, WhoCanFlags } from '@svm/policy';
import { action, collect } from '../../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../../internal/context.js';
import { inputReader, readInput } from '../../internal/input.js';

type DiffFlags = PolicyDiffFlags & { exitCode?: boolean };
interface FmtFlags {
  check?: boolean;
  write?: boolean;
}

const flavorOption = () =>
  new Option('--flavor <flavor>', 'server semantics where Vault and OpenBao differ')
    .choices(['vault', 'openbao'])
    .default('vault');
const opOption = () => new Option('--op <op>', 'operation').choices([...OPERATIONS]).default('read');

/** Adds this part's `svm policy` subcommands: eval, explain, who-can, diff, fmt. */
export function registerEngineCommands(group: Command, ctx: CliContext): void {
  group
    .command('eval')
    .description('decide requests offline exactly as Vault/OpenBao would, and say which policy and pattern decided')
    .option('--policy <file|dir>', 'policy file, or a directory of .hcl/.json policies (repeatable)', collect)
    .option('--path <path>', 'request path, e.g. secret/data/app/db')
    .addOption(opOption())
    .option('--data <json>', 'request parameters as a JSON object (checked against allowed/denied/required parameters)')
    .option('--wrap-ttl <seconds>', 'response-wrapping TTL of the request (seconds or a duration such as 5m)')
    .option(
      '--batch <file>',
      'NDJSON cases {"path","op"?,"data"?,"wrapTtl"?}, one per line (- for standard input); prints one result per line',
    )
    .addOption(flavorOption())
    .option(
      '--with-default',
      "also attach Vault's built-in default policy (tokens get it unless no_default_policy is set)",
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 when evaluation happened (allowed or not), 2 on usage or policy errors.\n\nExamples:\n  svm policy eval --policy policies/ --path secret/data/app/db --op read --json\n  svm policy eval --policy app.hcl --path auth/token/create --op update --data \'{"policies":"admin"}\'\n  svm policy eval --policy policies/ --batch cases.ndjson --flavor openbao',
    )
    .action(action(ctx, async (flags: EvalFlags) => evalCommand(ctx, flags)));

  // explain and who-can take the same request.
  const request = (name: string, description: string) =>
    group
      .command(name)
      .description(description)
      .option('--policy <file|dir>', 'policy file or directory (repeatable)', collect)
      .requiredOption('--path <path>', 'request path')
      .addOption(opOption())
      .option('--data <json>', 'request parameters as a JSON object')
      .option('--wrap-ttl <seconds>', 'response-wrapping TTL of the request')
      .addOption(flavorOption());
  request(
    'explain',
    'show how a request is decided: each lookup step, every matching rule, the winner and why the others lost',
  )
    .option('--with-default', "also attach Vault's built-in default policy")
    .action(action(ctx, async (flags: RequestFlags) => explainCommand(ctx, flags)));

  request('who-can', 'which policies (each on its own) allow a request')
    .option('--with-default', "evaluate each policy together with Vault's built-in default policy")
    .option(
      '--requirements <file>',
      'also answer per auth role generated from this requirements file (each role with all its token_policies)',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 when the question was answered (also when no policy allows the request), 2 on usage or policy errors.\n\nExamples:\n  svm policy who-can --policy policies/ --path secret/data/payments/stripe --op read\n  svm policy who-can --policy policies/ --path sys/audit --op read --json\n  svm policy who-can --policy policies/ --requirements requirements.yaml --path secret/data/app/db --op update',
    )
    .action(action(ctx, async (flags: WhoCanFlags) => whoCanCommand(ctx, flags)));

  group
    .command('diff')
    .description('effective-permission change between two policy sets: capabilities added and removed per path')
    .requiredOption('--before <file|dir>', 'policies before (repeatable)', collect)
    .requiredOption('--after <file|dir>', 'policies after (repeatable)', collect)
    .option('--path <path>', 'a path to compare (repeatable)', collect)
    .option('--paths-file <file>', 'file with one path per line (repeatable)', collect)
    .option(
      '--audit-log <file>',
      'Vault/OpenBao JSON audit log: compare every request path in it (repeatable)',
      collect,
    )
    .option(
      '--requirements <file>',
      'application requirements (YAML/JSON): compare every path the generator grants for them (repeatable)',
      collect,
    )
    .addOption(flavorOption())
    .option('--with-default', "attach Vault's built-in default policy to both sets")
    .option('--all', 'also list paths whose capabilities did not change')
    .option('--exit-code', 'exit 1 when any path changed (for CI drift checks)')
    .addHelpText(
      'after',
      '\nWithout --path, --paths-file, --audit-log or --requirements, the paths are sample paths under every pattern of both sets.',
    )
    .action(action(ctx, async (flags: DiffFlags) => diffCommand(ctx, flags)));

  group
    .command('fmt')
    .description('format policy files canonically (prints the result; --check or --write for many files)')
    .argument('<files...>', 'policy files or directories')
    .option('--check', 'exit 1 and list the files that are not formatted')
    .option('--write', 'rewrite the files in place')
    .action(action(ctx, async (files: string[], flags: FmtFlags) => fmtCommand(ctx, files, flags)));
}

async function evalCommand(ctx: CliContext, flags: EvalFlags): Promise<AnyCommandOutput> {
  const policy = await import('@svm/policy');
  const out = await policy.evalFromFlags(flags, inputReader(ctx.io));
  if (out.batch) return { data: out.batch, raw: out.batch.map((r) => `${JSON.stringify(r)}\n`).join('') };
  return { data: out.result, text: () => policy.renderDecisionText(out.decision, ctx.colors) };
}

async function explainCommand(ctx: CliContext, flags: RequestFlags): Promise<AnyCommandOutput> {
  const policy = await import('@svm/policy');
  const decision = await policy.explainFromFlags(flags, inputReader(ctx.io));
  return { data: decision, text: () => policy.renderExplanationText(decision, ctx.colors) };
}

async function whoCanCommand(ctx: CliContext, flags: WhoCanFlags): Promise<AnyCommandOutput> {
  const policy = await import('@svm/policy');
  const data = await policy.whoCanFromFlags(flags, inputReader(ctx.io));
  return { data, text: () => policy.renderWhoCanText(data, flags) };
}

async function diffCommand(ctx: CliContext, flags: DiffFlags): Promise<AnyCommandOutput> {
  const policy = await import('@svm/policy');
  const { report, sampled } = await policy.diffFromFlags(flags, {
    ...inputReader(ctx.io),
    auditPaths: (f) => auditPaths(ctx, f),
  });
  return {
    data: report,
    exitCode: flags.exitCode && report.changed ? 1 : 0,
    text: () => policy.renderPolicyDiffText(report, { sampled, style: ctx.colors }),
  };
}

/** Request paths from a Vault/OpenBao JSON audit log (parsed by @svm/audit). */
async function auditPaths(ctx: CliContext, file: string): Promise<string[]> {
  const { text } = await readInput(ctx.io, file);
  const { vaultRequestPaths } = await import('@svm/audit');
  const { paths, skipped } = vaultRequestPaths(text);
  if (skipped) ctx.warn(`${file}: ${skipped} line(s) without a request path were skipped`);
  return paths;
}

async function fmtCommand(ctx: CliContext, files: string[], flags: FmtFlags): Promise<AnyCommandOutput> {
  const policy = await import('@svm/policy');
  const out = await policy.fmtFromFlags(files, flags, { cwd: ctx.io.cwd });
  if (out.print) return { data: out.print, raw: ctx.flags.json ? undefined : out.print.formatted };
  return { data: out.document, exitCode: out.exitCode, text: () => policy.renderFormatSummary(out.results, flags) };
}
