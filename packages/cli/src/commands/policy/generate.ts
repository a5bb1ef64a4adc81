import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { type Command, Option } from 'commander';
import {
  type Finding,
  type Requirements,
  SEVERITIES,
  type Severity,
  SvmError,
  loadDocument,
  severityAtLeast,
} from '@svm/core';
import {
  type ApplyPlan,
  type GeneratedConfig,
  type GeneratedFile,
  LINT_RULE_IDS,
  type LintReport,
  type LintSource,
  findPolicyFiles,
} from '@svm/policy';
import { action, failOnOption, helpList } from '../../internal/command.js';
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

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

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
    .option('--kv2-mount <mount>', 'a KV v2 mount (repeatable; default secret)', collect)
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
        'write the generated policies and auth roles to a Vault/OpenBao server, showing the difference first',
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
      '\nThe token comes from VAULT_TOKEN (or BAO_TOKEN); it needs write access to sys/policies/acl/* and auth/<mount>/role/*.\nAuth methods must already be enabled at their mounts. A second apply writes nothing.\n\nExamples:\n  svm policy apply requirements.yaml --dry-run\n  VAULT_ADDR=https://vault:8200 svm policy apply requirements.yaml --json',
    )
    .action(action(ctx, async (file: string | undefined, flags: ApplyFlags) => applyCommand(ctx, file, flags)));
}

// ---------------------------------------------------------------------------------------------- generate

async function loadRequirements(
  ctx: CliContext,
  file: string | undefined,
  flags: SourceFlags,
  policy: PolicyLib,
): Promise<Requirements> {
  const shortcut = flags.appName !== undefined || flags.authMethod !== undefined || flags.secrets !== undefined;
  if (file !== undefined && shortcut)
    throw new SvmError(
      'USAGE',
      'give a requirements file or the --app-name/--auth-method/--secrets shortcut, not both',
    );
  if (shortcut) {
    const missing = [
      ['--app-name', flags.appName],
      ['--auth-method', flags.authMethod],
      ['--secrets', flags.secrets],
    ]
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    if (missing.length > 0) throw new SvmError('USAGE', `the shortcut needs ${missing.join(', ')}`);
    return policy.requirementsFromFlags({
      appName: flags.appName as string,
      authMethod: flags.authMethod as string,
      secrets: flags.secrets as string,
      environment: flags.environment,
      namespace: flags.namespace,
    });
  }
  if (file === undefined)
    throw new SvmError('USAGE', 'missing requirements file (or use --app-name, --auth-method and --secrets)');
  if (flags.environment !== undefined || flags.namespace !== undefined)
    throw new SvmError(
      'USAGE',
      '--environment and --namespace belong to the shortcut form; set environments in the requirements file',
    );
  const { text, name } = await readText(ctx, file);
  const { Requirements: schema } = await import('@svm/core');
  return loadDocument(text, { file: name }, schema);
}

interface GenerateData {
  applications: number;
  policies: Array<{ name: string; app: string; environment: string; namespace?: string | undefined; hcl: string }>;
  roles: Array<{
    method: string;
    mount: string;
    name: string;
    app: string;
    environment: string;
    namespace?: string | undefined;
    body: Record<string, unknown>;
  }>;
  files: Array<{ target: string; path: string; content?: string }>;
  out?: string;
  warnings: string[];
}

async function generateCommand(
  ctx: CliContext,
  file: string | undefined,
  flags: GenerateFlags,
): Promise<AnyCommandOutput> {
  const policy = await lib();
  const targets = policy.parseTargets(flags.format ?? ['hcl', 'vault-script']);
  const requirements = await loadRequirements(ctx, file, flags, policy);
  const config = policy.generateConfig(requirements);
  for (const w of config.warnings) ctx.warn(w);
  const files = policy.renderTargets(config, targets);
  const data: GenerateData = {
    applications: requirements.applications.length,
    policies: config.policies.map((p) => ({
      name: p.name,
      app: p.app,
      environment: p.environment,
      namespace: p.namespace,
      hcl: p.hcl,
    })),
    roles: config.roles.map((r) => ({
      method: r.method,
      mount: r.mount,
      name: r.name,
      app: r.app,
      environment: r.environment,
      namespace: r.namespace,
      body: r.body,
    })),
    files: files.map((f) => ({ target: f.target, path: f.path, content: f.content })),
    warnings: config.warnings,
  };
  if (flags.check) {
    if (flags.out === undefined)
      throw new SvmError('USAGE', '--check compares with the files under --out <dir>; give --out');
    const outDir = abs(ctx, flags.out);
    const stale: Array<{ path: string; state: 'missing' | 'different' }> = [];
    for (const f of files) {
      let current: string | undefined;
      try {
        current = await readFile(join(outDir, f.path), 'utf8');
      } catch {
        current = undefined;
      }
      if (current !== f.content) stale.push({ path: f.path, state: current === undefined ? 'missing' : 'different' });
    }
    const checkData = {
      ...data,
      out: flags.out,
      files: files.map((f) => ({ target: f.target, path: f.path })),
      upToDate: stale.length === 0,
      stale,
    };
    return {
      data: checkData,
      exitCode: stale.length === 0 ? 0 : 1,
      text: () =>
        stale.length === 0
          ? `${files.length} generated files under ${flags.out} are up to date.`
          : [
              `${stale.length} of ${files.length} generated files under ${flags.out} are out of date (run svm policy generate with --out to update them):`,
              ...stale.map((x) => `  ${x.state === 'missing' ? 'missing  ' : 'different'} ${x.path}`),
            ].join('\n'),
    };
  }
  if (flags.out !== undefined) {
    const outDir = abs(ctx, flags.out);
    await writeFiles(outDir, files);
    data.out = flags.out;
    data.files = files.map((f) => ({ target: f.target, path: f.path }));
    return { data, text: () => generatedSummary(config, files, flags.out as string) };
  }
  return { data, text: () => printFiles(files) };
}

async function writeFiles(outDir: string, files: GeneratedFile[]): Promise<void> {
  for (const f of files) {
    const target = join(outDir, f.path);
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content, { mode: f.path.endsWith('.sh') ? 0o755 : 0o644 });
    } catch (cause) {
      throw new SvmError('FILE_UNREADABLE', `cannot write ${target}: ${(cause as Error).message}`, {
        file: target,
        cause,
      });
    }
  }
}

function printFiles(files: GeneratedFile[]): string {
  if (files.length === 1) return (files[0] as GeneratedFile).content;
  return files.map((f) => `${f.path.endsWith('.json') ? '//' : '#'} ==> ${f.path} <==\n${f.content}`).join('\n');
}

function generatedSummary(config: GeneratedConfig, files: GeneratedFile[], out: string): string {
  const apps = new Set(config.policies.map((p) => p.app)).size;
  const lines = [
    `Generated ${config.policies.length} policies and ${config.roles.length} auth roles for ${apps} application${apps === 1 ? '' : 's'}; wrote ${files.length} files under ${out}:`,
  ];
  for (const f of files) lines.push(`  ${f.path}`);
  return lines.join('\n');
}

// -------------------------------------------------------------------------------------------------- lint

const LINTABLE = /\.(hcl|json|ya?ml|tf)$/i;
const TERRAFORM_VAULT =
  /"vault_(policy|policy_document|approle_auth_backend_role|kubernetes_auth_backend_role|jwt_auth_backend_role)"/;

async function collectSources(ctx: CliContext, paths: string[]): Promise<LintSource[]> {
  const sources: LintSource[] = [];
  for (const p of paths) {
    if (p === '-') {
      sources.push(await readText(ctx, p).then(({ text, name }) => ({ file: name, text })));
      continue;
    }
    const full = abs(ctx, p);
    const info = await statInput(ctx.io, p);
    if (!info.isDirectory()) {
      sources.push({ file: p, text: (await readText(ctx, p)).text });
      continue;
    }
    for (const file of await findPolicyFiles(full, { recursive: true, match: LINTABLE })) {
      const shown = join(p, relative(full, file));
      const { text } = await readText(ctx, file);
      // Inside a directory, a JSON/YAML file counts only when it looks like a policy or a requests/roles document.
      if (
        /\.tf$/i.test(file)
          ? !TERRAFORM_VAULT.test(text)
          : !/\.hcl$/i.test(file) && !/"?\b(path|requests|roles)"?\s*:/.test(text)
      )
        continue;
      sources.push({ file: shown, text });
    }
  }
  return sources;
}

async function lintCommand(ctx: CliContext, paths: string[], flags: LintFlags): Promise<AnyCommandOutput> {
  const policy = await lib();
  const sources = await collectSources(ctx, paths);
  if (sources.length === 0)
    throw new SvmError('USAGE', `no policy files (.hcl, .json, .yaml, .tf) found in ${paths.join(', ')}`);
  const kv2Mounts = flags.kv2Mount
    ?.flatMap((m) => m.split(','))
    .map((m) => m.trim())
    .filter(Boolean);
  const report = await policy.lintFiles(sources, { kv2Mounts, flavor: flags.flavor });
  const exitCode =
    report.invalid > 0
      ? 2
      : flags.failOn !== 'none' && report.findings.some((f) => severityAtLeast(f.severity, flags.failOn as Severity))
        ? 1
        : 0;
  const findings = report.findings.map(contractFinding);
  if (flags.format === 'sarif') {
    return {
      data: { findings },
      raw: `${JSON.stringify(policy.toSarif(report.findings, { version: VERSION }), null, 2)}\n`,
      exitCode,
    };
  }
  if (flags.format === 'json')
    return { data: { findings }, raw: `${JSON.stringify({ findings }, null, 2)}\n`, exitCode };
  return { data: { findings }, text: () => lintText(ctx, report), exitCode };
}

/** Exactly the fields of the lint JSON contract: rule, category, severity, message, file, line, fix?. */
function contractFinding(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = {
    rule: f.rule,
    category: f.category,
    severity: f.severity,
    message: f.message,
    file: f.file ?? null,
    line: f.line ?? null,
  };
  if (f.fix) out.fix = f.fix;
  return out;
}

function lintText(ctx: CliContext, report: LintReport): string {
  const c = ctx.colors;
  const paint: Record<Severity, (s: string) => string> = {
    info: c.dim,
    low: c.cyan,
    medium: c.yellow,
    high: c.red,
    critical: (s) => c.bold(c.red(s)),
  };
  const lines: string[] = [];
  for (const f of report.findings) {
    const where = [f.file, f.line, f.column].filter((x) => x !== undefined).join(':');
    lines.push(`${where ? `${where}: ` : ''}${paint[f.severity](f.severity)} ${f.rule}: ${f.message}`);
    if (f.fix) lines.push(`  ${c.dim(`fix: ${f.fix}`)}`);
  }
  const counts = SEVERITIES.slice()
    .reverse()
    .map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const scope = `${report.files} file${report.files === 1 ? '' : 's'} (${report.policies} polic${report.policies === 1 ? 'y' : 'ies'}, ${report.roles} auth role${report.roles === 1 ? '' : 's'})`;
  lines.push(
    report.findings.length === 0
      ? `No findings in ${scope}.`
      : `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} (${counts.join(', ')}) in ${scope}.`,
  );
  return lines.join('\n');
}

// ------------------------------------------------------------------------------------------------- apply

interface ApplyData {
  address: string;
  dryRun: boolean;
  summary: ApplyPlan['summary'];
  items: Array<{
    action: string;
    kind: string;
    method: string;
    path: string;
    namespace?: string | undefined;
    changes: Array<{ field: string; from: unknown; to: unknown }>;
  }>;
  written: number;
}

async function applyCommand(ctx: CliContext, file: string | undefined, flags: ApplyFlags): Promise<AnyCommandOutput> {
  const env = ctx.io.env;
  const address = flags.address ?? env.VAULT_ADDR ?? env.BAO_ADDR;
  if (!address) throw new SvmError('USAGE', 'no server address: pass --address or set VAULT_ADDR (or BAO_ADDR)');
  if (!/^https?:\/\//.test(address))
    throw new SvmError('USAGE', `--address must be an http(s) URL, got ${JSON.stringify(address)}`);
  const token = env.VAULT_TOKEN ?? env.BAO_TOKEN;
  if (!token)
    throw new SvmError(
      'CREDENTIALS_MISSING',
      'no token: set VAULT_TOKEN (or BAO_TOKEN) to a token that may write sys/policies/acl and auth/<mount>/role',
    );
  const policy = await lib();
  const requirements = await loadRequirements(ctx, file, flags, policy);
  const config = policy.generateConfig(requirements);
  for (const w of config.warnings) ctx.warn(w);
  const api = policy.createVaultClient({
    address,
    token,
    namespace: flags.vaultNamespace ?? env.VAULT_NAMESPACE ?? env.BAO_NAMESPACE,
  });
  ctx.log(`Reading ${config.policies.length} policies and ${config.roles.length} auth roles from ${address}…`);
  const plan = await policy.planApply(config, api);
  let written = 0;
  if (!flags.dryRun && plan.summary.create + plan.summary.update > 0) {
    ctx.log(`Writing ${plan.summary.create + plan.summary.update} objects…`);
    written = (await policy.applyPlan(plan, api)).written;
  }
  const data: ApplyData = {
    address,
    dryRun: Boolean(flags.dryRun),
    summary: plan.summary,
    items: plan.items.map((i) => ({
      action: i.action,
      kind: i.request.kind,
      method: i.request.method,
      path: i.request.path,
      namespace: i.request.namespace,
      changes: i.changes,
    })),
    written,
  };
  return { data, text: () => applyText(ctx, plan, data) };
}

function applyText(ctx: CliContext, plan: ApplyPlan, data: ApplyData): string {
  const c = ctx.colors;
  const { create, update, unchanged } = plan.summary;
  const lines = [`Plan against ${data.address}: ${create} to create, ${update} to update, ${unchanged} unchanged.`];
  for (const item of plan.items) {
    const label = `${item.request.kind === 'policy' ? 'policy' : `${item.request.authMethod ?? 'auth'} role`} ${item.request.path}${item.request.namespace ? ` (namespace ${item.request.namespace})` : ''}`;
    if (item.action === 'unchanged') {
      lines.push(c.dim(`  = ${label}`));
      continue;
    }
    lines.push(item.action === 'create' ? c.green(`  + ${label}`) : c.yellow(`  ~ ${label}`));
    if (item.action === 'update') {
      if (item.textDiff.length > 0)
        for (const l of item.textDiff) lines.push(`      ${l.startsWith('+') ? c.green(l) : c.red(l)}`);
      else for (const ch of item.changes) lines.push(`      ${ch.field}: ${show(ch.from)} → ${show(ch.to)}`);
    }
  }
  if (data.dryRun) lines.push('Dry run: nothing written.');
  else
    lines.push(
      data.written === 0
        ? 'Nothing to do: the server already matches.'
        : `Applied: ${data.written} write${data.written === 1 ? '' : 's'}.`,
    );
  return lines.join('\n');
}

function show(value: unknown): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}

// ------------------------------------------------------------------------------------------------ shared

function abs(ctx: CliContext, file: string): string {
  return absolutePath(ctx.io, file);
}

async function readText(ctx: CliContext, file: string): Promise<{ text: string; name: string }> {
  return readInput(ctx.io, file);
}
