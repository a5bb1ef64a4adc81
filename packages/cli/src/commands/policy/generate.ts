import { type Command, Option } from 'commander';
import { renderWrappedList } from '@svm/core';
import { type ApplyFlags, type GenerateFlags, LINT_RULE_IDS, type LintFlags } from '@svm/policy';
import { action, collect, collectList, failOnOption } from '../../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../../internal/context.js';
import { VERSION } from '../../version.js';
import { inputReader, statInput } from '../../internal/input.js';

type LintCommandFlags = LintFlags & { format: 'text' | 'json' | 'sarif' };

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
      `\n${renderWrappedList('Rules:', LINT_RULE_IDS)}\n` +
        '\nExit codes: 0 clean, 1 a finding at or above --fail-on (default high), 2 unreadable or invalid input (reported with line numbers).\n\nExamples:\n  svm policy lint policies/\n  svm policy lint policies/ --format sarif > policy-lint.sarif\n  svm policy lint vault/ --kv2-mount secret --kv2-mount kv --fail-on medium',
    )
    .action(action(ctx, async (paths: string[], flags: LintCommandFlags) => lintCommand(ctx, paths, flags)));

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

/** Files read the CLI's way; warnings on stderr. */
function io(ctx: CliContext) {
  return { ...inputReader(ctx.io), warn: (m: string) => ctx.warn(m) };
}

async function generateCommand(
  ctx: CliContext,
  file: string | undefined,
  flags: GenerateFlags,
): Promise<AnyCommandOutput> {
  const { data, exitCode, text } = await (await import('@svm/policy')).generateFromFlags(file, flags, io(ctx));
  return { data, exitCode, text };
}

async function lintCommand(ctx: CliContext, paths: string[], flags: LintCommandFlags): Promise<AnyCommandOutput> {
  const policy = await import('@svm/policy');
  const isDirectory = async (p: string) => (await statInput(ctx.io, p)).isDirectory();
  const { report, data, exitCode } = await policy.lintFromFlags(paths, flags, { ...io(ctx), isDirectory });
  if (flags.format === 'sarif') {
    const sarif = policy.toSarif(report.findings, { version: VERSION });
    return { data, raw: `${JSON.stringify(sarif, null, 2)}\n`, exitCode };
  }
  if (flags.format === 'json') return { data, raw: `${JSON.stringify(data, null, 2)}\n`, exitCode };
  return { data, text: () => policy.renderLintText(report, ctx.colors), exitCode };
}

async function applyCommand(ctx: CliContext, file: string | undefined, flags: ApplyFlags): Promise<AnyCommandOutput> {
  const policy = await import('@svm/policy');
  const { plan, data } = await policy.applyFromFlags(file, flags, {
    ...io(ctx),
    env: ctx.io.env,
    log: (m) => ctx.log(m),
    resolveSecret: async (ref) => (await import('@svm/providers')).readSecretRef(ref, { env: ctx.io.env }),
  });
  return { data, text: () => policy.renderApplyText(plan, data, ctx.colors) };
}
