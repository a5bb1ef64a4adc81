import type { DoctorFlags } from '@svm/policy';
import { type Command, Option } from 'commander';
import { failOnOption, handler, outputFormat, subcommand } from '../internal/command.js';
import type { CliContext } from '../internal/context.js';
import { VERSION } from '../version.js';

type Flags = DoctorFlags & { format?: 'text' | 'json' | 'sarif' };

/** `svm vault …`: checks of a live Vault/OpenBao server. */
export function register(group: Command, ctx: CliContext): void {
  subcommand(group, 'doctor', 'check a live Vault/OpenBao server against the guidance (seal, HA, audit, roles, TTLs)')
    .option('--addr <url>', 'server address (default VAULT_ADDR, then BAO_ADDR)')
    .option('--vault-namespace <ns>', 'namespace for every request (default VAULT_NAMESPACE, then BAO_NAMESPACE)')
    .addOption(new Option('--format <format>', 'output format (default text)').choices(['text', 'json', 'sarif']))
    .addOption(failOnOption('high'))
    .addHelpText(
      'after',
      '\nThe token comes from VAULT_TOKEN (or BAO_TOKEN); the read-mostly policy it needs is DOCTOR_POLICY_HCL (@svm/policy README).\nA check whose endpoint the token may not read is reported NOT CHECKED, never passed.\n\nExit codes: 0 no finding at or above --fail-on (default high), 1 a finding at or above it, 2 usage or no token, 3 server unreachable.\n\nExamples:\n  VAULT_ADDR=https://vault:8200 svm vault doctor\n  svm vault doctor --addr http://127.0.0.1:8200 --format sarif > vault-doctor.sarif\n  svm vault doctor --json --fail-on medium',
    )
    .action(handler(ctx, doctor));
}

async function doctor(ctx: CliContext, flags: Flags) {
  const format = outputFormat(ctx, flags.format, 'text');
  const policy = await import('@svm/policy');
  const { report, exitCode } = await policy.doctorFromFlags(flags, { env: ctx.io.env, log: (m) => ctx.log(m) });
  if (format === 'sarif')
    return {
      data: report,
      raw: `${JSON.stringify(policy.doctorSarif(report, { version: VERSION }), null, 2)}\n`,
      exitCode,
    };
  if (format === 'json') return { data: report, raw: `${JSON.stringify(report, null, 2)}\n`, exitCode };
  return { data: report, text: () => policy.renderDoctorText(report, ctx.colors), exitCode };
}
