import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import {
  OPERATIONS,
  type Operation,
  type Policy,
  type PolicyDiffEntry,
  type PolicyEvalResult,
  type PolicyFlavor,
  SvmError,
  Requirements,
  formatLocated,
  loadDocument,
  isSvmError,
  parseDurationSeconds,
  renderTable,
} from '@svm/core';
import type { Decision, EvaluationRequest, WhoCanEntry } from '@svm/policy';
import { action } from '../../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../../internal/context.js';
import { absolutePath, displayPath, readInput } from '../../internal/input.js';

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

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
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

  group
    .command('explain')
    .description(
      'show how a request is decided: each lookup step, every matching rule, the winner and why the others lost',
    )
    .option('--policy <file|dir>', 'policy file or directory (repeatable)', collect)
    .requiredOption('--path <path>', 'request path')
    .addOption(opOption())
    .option('--data <json>', 'request parameters as a JSON object')
    .option('--wrap-ttl <seconds>', 'response-wrapping TTL of the request')
    .addOption(flavorOption())
    .option('--with-default', "also attach Vault's built-in default policy")
    .action(action(ctx, async (flags: RequestFlags) => explainCommand(ctx, flags)));

  group
    .command('who-can')
    .description('which policies (each on its own) allow a request')
    .option('--policy <file|dir>', 'policy file or directory (repeatable)', collect)
    .requiredOption('--path <path>', 'request path')
    .addOption(opOption())
    .option('--data <json>', 'request parameters as a JSON object')
    .option('--wrap-ttl <seconds>', 'response-wrapping TTL of the request')
    .addOption(flavorOption())
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

function abs(ctx: CliContext, p: string): string {
  return absolutePath(ctx.io, p);
}

/** Load --policy paths, keeping the names users typed in messages. */
async function loadSet(
  ctx: CliContext,
  policy: PolicyLib,
  paths: string[] | undefined,
  flag: string,
  flavor: PolicyFlavor,
  withDefault: boolean | undefined,
): Promise<Policy[]> {
  if (!paths?.length) throw new SvmError('USAGE', `${flag} is required (a policy file or a directory of policies)`);
  const loaded = await relativeErrors(ctx, () =>
    policy.loadPolicies(
      paths.map((p) => abs(ctx, p)),
      { flavor },
    ),
  );
  if (loaded.length === 0) throw new SvmError('USAGE', `${flag}: no .hcl or .json policy files in ${paths.join(', ')}`);
  const relative: Policy[] = loaded.map((p) => (p.file === undefined ? p : { ...p, file: shorten(ctx, p.file) }));
  if (withDefault && !relative.some((p) => p.name === 'default')) {
    relative.push(policy.parsePolicy(policy.defaultPolicyHcl(flavor), { name: 'default', file: '<built-in default>' }));
  }
  return relative;
}

/** Re-throw errors with file names relative to the working directory, as the user typed them. */
async function relativeErrors<TResult>(ctx: CliContext, fn: () => Promise<TResult>): Promise<TResult> {
  try {
    return await fn();
  } catch (error) {
    if (isSvmError(error) && error.location.file !== undefined) {
      const file = shorten(ctx, error.location.file);
      const message = error.message.split(error.location.file).join(file);
      throw new SvmError(error.code, message, { ...error.location, file, details: error.details, cause: error });
    }
    throw error;
  }
}

function shorten(ctx: CliContext, file: string): string {
  return displayPath(ctx.io, file);
}

function parseData(text: string | undefined, where: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new SvmError('USAGE', `${where}: expected a JSON object, got invalid JSON (${(cause as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new SvmError('USAGE', `${where}: expected a JSON object such as {"ttl":"1h"}`);
  return value as Record<string, unknown>;
}

function parseWrap(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseDurationSeconds(text);
  } catch {
    throw new SvmError('USAGE', `--wrap-ttl: expected seconds or a duration such as 300 or 5m, got '${text}'`);
  }
}

/** The contract result; `path` echoes the request as given, so callers can join results to their cases. */
function toResult(d: Decision, path: string): PolicyEvalResult {
  const by = d.decidedBy && {
    policy: d.decidedBy.policy,
    pattern: d.decidedBy.pattern,
    capabilities: d.decidedBy.capabilities,
  };
  return { path, op: d.operation, allowed: d.allowed, sudo: d.sudo, capabilities: d.capabilities, decidedBy: by };
}

async function readText(ctx: CliContext, file: string): Promise<{ text: string; name: string }> {
  return readInput(ctx.io, file);
}

async function evalCommand(ctx: CliContext, flags: EvalFlags): Promise<AnyCommandOutput> {
  const flavor = flags.flavor ?? 'vault';
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
  const data = parseData(flags.data, '--data');
  const wrapTtl = parseWrap(flags.wrapTtl);
  const policy = await lib();
  const policies = await loadSet(ctx, policy, flags.policy, '--policy', flavor, flags.withDefault);
  const acl = policy.compilePolicies(policies, { flavor });

  if (flags.batch !== undefined) {
    const { text, name } = await readText(ctx, flags.batch);
    const cases = policy.parseEvalCases(text, name);
    const results = cases.map((c) =>
      toResult(
        policy.evaluate(acl, { path: c.path, operation: c.op ?? 'read', data: c.data, wrapTtl: c.wrapTtl }),
        c.path,
      ),
    );
    return { data: results, raw: results.map((r) => `${JSON.stringify(r)}\n`).join('') };
  }
  const decision = policy.evaluate(acl, { path: flags.path as string, operation: flags.op ?? 'read', data, wrapTtl });
  return { data: toResult(decision, flags.path as string), text: () => renderDecision(ctx, decision) };
}

function where(d: { file?: string | undefined; position?: { line: number; column: number } | undefined }): string {
  return d.file && d.position
    ? ` (${formatLocated({ file: d.file, line: d.position.line, column: d.position.column }, '').replace(/: $/, '')})`
    : '';
}

function renderDecision(ctx: CliContext, d: Decision): string {
  const c = ctx.colors;
  const verdict = d.allowed ? c.green('ALLOWED') : c.red('DENIED');
  const lines = [`${verdict}  ${d.operation} ${d.path}`];
  lines.push(
    `  decided by:    ${d.decidedBy ? `policy "${d.decidedBy.policy}", pattern "${d.decidedBy.pattern}"${where(d.decidedBy)}` : d.reason === 'root' ? 'the root policy' : 'no rule (deny by default)'}`,
  );
  lines.push(`  capabilities:  ${d.capabilities.join(', ')} (sys/capabilities for the path)`);
  if (d.decidedBy && d.decidedBy.capabilities.join() !== d.capabilities.join())
    lines.push(`  rule grants:   ${d.decidedBy.capabilities.join(', ')}`);
  lines.push(`  sudo:          ${d.sudo ? 'yes' : 'no'}`);
  lines.push(`  reason:        ${d.message}`);
  return lines.join('\n');
}

async function requestFrom(flags: RequestFlags): Promise<{
  path: string;
  operation: Operation;
  data: Record<string, unknown> | undefined;
  wrapTtl: number | undefined;
}> {
  return {
    path: flags.path as string,
    operation: flags.op ?? 'read',
    data: parseData(flags.data, '--data'),
    wrapTtl: parseWrap(flags.wrapTtl),
  };
}

async function explainCommand(ctx: CliContext, flags: RequestFlags): Promise<AnyCommandOutput> {
  const flavor = flags.flavor ?? 'vault';
  const request = await requestFrom(flags);
  const policy = await lib();
  const policies = await loadSet(ctx, policy, flags.policy, '--policy', flavor, flags.withDefault);
  const decision = policy.explain(policy.compilePolicies(policies, { flavor }), request);
  return {
    data: decision,
    text: () => {
      const e = decision.explanation;
      const out = [renderDecision(ctx, decision), '', 'Lookup steps:'];
      out.push(
        renderTable(
          ['  STEP', 'PATH', 'MATCHED'],
          e.steps.map((s) => [`  ${s.step}`, s.lookupPath, s.matched ?? '-']),
        ),
      );
      if (e.candidates.length) {
        out.push('', 'Matching rules:');
        out.push(
          renderTable(
            ['  OUTCOME', 'PATTERN', 'CAPABILITIES', 'POLICIES', 'WHY'],
            e.candidates.map((k) => [
              `  ${k.outcome}`,
              k.pattern,
              k.capabilities.join(','),
              k.sources
                .map(
                  (s) =>
                    `${s.policy}${s.file && s.position ? ` ${s.file}:${s.position.line}:${s.position.column}` : ''}`,
                )
                .join('; '),
              k.why,
            ]),
          ),
        );
      } else out.push('', 'No rule matches this path.');
      return out.join('\n');
    },
  };
}

async function whoCanCommand(ctx: CliContext, flags: WhoCanFlags): Promise<AnyCommandOutput> {
  const flavor = flags.flavor ?? 'vault';
  const request = await requestFrom(flags);
  const policy = await lib();
  const policies = await loadSet(ctx, policy, flags.policy, '--policy', flavor, false);
  const along =
    flags.withDefault && !policies.some((p) => p.name === 'default')
      ? [policy.parsePolicy(policy.defaultPolicyHcl(flavor), { name: 'default' })]
      : [];
  const entries = policy.whoCan(policies, request, { flavor, alongWith: along });
  const roles =
    flags.requirements === undefined
      ? undefined
      : await rolesWhoCan(ctx, policy, flags.requirements, policies, request, flavor);
  const data = {
    path: request.path,
    op: request.operation,
    allowed: entries.filter((e) => e.allowed).map((e) => e.policy),
    policies: entries,
    ...(roles ? { roles } : {}),
  };
  return {
    data,
    text: () => {
      const head = `${data.allowed.length} of ${entries.length} ${entries.length === 1 ? 'policy allows' : 'policies allow'} ${request.operation} ${request.path}${along.length ? ' (each with the default policy)' : ''}`;
      const table = renderTable(
        ['POLICY', 'ALLOWED', 'SUDO', 'CAPABILITIES', 'DECIDED BY'],
        entries.map((e: WhoCanEntry) => [
          e.policy,
          e.allowed ? 'yes' : 'no',
          e.sudo ? 'yes' : 'no',
          e.capabilities.join(','),
          e.decidedBy?.pattern ?? '-',
        ]),
      );
      const roleTable = roles?.length
        ? `\n\n${renderTable(
            ['ROLE', 'ALLOWED', 'POLICIES', 'DECIDED BY'],
            roles.map((r) => [
              r.role,
              r.allowed ? 'yes' : 'no',
              r.policies.join(',') + (r.missing.length ? ` (missing: ${r.missing.join(',')})` : ''),
              r.decidedBy ? `${r.decidedBy.policy}: ${r.decidedBy.pattern}` : '-',
            ]),
          )}`
        : '';
      return `${head}\n\n${table}${roleTable}`;
    },
  };
}

/** Each auth role generated from a requirements file, evaluated with all its token_policies. */
async function rolesWhoCan(
  ctx: CliContext,
  policy: PolicyLib,
  file: string,
  policies: Policy[],
  request: EvaluationRequest,
  flavor: PolicyFlavor,
) {
  const { text, name } = await readText(ctx, file);
  const config = policy.generateConfig(loadDocument(text, { file: name }, Requirements));
  return policy.whoCanRoles(config.roles, policies, request, { flavor });
}

async function diffCommand(ctx: CliContext, flags: DiffFlags): Promise<AnyCommandOutput> {
  const flavor = flags.flavor ?? 'vault';
  const policy = await lib();
  const before = await loadSet(ctx, policy, flags.before, '--before', flavor, flags.withDefault);
  const after = await loadSet(ctx, policy, flags.after, '--after', flavor, flags.withDefault);
  const paths: string[] = [...(flags.path ?? [])];
  for (const f of flags.pathsFile ?? []) {
    const { text } = await readText(ctx, f);
    paths.push(
      ...text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#')),
    );
  }
  for (const f of flags.auditLog ?? []) paths.push(...(await auditPaths(ctx, f)));
  for (const f of flags.requirements ?? []) {
    const { text, name } = await readText(ctx, f);
    const requirements = loadDocument(text, { file: name }, Requirements);
    paths.push(...new Set(policy.generateConfig(requirements).probes.map((p) => p.path)));
  }
  const source = paths.length ? 'given' : 'sampled from the patterns of both sets';
  if (!paths.length) paths.push(...policy.samplePaths([...before, ...after]));
  const entries = policy.diffPolicies(before, after, paths, { flavor });
  const changed = entries.filter((e) => e.added.length || e.removed.length);
  const shown = flags.all ? entries : changed;
  const data = { paths: entries.length, changed: changed.length, entries: shown };
  return {
    data,
    exitCode: flags.exitCode && changed.length ? 1 : 0,
    text: () => {
      const head = `${changed.length} of ${entries.length} paths changed (paths ${source})`;
      if (!shown.length) return head;
      return `${head}\n\n${renderTable(
        ['PATH', 'BEFORE', 'AFTER', 'ADDED', 'REMOVED'],
        shown.map((e: PolicyDiffEntry) => [
          e.path,
          e.before.join(','),
          e.after.join(','),
          e.added.length ? ctx.colors.green(`+${e.added.join(',+')}`) : '-',
          e.removed.length ? ctx.colors.red(`-${e.removed.join(',-')}`) : '-',
        ]),
      )}`;
    },
  };
}

/** Request paths from a Vault/OpenBao JSON audit log (parsed by @svm/audit). */
async function auditPaths(ctx: CliContext, file: string): Promise<string[]> {
  const { text } = await readText(ctx, file);
  const { vaultRequestPaths } = await import('@svm/audit');
  const { paths, skipped } = vaultRequestPaths(text);
  if (skipped) ctx.warn(`${file}: ${skipped} line(s) without a request path were skipped`);
  return paths;
}

async function fmtCommand(ctx: CliContext, files: string[], flags: FmtFlags): Promise<AnyCommandOutput> {
  const policy = await lib();
  if (flags.check && flags.write) throw new SvmError('USAGE', '--check and --write cannot be combined');
  const loaded = await relativeErrors(ctx, () => policy.loadPolicies(files.map((f) => abs(ctx, f))));
  if (!flags.check && !flags.write && loaded.length !== 1) {
    throw new SvmError('USAGE', `fmt prints one file; got ${loaded.length}. Use --check or --write for several files`);
  }
  const results: { file: string; changed: boolean; formatted: string }[] = [];
  for (const p of loaded) {
    const file = p.file as string;
    const original = (await readInput(ctx.io, file)).text;
    const formatted = original
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('{')
      ? policy.formatPolicyJson(p)
      : policy.formatPolicy(p, { source: original });
    results.push({ file: shorten(ctx, file), changed: formatted !== original, formatted });
  }
  if (!flags.check && !flags.write) {
    const only = results[0] as { formatted: string; file: string; changed: boolean };
    return {
      data: { file: only.file, changed: only.changed, formatted: only.formatted },
      raw: ctx.flags.json ? undefined : only.formatted,
    };
  }
  const changed = results.filter((r) => r.changed);
  if (flags.write) for (const r of changed) await writeFile(abs(ctx, r.file), r.formatted);
  const data = {
    files: results.map((r) => ({ file: r.file, changed: r.changed })),
    changed: changed.map((r) => r.file),
  };
  return {
    data,
    exitCode: flags.check && changed.length ? 1 : 0,
    text: () =>
      changed.length
        ? `${changed.map((r) => r.file).join('\n')}\n${flags.write ? `reformatted ${changed.length} file(s)` : `${changed.length} file(s) not formatted (run svm policy fmt --write)`}`
        : `${results.length} file(s) already formatted`,
  };
}
