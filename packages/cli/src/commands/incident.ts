import { Option, type Command } from 'commander';
import { CredentialKind, IncidentSignal, SvmError, type IncidentPlan } from '@svm/core';
import { planIncident, renderIncidentMarkdown, renderIncidentText } from '@svm/audit';
import { action } from '../internal/command.js';
import type { CliContext } from '../internal/context.js';
import { registerBlastRadius } from './incident-blast-radius.js';
import { registerContain } from './incident-contain.js';

/** `svm incident …`: leak response (plan, blast-radius, contain). */
export function register(group: Command, ctx: CliContext): void {
  group
    .command('plan')
    .description('classify a leak (P0–P3) and print the response playbook with deadlines and commands')
    .addOption(
      new Option('--signal <signal...>', 'what was seen (one or more)')
        .choices(IncidentSignal.options)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--credential <kind>', 'the kind of credential that leaked')
        .choices(CredentialKind.options)
        .makeOptionMandatory(),
    )
    .option('--secret <name>', 'the leaked secret (name or path), used in the commands')
    .option('--detected-at <time>', 'when the leak was detected (ISO 8601; default now)')
    .option('--regulated', 'regulated data (PCI, PHI, PII) is behind the credential')
    .option('--customer-data', 'customer data is behind the credential')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'md', 'json']).default('text'))
    .action(
      action(
        ctx,
        (opts: {
          signal: string[];
          credential: string;
          secret?: string;
          detectedAt?: string;
          regulated?: boolean;
          customerData?: boolean;
          format: string;
        }) => {
          const detectedAt = opts.detectedAt === undefined ? new Date() : new Date(opts.detectedAt);
          if (
            Number.isNaN(detectedAt.getTime()) ||
            (opts.detectedAt !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(opts.detectedAt))
          ) {
            throw new SvmError(
              'USAGE',
              `--detected-at: expected an ISO 8601 date-time such as 2026-03-01T10:00:00Z, got '${opts.detectedAt}'`,
            );
          }
          const plan = planIncident({
            signals: opts.signal.map((s) => IncidentSignal.parse(s)),
            credential: CredentialKind.parse(opts.credential),
            secret: opts.secret,
            detectedAt,
            regulatedData: opts.regulated,
            customerData: opts.customerData,
          });
          const format = ctx.flags.json ? 'json' : opts.format;
          return {
            data: plan,
            text:
              format === 'json'
                ? undefined
                : format === 'md'
                  ? renderIncidentMarkdown
                  : (p: IncidentPlan) => renderIncidentText(p, ctx.colors),
          };
        },
      ),
    );
  registerBlastRadius(group, ctx);
  registerContain(group, ctx);
}
