import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { OPERATIONS, type Operation, type PolicyFlavor, Requirements, SvmError, loadDocument } from '@svm/core';
import type { FormattedPolicyFile } from '@svm/policy';
import { action, collect } from '../../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../../internal/context.js';
import { readInput } from '../../internal/input.js';

type PolicyLib = typeof import('@svm/policy');

interface CommonFlags {
  policy?: string[];
  flavor?: PolicyFlavor;
  withDefault?: boolean;
}
interface RequestFlags extends CommonFlags {
  path?: string;
  op?: Operation;
  data?: string;
  wrapTtl?: string;
}
interface WhoCanFlags extends RequestFlags {
  requirements?: string;
}
interface EvalFlags extends RequestFlags {
  batch?: string;
}
interface DiffFlags {
  before: string[];
  after: string[];
  path?: string[];
  pathsFile?: string[];
  auditLog?: string[];
  requirements?: string[];
  flavor?: PolicyFlavor;
  withDefault?: boolean;
  all?: boolean;
  exitCode?: boolean;
}
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

async function lib(): Promise<PolicyLib> {
  return import('@svm/policy');
}

/** Load --policy (or --before/--after) paths, keeping the names users typed in messages. */
async function loadSet(ctx: CliContext, paths: string[] | undefined, label: string, flags: CommonFlags) {
  const { loadPolicySet } = await lib();
  return loadPolicySet(paths, { cwd: ctx.io.cwd, flavor: flags.flavor, withDefault: flags.withDefault, label });
}

async function evalCommand(ctx: CliContext, flags: EvalFlags): Promise<AnyCommandOutput> {
  if (
    flags.batch !== undefined &&
    (flags.path !== undefined || flags.data !== undefined || flags.wrapTtl !== undefined)
  ) {
    throw new SvmError(
      'USAGE',
      '--batch takes the path, op, data and wrapTtl from each line; do not combine it with --path, --data or --wrap-ttl',
    );
  }
  if (flags.batch === undefined && flags.path === undefined)
    throw new SvmError('USAGE', 'give --path <path> (or --batch <cases.ndjson>)');
  const policy = await lib();
  const request = policy.requestFromText({ ...flags, path: flags.path as string });
  const acl = policy.compilePolicies(await loadSet(ctx, flags.policy, '--policy', flags), { flavor: flags.flavor });

  if (flags.batch !== undefined) {
    const { text, name } = await readInput(ctx.io, flags.batch);
    const results = policy.evaluateCases(acl, policy.parseEvalCases(text, name));
    return { data: results, raw: results.map((r) => `${JSON.stringify(r)}\n`).join('') };
  }
  const decision = policy.evaluate(acl, request);
  return {
    data: policy.toEvalResult(decision, request.path),
    text: () => policy.renderDecisionText(decision, ctx.colors),
  };
}

async function explainCommand(ctx: CliContext, flags: RequestFlags): Promise<AnyCommandOutput> {
  const policy = await lib();
  const request = policy.requestFromText({ ...flags, path: flags.path as string });
  const policies = await loadSet(ctx, flags.policy, '--policy', flags);
  const decision = policy.explain(policy.compilePolicies(policies, { flavor: flags.flavor }), request);
  return { data: decision, text: () => policy.renderExplanationText(decision, ctx.colors) };
}

async function whoCanCommand(ctx: CliContext, flags: WhoCanFlags): Promise<AnyCommandOutput> {
  const policy = await lib();
  const request = policy.requestFromText({ ...flags, path: flags.path as string });
  const policies = await loadSet(ctx, flags.policy, '--policy', { ...flags, withDefault: false });
  const requirements = flags.requirements === undefined ? undefined : await readRequirements(ctx, flags.requirements);
  const options = { flavor: flags.flavor, withDefault: flags.withDefault, requirements };
  const data = policy.whoCanReport(policies, request, options);
  return { data, text: () => policy.renderWhoCanText(data, options) };
}

async function readRequirements(ctx: CliContext, file: string): Promise<Requirements> {
  const { text, name } = await readInput(ctx.io, file);
  return loadDocument(text, { file: name }, Requirements);
}

async function diffCommand(ctx: CliContext, flags: DiffFlags): Promise<AnyCommandOutput> {
  const policy = await lib();
  const before = await loadSet(ctx, flags.before, '--before', flags);
  const after = await loadSet(ctx, flags.after, '--after', flags);
  const paths: string[] = [...(flags.path ?? [])];
  for (const f of flags.pathsFile ?? []) paths.push(...policy.pathsFromList((await readInput(ctx.io, f)).text));
  for (const f of flags.auditLog ?? []) paths.push(...(await auditPaths(ctx, f)));
  for (const f of flags.requirements ?? []) paths.push(...policy.requirementPaths(await readRequirements(ctx, f)));
  const data = policy.diffPolicySets(before, after, { paths, flavor: flags.flavor, all: flags.all });
  return {
    data,
    exitCode: flags.exitCode && data.changed ? 1 : 0,
    text: () => policy.renderPolicyDiffText(data, { sampled: paths.length === 0, style: ctx.colors }),
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
  const policy = await lib();
  if (flags.check && flags.write) throw new SvmError('USAGE', '--check and --write cannot be combined');
  const results = await policy.formatPolicyFiles(files, { cwd: ctx.io.cwd });
  if (!flags.check && !flags.write) {
    if (results.length !== 1)
      throw new SvmError(
        'USAGE',
        `fmt prints one file; got ${results.length}. Use --check or --write for several files`,
      );
    const { file, changed, formatted } = results[0] as FormattedPolicyFile;
    return { data: { file, changed, formatted }, raw: ctx.flags.json ? undefined : formatted };
  }
  const changed = results.filter((r) => r.changed);
  if (flags.write) for (const r of changed) await writeFile(r.path, r.formatted);
  return {
    data: { files: results.map((r) => ({ file: r.file, changed: r.changed })), changed: changed.map((r) => r.file) },
    exitCode: flags.check && changed.length ? 1 : 0,
    text: () => policy.renderFormatSummary(results, flags),
  };
}
