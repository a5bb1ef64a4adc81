import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { MAX_INTERVAL_DAYS, SvmError, parseDays, type RotationStatus } from '@svm/core';
import type { RotationPlanDocument } from '@svm/rotation';
import { action } from '../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../internal/context.js';
import { absolutePath, readInput as readUserInput } from '../internal/input.js';
import { registerRun } from './rotation-run.js';

interface PlanFlags {
  now?: string;
  maxInterval?: string;
  within?: string;
  tz?: string;
  capacity?: string;
  policyFile?: string;
  profile?: string[];
  format?: string;
  owner?: string;
  failOnOverdue?: boolean;
  out?: string;
}

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
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('table'))
    .option('--owner <name>', "only this owner's or team's rotations (handy with --format ics)")
    .option('--fail-on-overdue', 'exit 1 when any item is overdue (for CI gates)')
    .option('--out <file>', 'write the rendered plan to this file instead of standard output')
    .addHelpText(
      'after',
      '\nExamples:\n  svm rotation plan inventory.yaml --now 2026-03-01 --json\n  svm rotation plan secrets.json --max-interval 30d --fail-on-overdue\n  svm rotation plan inventory.csv --capacity 3 --policy-file rotation-policy.yaml --format ics --out rotations.ics',
    )
    .action(action(ctx, async (file: string, flags: PlanFlags) => planCommand(ctx, file, flags)));
}

async function planCommand(ctx: CliContext, file: string, flags: PlanFlags): Promise<AnyCommandOutput> {
  const rotation = await import('@svm/rotation');
  if (ctx.flags.json && flags.format !== undefined && flags.format !== 'table' && flags.format !== 'json') {
    throw new SvmError('USAGE', `--json conflicts with --format ${flags.format}`);
  }
  const format = ctx.flags.json ? 'json' : ((flags.format ?? 'table') as (typeof FORMATS)[number]);
  if (flags.now !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.now))
    throw new SvmError('USAGE', `--now: expected YYYY-MM-DD, got '${flags.now}'`);
  const maxIntervalDays = dayFlag('--max-interval', flags.maxInterval);
  const withinDays = dayFlag('--within', flags.within);
  let capacity: number | undefined;
  if (flags.capacity !== undefined) {
    capacity = Number(flags.capacity);
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new SvmError('USAGE', `--capacity: expected a whole number of at least 1, got '${flags.capacity}'`);
  }
  if (maxIntervalDays === 0) throw new SvmError('USAGE', '--max-interval: expected at least 1 day');

  const { text, name } = await readInput(ctx, file);
  const inventory = rotation.loadInventory(text, { file: name });
  const policy = flags.policyFile
    ? rotation.loadRotationPolicy((await readInput(ctx, flags.policyFile)).text, flags.policyFile)
    : undefined;
  const plan = rotation.planRotations(inventory.items, {
    now: flags.now,
    timeZone: flags.tz,
    maxIntervalDays,
    withinDays,
    capacity,
    policy,
    profiles: flags.profile,
    source: inventory,
  });
  const shown: RotationPlanDocument =
    flags.owner === undefined ? plan : filterOwner(plan, flags.owner, rotation.summarizePlanItems);
  for (const warning of plan.warnings) ctx.warn(warning);
  const exitCode = flags.failOnOverdue && plan.summary.overdue > 0 ? 1 : 0;
  const colors = ctx.colors;
  const statusColor: Record<RotationStatus, (s: string) => string> = {
    overdue: colors.red,
    'never-rotated': colors.magenta,
    'due-soon': colors.yellow,
    ok: colors.green,
  };
  if (flags.out !== undefined) {
    const rendered = rotation.renderPlan(shown, format, { owner: flags.owner });
    const target = absolutePath(ctx.io, flags.out);
    await writeFile(target, rendered);
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
      text:
        format === 'json'
          ? undefined
          : (data) => rotation.renderPlanTable(data, { status: (s, t) => statusColor[s](t), heading: colors.bold }),
      exitCode,
    };
  }
  return { data: shown, raw: rotation.renderPlan(shown, format, { owner: flags.owner }), exitCode };
}

function dayFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let days: number;
  try {
    days = parseDays(value);
  } catch {
    throw new SvmError('USAGE', `${flag}: expected a whole number of days such as 30d, got '${value}'`);
  }
  if (days > MAX_INTERVAL_DAYS)
    throw new SvmError('USAGE', `${flag}: expected at most ${MAX_INTERVAL_DAYS} days (100 years), got '${value}'`);
  return days;
}

async function readInput(ctx: CliContext, file: string): Promise<{ text: string; name: string }> {
  return readUserInput(ctx.io, file);
}

function filterOwner(
  plan: RotationPlanDocument,
  owner: string,
  summarize: (items: RotationPlanDocument['items']) => RotationPlanDocument['summary'],
): RotationPlanDocument {
  const items = plan.items.filter((i) => i.owner === owner || i.team === owner);
  return { ...plan, items, summary: summarize(items) };
}
