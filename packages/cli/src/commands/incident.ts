import { Option, type Command } from 'commander';
import { CredentialKind, type IncidentPlan, IncidentSignal } from '@svm/core';
import type { IncidentFlags } from '@svm/audit';
import { handler } from '../internal/command.js';
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
    .action(handler(ctx, planCommand));
  registerBlastRadius(group, ctx);
  registerContain(group, ctx);
}

/** The playbook; @svm/audit loads only when a command of the group runs (not for `svm incident --help`). */
async function planCommand(ctx: CliContext, flags: IncidentFlags & { format: string }) {
  const audit = await import('@svm/audit');
  const plan: IncidentPlan = audit.planIncident(audit.incidentFromFlags(flags));
  const format = ctx.flags.json ? 'json' : flags.format;
  if (format === 'json') return { data: plan };
  const text =
    format === 'md' ? audit.renderIncidentMarkdown : (p: IncidentPlan) => audit.renderIncidentText(p, ctx.colors);
  return { data: plan, text };
}
