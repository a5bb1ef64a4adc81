import { type DoctorReport, SvmError, type Severity, severityAtLeast } from '@svm/core';
import { type Command, Option } from 'commander';
import { action, failOnOption } from '../internal/command.js';
import type { CliContext } from '../internal/context.js';
import { VERSION } from '../version.js';

interface DoctorFlags {
  addr?: string;
  vaultNamespace?: string;
  format: 'text' | 'json' | 'sarif';
  failOn: Severity | 'none';
}

/** `svm vault …`: checks of a live Vault/OpenBao server. */
export function register(group: Command, ctx: CliContext): void {
  group
    .command('doctor')
    .description('check a live Vault/OpenBao server against the guidance (seal, HA, audit, roles, policies, TTLs)')
    .option('--addr <url>', 'server address (default VAULT_ADDR, then BAO_ADDR)')
    .option('--vault-namespace <ns>', 'namespace for every request (default VAULT_NAMESPACE, then BAO_NAMESPACE)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(failOnOption('high'))
    .addHelpText(
      'after',
      '\nThe token comes from VAULT_TOKEN (or BAO_TOKEN); a read-mostly policy for it is in the README (DOCTOR_POLICY_HCL).\nA check whose endpoint the token may not read is reported NOT CHECKED, never passed.\n\nExit codes: 0 no finding at or above --fail-on (default high), 1 a finding at or above it, 3 server unreachable.\n\nExamples:\n  VAULT_ADDR=https://vault:8200 svm vault doctor\n  svm vault doctor --addr http://127.0.0.1:8200 --format sarif > vault-doctor.sarif\n  svm vault doctor --json --fail-on medium',
    )
    .action(action(ctx, (flags: DoctorFlags) => doctor(ctx, flags)));
}

async function doctor(ctx: CliContext, flags: DoctorFlags) {
  const env = ctx.io.env;
  const address = flags.addr ?? env.VAULT_ADDR ?? env.BAO_ADDR;
  if (!address) throw new SvmError('USAGE', 'no server address: pass --addr or set VAULT_ADDR (or BAO_ADDR)');
  if (!/^https?:\/\//.test(address))
    throw new SvmError('USAGE', `--addr must be an http(s) URL, got ${JSON.stringify(address)}`);
  const token = env.VAULT_TOKEN ?? env.BAO_TOKEN;
  if (!token)
    throw new SvmError(
      'CREDENTIALS_MISSING',
      'no token: set VAULT_TOKEN (or BAO_TOKEN); see the README for the policy',
    );
  const policy = await import('@svm/policy');
  const client = policy.createVaultClient({
    address,
    token,
    namespace: flags.vaultNamespace ?? env.VAULT_NAMESPACE ?? env.BAO_NAMESPACE,
  });
  ctx.log(`Checking ${address}…`);
  const report = await policy.vaultDoctor(client, { address });
  const failOn = flags.failOn;
  const exitCode = failOn !== 'none' && report.findings.some((f) => severityAtLeast(f.severity, failOn)) ? 1 : 0;
  if (flags.format === 'sarif')
    return {
      data: report,
      raw: `${JSON.stringify(policy.doctorSarif(report, { version: VERSION }), null, 2)}\n`,
      exitCode,
    };
  if (flags.format === 'json' || ctx.flags.json)
    return { data: report, raw: `${JSON.stringify(report, null, 2)}\n`, exitCode };
  const c = ctx.colors;
  const paint: Record<string, (s: string) => string> = {
    critical: (s) => c.bold(c.red(s)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.dim,
    failed: c.red,
    'not-checked': c.yellow,
    passed: c.green,
    'not-applicable': c.dim,
  };
  return {
    data: report,
    text: (r: DoctorReport) => policy.renderDoctorText(r, { paint: (kind, s) => (paint[kind] ?? String)(s) }),
    exitCode,
  };
}
