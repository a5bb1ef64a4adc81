import { Option, type Command } from 'commander';
import type { PlanFlags } from '@svm/rotation';
import { action, collect, outputFormat } from '../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../internal/context.js';
import { inputReader, writeOutput } from '../internal/input.js';
import { registerRun } from './rotation-run.js';

type Flags = PlanFlags & { format?: string; failOnOverdue?: boolean; out?: string };

const FORMATS = ['table', 'json', 'md', 'csv', 'ics'] as const;

/** `svm rotation …`: plan rotations from a secret inventory. */
export function register(group: Command, ctx: CliContext): void {
  registerRun(group, ctx);
  group
    .command('plan')
    .description('plan rotations from an inventory (JSON, YAML or CSV): due dates, status, compliance, schedule')
    .argument('<inventory>', 'inventory file (.json, .yaml, .csv), or - for standard input')
    .option('--now <date>', 'planning day YYYY-MM-DD (default: today in --tz)')
    .option('--max-interval <days>', 'cap every interval, e.g. 30d, 60d or 90d (the original --policy)')
    .option('--within <days>', 'due within this many days counts as due soon (default 14d)')
    .option('--tz <zone>', 'IANA time zone for "today" and date-times in the inventory (default UTC)')
    .option('--capacity <n>', 'at most this many rotations per team per day')
    .option(
      '--policy-file <file>',
      'rotation policy: type overrides, team capacity, blackouts, maintenance windows, profiles',
    )
    .option(
      '--profile <ids>',
      'compliance profiles for every item, comma-separated or repeated: pci-dss-v4, nist-sp-800-57, cabf-tls, all',
      collect,
    )
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('table'))
    .option('--owner <name>', "only this owner's or team's rotations (handy with --format ics)")
    .option('--fail-on-overdue', 'exit 1 when any item is overdue (for CI gates)')
    .option('--out <file>', 'write the rendered plan to this file instead of standard output')
    .addHelpText(
      'after',
      '\nExamples:\n  svm rotation plan inventory.yaml --now 2026-03-01 --json\n  svm rotation plan secrets.json --max-interval 30d --fail-on-overdue\n  svm rotation plan inventory.csv --capacity 3 --policy-file rotation-policy.yaml --format ics --out rotations.ics',
    )
    .action(action(ctx, async (file: string, flags: Flags) => planCommand(ctx, file, flags)));
}

async function planCommand(ctx: CliContext, file: string, flags: Flags): Promise<AnyCommandOutput> {
  // The planning entry alone: zod and the executor load only when an input needs them.
  const rotation = await import('@svm/rotation/plan');
  const format = outputFormat(ctx, flags.format as (typeof FORMATS)[number] | undefined, 'table', ['table', 'json']);
  const { plan, shown } = await rotation.planInventoryFile(file, flags, inputReader(ctx.io).read);
  for (const warning of plan.warnings) ctx.warn(warning);
  const exitCode = flags.failOnOverdue && plan.summary.overdue > 0 ? 1 : 0;
  if (flags.out !== undefined) {
    await writeOutput(ctx.io, flags.out, rotation.renderPlan(shown, format, { owner: flags.owner }));
    ctx.log(`wrote ${format} plan of ${shown.items.length} item(s) to ${flags.out}`);
    return {
      data: { written: flags.out, format, now: shown.now, summary: shown.summary },
      text: () => `${rotation.renderPlanTable({ ...shown, items: [] }).split('\n')[0]}\nWrote ${flags.out}`,
      exitCode,
    };
  }
  if (format === 'json' || format === 'table') {
    return {
      data: shown,
      // Written piece by piece: 100,000 items are ~45 MB of JSON, never held as one string.
      jsonChunks: rotation.renderPlanJsonChunks(shown),
      text: format === 'json' ? undefined : () => rotation.renderPlanTable(shown, rotation.planTableStyle(ctx.colors)),
      exitCode,
    };
  }
  return { data: shown, raw: rotation.renderPlan(shown, format, { owner: flags.owner }), exitCode };
}
