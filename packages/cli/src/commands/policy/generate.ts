import { type Command, Option } from 'commander';
import { type Requirements, type Severity, SvmError, loadDocument } from '@svm/core';
import { LINT_RULE_IDS, type LintSource } from '@svm/policy';
import { action, collect, collectList, failOnOption, helpList } from '../../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../../internal/context.js';
import { VERSION } from '../../version.js';
import { absolutePath, readInput, statInput } from '../../internal/input.js';

type PolicyLib = typeof import('@svm/policy');

/** Loaded lazily: the generator, linter and apply client stay off the CLI start-up path. */
function lib(): Promise<PolicyLib> {
  return import('@svm/policy');
}

interface SourceFlags {
  appName?: string;
  authMethod?: string;
  secrets?: string;
  environment?: string;
  namespace?: string;
}
interface GenerateFlags extends SourceFlags {
  format: string[];
  out?: string;
  check?: boolean;
}
interface LintFlags {
  format: 'text' | 'json' | 'sarif';
  failOn: Severity | 'none';
  kv2Mount?: string[];
  flavor: 'vault' | 'openbao';
}
interface ApplyFlags extends SourceFlags {
  address?: string;
  dryRun?: boolean;
  vaultNamespace?: string;
}

function addSourceOptions(command: Command): Command {
  return command
    .option(
      '--app-name <name>',
      'shortcut without a requirements file: the service name (as vault_config_generator.py)',
    )
    .addOption(
      new Option('--auth-method <method>', 'shortcut: how the service logs in').choices([
        'approle',
        'kubernetes',
        'oidc',
      ]),
    )
    .option(
      '--secrets <types>',
      'shortcut: comma-separated db-creds,db-admin,api-key,tls-cert,encryption,ssh-cert,config',
    )
    .option('--environment <env>', 'shortcut: environment (default production)')
    .option('--namespace <ns>', 'shortcut: Kubernetes namespace of the service account (default default)');
}

/** Adds this part's `svm policy` subcommands: generate, lint, apply. */
export function registerGenerateCommands(group: Command, ctx: CliContext): void {
  addSourceOptions(
    group
      .command('generate')
      .description('generate least-privilege Vault policies, auth roles and CI/CD glue from application requirements')
      .argument('[requirements]', 'requirements file (YAML or JSON; - for standard input)'),
  )
    .option(
      '--format <targets>',
      'hcl, vault-script, bao-script, terraform, api-json, agent-annotations, eso, github-actions, or all (comma-separated or repeated)',
      collect,
    )
    .option('--out <dir>', 'write the files under this directory instead of printing them')
    .option(
      '--check',
      'with --out: write nothing, exit 1 when the files there differ from what would be generated (for CI)',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 ok; with --check, 1 when the files under --out are out of date; 2 on usage or input errors.\n\nExamples:\n  svm policy generate requirements.yaml --format all --out generated/\n  svm policy generate requirements.yaml --format all --out generated/ --check   # in CI\n  svm policy generate requirements.yaml --format terraform > vault.tf\n  svm policy generate --app-name payment-service --auth-method approle --secrets db-creds,api-key',
    )
    .action(action(ctx, async (file: string | undefined, flags: GenerateFlags) => generateCommand(ctx, file, flags)));

  group
    .command('lint')
    .description(
      'lint Vault policies and auth roles: catch-alls, sys/ access, sudo, KV v2 paths, shadowed rules, weak roles',
    )
    .argument(
      '<paths...>',
      'policy files (.hcl, .json), Terraform (.tf), api-json/role documents (.json, .yaml), or directories of them',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(failOnOption('high'))
    .option('--kv2-mount <mount>', 'a KV v2 mount (repeatable; default secret)', collectList)
    .addOption(
      new Option('--flavor <flavor>', 'server semantics for the shadowing analysis')
        .choices(['vault', 'openbao'])
        .default('vault'),
    )
    .addHelpText(
      'after',
      `\n${helpList('Rules:', LINT_RULE_IDS)}\n` +
        '\nExit codes: 0 clean, 1 a finding at or above --fail-on (default high), 2 unreadable or invalid input (reported with line numbers).\n\nExamples:\n  svm policy lint policies/\n  svm policy lint policies/ --format sarif > policy-lint.sarif\n  svm policy lint vault/ --kv2-mount secret --kv2-mount kv --fail-on medium',
    )
    .action(action(ctx, async (paths: string[], flags: LintFlags) => lintCommand(ctx, paths, flags)));

  addSourceOptions(
    group
      .command('apply')
      .description(
        'configure the secrets engines and write the generated policies and auth roles to a Vault/OpenBao server, showing the difference first',
      )
      .argument('[requirements]', 'requirements file (YAML or JSON; - for standard input)'),
  )
    .option('--address <url>', 'server address (default VAULT_ADDR, then BAO_ADDR)')
    .option(
      '--vault-namespace <ns>',
      'parent namespace for every request (default VAULT_NAMESPACE, then BAO_NAMESPACE)',
    )
    .option('--dry-run', 'show the difference and write nothing')
    .addHelpText(
      'after',
      '\nThe token comes from VAULT_TOKEN (or BAO_TOKEN); it needs write access to sys/policies/acl/* and auth/<mount>/role/*\n(and sys/mounts plus the engine paths when the file has engines:). Auth methods must already be enabled at their mounts.\nDatabase admin passwords are read from their store (SVM_FILE_PASSPHRASE for file://) only when a connection is created.\nA second apply writes nothing.\n\nExamples:\n  svm policy apply requirements.yaml --dry-run\n  VAULT_ADDR=https://vault:8200 svm policy apply requirements.yaml --json',
    )
    .action(action(ctx, async (file: string | undefined, flags: ApplyFlags) => applyCommand(ctx, file, flags)));
}

async function loadRequirements(ctx: CliContext, file: string | undefined, flags: SourceFlags): Promise<Requirements> {
  const { requirementsFromShortcut } = await lib();
  const shortcut = requirementsFromShortcut(file, flags);
  if (shortcut) return shortcut;
  const { text, name } = await readInput(ctx.io, file as string);
  const { Requirements: schema } = await import('@svm/core');
  return loadDocument(text, { file: name }, schema);
}

async function generateCommand(
  ctx: CliContext,
  file: string | undefined,
  flags: GenerateFlags,
): Promise<AnyCommandOutput> {
  const policy = await lib();
  const targets = policy.parseTargets(flags.format ?? ['hcl', 'vault-script']);
  const requirements = await loadRequirements(ctx, file, flags);
  const config = policy.generateConfig(requirements);
  for (const w of config.warnings) ctx.warn(w);
  const files = policy.renderTargets(config, targets);
  const data = policy.generateDocument(requirements, config, files);
  const out = flags.out;
  if (out === undefined) {
    if (flags.check) throw new SvmError('USAGE', '--check compares with the files under --out <dir>; give --out');
    return { data, text: () => policy.renderGeneratedFiles(files) };
  }
  const paths = files.map((f) => ({ target: f.target, path: f.path }));
  if (flags.check) {
    const stale = await policy.staleGeneratedFiles(absolutePath(ctx.io, out), files);
    return {
      data: { ...data, out, files: paths, upToDate: stale.length === 0, stale },
      exitCode: stale.length === 0 ? 0 : 1,
      text: () => policy.renderStaleFiles(stale, files.length, out),
    };
  }
  await policy.writeGeneratedFiles(absolutePath(ctx.io, out), files);
  return { data: { ...data, out, files: paths }, text: () => policy.renderGenerateSummary(config, files, out) };
}

async function lintCommand(ctx: CliContext, paths: string[], flags: LintFlags): Promise<AnyCommandOutput> {
  const policy = await lib();
  const sources: LintSource[] = [];
  for (const p of paths) {
    if (p !== '-' && (await statInput(ctx.io, p)).isDirectory())
      sources.push(...(await policy.findLintSources(absolutePath(ctx.io, p), { shownAs: p })));
    else sources.push(await readInput(ctx.io, p).then(({ text, name }) => ({ file: name, text })));
  }
  if (sources.length === 0)
    throw new SvmError('USAGE', `no policy files (.hcl, .json, .yaml, .tf) found in ${paths.join(', ')}`);
  const report = await policy.lintFiles(sources, { kv2Mounts: flags.kv2Mount, flavor: flags.flavor });
  const exitCode = policy.lintExitCode(report, flags.failOn);
  const data = { findings: report.findings.map(policy.lintFindingJson) };
  if (flags.format === 'sarif') {
    const sarif = policy.toSarif(report.findings, { version: VERSION });
    return { data, raw: `${JSON.stringify(sarif, null, 2)}\n`, exitCode };
  }
  if (flags.format === 'json') return { data, raw: `${JSON.stringify(data, null, 2)}\n`, exitCode };
  return { data, text: () => policy.renderLintText(report, ctx.colors), exitCode };
}

async function applyCommand(ctx: CliContext, file: string | undefined, flags: ApplyFlags): Promise<AnyCommandOutput> {
  const policy = await lib();
  const connection = policy.vaultConnection(ctx.io.env, { address: flags.address, namespace: flags.vaultNamespace });
  const config = policy.generateConfig(await loadRequirements(ctx, file, flags));
  for (const w of config.warnings) ctx.warn(w);
  const api = policy.createVaultClient(connection);
  const { address } = connection;
  ctx.log(
    `Reading ${config.engines.length} engine objects, ${config.policies.length} policies and ${config.roles.length} auth roles from ${address}…`,
  );
  const plan = await policy.planApply(config, api);
  let written = 0;
  if (!flags.dryRun && plan.summary.create + plan.summary.update > 0) {
    ctx.log(`Writing ${plan.summary.create + plan.summary.update} objects…`);
    const { readSecretRef } = await import('@svm/providers');
    const resolveSecret = (ref: Parameters<typeof readSecretRef>[0]) => readSecretRef(ref, { env: ctx.io.env });
    written = (await policy.applyPlan(plan, api, { resolveSecret })).written;
  }
  const data = policy.applyDocument(plan, { address, dryRun: Boolean(flags.dryRun), written });
  return { data, text: () => policy.renderApplyText(plan, data, ctx.colors) };
}
