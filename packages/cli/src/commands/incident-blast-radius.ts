import { Option, type Command } from 'commander';
import type { BlastRadiusFlags } from '@svm/audit';
import type { BlastRadius } from '@svm/core';
import { action } from '../internal/command.js';
import type { CliContext } from '../internal/context.js';

/** `--secret <store-uri> <name>`: two values. */
export const secretOption = (): Option => {
  const o = new Option('--secret <store-uri> <name>', 'the leaked secret: its store URI and its name in that store');
  o.variadic = true;
  return o;
};

/** `svm incident blast-radius`: who read a leaked secret in the exposure window. */
export function registerBlastRadius(group: Command, ctx: CliContext): void {
  group
    .command('blast-radius')
    .description('every identity, token, address and time that read or listed a leaked secret in the window')
    .addOption(secretOption().makeOptionMandatory())
    .requiredOption('--since <time>', 'start of the exposure window (ISO 8601)')
    .option('--until <time>', 'end of the exposure window (ISO 8601; default: no end)')
    .requiredOption('--audit <logs...>', 'audit logs: files, directories, globs, .gz, - for stdin (any source)')
    .addHelpText(
      'after',
      '\nExit codes: 0 the report was printed (also when nobody read the secret) · 2 usage or input error\n\nExample:\n  svm incident blast-radius --secret vault://vault:8200/secret prod/db --since 2026-03-01T08:00:00Z --audit /var/log/vault/audit.log',
    )
    .action(
      action(ctx, async (flags: BlastRadiusFlags) => {
        const audit = await import('@svm/audit');
        const radius = await audit.blastRadiusFromFlags(flags, { cwd: ctx.io.cwd, stdin: ctx.io.stdin });
        return { data: radius, text: (r: BlastRadius) => audit.renderBlastRadiusText(r) };
      }),
    );
}
