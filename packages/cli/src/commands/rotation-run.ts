import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { type InventoryItem, type RotationRun, SvmError, isSvmError, parseStoreUri } from '@svm/core';
import type { SecretStore } from '@svm/providers';
import type { RotationJournal } from '@svm/rotation';
import { action } from '../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../internal/context.js';
import { absolutePath, readInput } from '../internal/input.js';

interface RunFlags {
  only?: string[];
  dueOnly?: boolean;
  dryRun?: boolean;
  journal?: string;
  updateInventory?: boolean;
  keyFile?: string;
  now?: string;
}

/** The `--json` document of `svm rotation run` / `resume`. */
interface RunDocument {
  dryRun: boolean;
  journal: string | null;
  runs: RotationRun[];
  /** Items the executor has no strategy for (manual, SSH CA, dynamic): listed, not rotated. */
  skipped: Array<{ id: string; reason: string }>;
  summary: Record<RotationRun['outcome'] | 'total', number>;
  inventoryUpdated: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

/** `svm rotation run` and `svm rotation resume`: carry out rotations with the executor. */
export function registerRun(group: Command, ctx: CliContext): void {
  group
    .command('run')
    .description("rotate the inventory's secrets for real: journaled idempotent steps, resumable after a crash")
    .argument('<inventory>', 'inventory file (.yaml, .json, .csv); items name their store URI in `store`')
    .option('--only <id...>', 'only these item ids (repeat or comma-separate)', collect)
    .option('--due-only', 'only items that are due (overdue, due today or never rotated) per the plan')
    .option('--dry-run', 'print every step each rotation would take; touch nothing')
    .option(
      '--journal <uri>',
      'journal: postgres://… (many runners, leases) or a file (default: beside the file store, else beside the inventory)',
    )
    .option(
      '--update-inventory',
      'set last_rotated of rotated items in the inventory file (YAML comments and formatting kept)',
    )
    .option('--key-file <file>', 'file store: key file of 32 random bytes (else SVM_FILE_PASSPHRASE)')
    .option('--now <date>', 'planning day for --due-only, YYYY-MM-DD (default today, UTC)')
    .addHelpText(
      'after',
      '\nExit codes: 0 rotated, waiting or planned · 1 a verification failed and was rolled back · 2 usage or input error · 3 a store or database was unreachable (run `svm rotation resume`) or another runner holds the lease\n\nExamples:\n  svm rotation run inventory.yaml --dry-run\n  svm rotation run inventory.yaml --due-only --update-inventory --json\n  svm rotation run inventory.yaml --only orders-db --journal postgres://svm@db:5432/ops',
    )
    .action(action(ctx, async (file: string, flags: RunFlags) => runCommand(ctx, file, flags, false)));

  group
    .command('resume')
    .description('finish or roll back rotations a crashed or interrupted run left open in the journal')
    .argument('<inventory>', 'the inventory the interrupted run used')
    .option('--only <id...>', 'only these item ids', collect)
    .option('--journal <uri>', 'journal URI (as given to run)')
    .option('--update-inventory', 'set last_rotated of items whose rotation finished')
    .option('--key-file <file>', 'file store: key file of 32 random bytes (else SVM_FILE_PASSPHRASE)')
    .action(action(ctx, async (file: string, flags: RunFlags) => runCommand(ctx, file, flags, true)));
}

async function runCommand(
  ctx: CliContext,
  file: string,
  flags: RunFlags,
  resumeOnly: boolean,
): Promise<AnyCommandOutput> {
  const rotation = await import('@svm/rotation');
  if (flags.now !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.now))
    throw new SvmError('USAGE', `--now: expected YYYY-MM-DD, got '${flags.now}'`);
  const input = await readInput(ctx.io, file);
  if (flags.updateInventory && input.path === undefined)
    throw new SvmError('USAGE', '--update-inventory needs an inventory file, not standard input');
  const inventory = rotation.loadInventory(input.text, { file: input.name });
  const indexed = inventory.items.map((item, index) => ({
    item: { ...item, id: item.id ?? item.name ?? `unnamed-${index}` } as InventoryItem & { id: string },
    index,
  }));

  let selected = indexed;
  if (flags.only?.length) {
    const known = new Set(indexed.map((i) => i.item.id));
    const unknown = flags.only.filter((id) => !known.has(id));
    if (unknown.length)
      throw new SvmError(
        'USAGE',
        `--only: no item with id ${unknown.map((u) => `'${u}'`).join(', ')} in ${input.name}`,
      );
    selected = selected.filter((i) => flags.only!.includes(i.item.id));
  }
  if (flags.dueOnly) {
    const plan = rotation.planRotations(inventory.items, { now: flags.now, source: inventory });
    const due = new Set(
      plan.items
        .filter((p) => p.status === 'overdue' || p.status === 'never-rotated' || p.daysUntilDue <= 0)
        .map((p) => p.id),
    );
    selected = selected.filter((i) => due.has(i.item.id));
  }

  const skipped: RunDocument['skipped'] = [];
  selected = selected.filter(({ item }) => {
    try {
      rotation.strategyForItem(item);
      return true;
    } catch (error) {
      if (!isSvmError(error) || error.code !== 'UNSUPPORTED') throw error;
      skipped.push({ id: item.id, reason: error.message.replace(`${item.id}: `, '') });
      return false;
    }
  });

  const runs: RotationRun[] = [];
  if (flags.dryRun) {
    for (const { item } of selected) runs.push(rotation.dryRunSteps(item));
    return output(ctx, {
      dryRun: true,
      journal: null,
      runs,
      skipped,
      summary: summarize(runs),
      inventoryUpdated: false,
    });
  }

  const stores = new Map<string, Promise<SecretStore>>();
  const journals = new Map<string, Promise<RotationJournal>>();
  const journalFor = (item: InventoryItem): Promise<RotationJournal> => {
    const uri =
      flags.journal ??
      rotation.defaultJournalPath(item.store, input.path ?? absolutePath(ctx.io, 'inventory'), ctx.io.cwd);
    let j = journals.get(uri);
    if (!j) {
      j = rotation.openJournal(uri, { cwd: ctx.io.cwd });
      journals.set(uri, j);
    }
    return j;
  };
  const storeFor = (item: InventoryItem): Promise<SecretStore> => {
    const uri = item.store;
    if (uri === undefined || !uri.includes('://')) {
      return Promise.reject(
        new SvmError(
          'INPUT_INVALID',
          `${item.id}: store: expected a store URI such as file://./secrets.svm or vault://host:8200/secret, got '${uri ?? ''}'`,
          { file: input.name, field: 'store' },
        ),
      );
    }
    let s = stores.get(uri);
    if (!s) {
      s = openStoreFor(ctx, uri, flags.keyFile);
      stores.set(uri, s);
    }
    return s;
  };

  const updates = new Map<number, string>();
  let journalLocation: string | null = null;
  try {
    for (const { item, index } of selected) {
      let run: RotationRun | undefined;
      try {
        const [store, journal] = [await storeFor(item), await journalFor(item)];
        journalLocation = journal.location;
        ctx.log(`${item.id}: ${resumeOnly ? 'resuming' : 'rotating'}…`);
        run = await rotation.rotate(item, {
          store,
          journal,
          resumeOnly,
          target: { env: ctx.io.env, baseDir: input.path ? absolutePath(ctx.io, '.') : ctx.io.cwd },
        });
      } catch (error) {
        if (!isSvmError(error) || error.kind === 'internal') throw error;
        if (error.kind === 'user') throw error;
        const now = new Date().toISOString();
        run = {
          runId: 'not-started',
          itemId: item.id,
          strategy: item.strategy ?? 'unknown',
          startedAt: now,
          finishedAt: now,
          outcome: 'interrupted',
          resumed: false,
          steps: [],
          error: { code: error.code, message: error.message },
          message: error.message,
        };
      }
      if (!run) continue;
      runs.push(run);
      ctx.log(`${item.id}: ${run.outcome}${run.message ? ` (${run.message})` : ''}`);
      if (run.outcome === 'rotated')
        updates.set(index, run.finishedAt?.slice(0, 10) ?? new Date().toISOString().slice(0, 10));
    }
  } finally {
    for (const s of stores.values()) await s.then((x) => x.close()).catch(() => undefined);
    for (const j of journals.values()) await j.then((x) => x.close()).catch(() => undefined);
  }

  let inventoryUpdated = false;
  if (flags.updateInventory && updates.size > 0 && input.path) {
    const text = rotation.updateInventoryLastRotated(input.text, inventory.format, updates, input.name);
    await writeFile(input.path, text);
    inventoryUpdated = true;
    ctx.log(`updated last_rotated of ${updates.size} item(s) in ${input.name}`);
  }
  return output(ctx, {
    dryRun: false,
    journal: journalLocation,
    runs,
    skipped,
    summary: summarize(runs),
    inventoryUpdated,
  });
}

async function openStoreFor(ctx: CliContext, uri: string, keyFile: string | undefined): Promise<SecretStore> {
  const { openStore } = await import('@svm/providers');
  const ref = parseStoreUri(uri);
  const fixed = ref.kind === 'file' ? { ...ref, path: absolutePath(ctx.io, ref.path) } : ref;
  return openStore(fixed, { env: ctx.io.env, file: keyFile ? { keyFile: absolutePath(ctx.io, keyFile) } : {} });
}

function summarize(runs: RotationRun[]): RunDocument['summary'] {
  const s: RunDocument['summary'] = {
    total: runs.length,
    rotated: 0,
    planned: 0,
    waiting: 0,
    'rolled-back': 0,
    interrupted: 0,
    failed: 0,
  };
  for (const r of runs) s[r.outcome]++;
  return s;
}

function output(ctx: CliContext, doc: RunDocument): AnyCommandOutput {
  const exitCode = doc.summary.interrupted > 0 ? 3 : doc.summary['rolled-back'] + doc.summary.failed > 0 ? 1 : 0;
  return { data: doc, text: (d: RunDocument) => renderRuns(d, ctx), exitCode };
}

function renderRuns(doc: RunDocument, ctx: CliContext): string {
  const { bold, green, red, yellow } = ctx.colors;
  const colour: Record<RotationRun['outcome'], (s: string) => string> = {
    rotated: green,
    planned: (s) => s,
    waiting: yellow,
    'rolled-back': red,
    interrupted: red,
    failed: red,
  };
  const lines: string[] = [];
  if (doc.runs.length === 0 && doc.skipped.length === 0)
    lines.push(doc.dryRun ? 'Nothing to rotate.' : 'Nothing to rotate or resume.');
  for (const run of doc.runs) {
    lines.push(
      `${bold(run.itemId)}  ${run.strategy}  ${colour[run.outcome](run.outcome)}${run.resumed ? ' (resumed)' : ''}${run.message ? `  ${run.message}` : ''}`,
    );
    if (doc.dryRun || run.outcome !== 'rotated') {
      run.steps.forEach((step, i) =>
        lines.push(
          `  ${i + 1}. [${step.status}] ${step.id}: ${step.title}${step.error ? ` (${step.error.code})` : ''}`,
        ),
      );
    }
    if (run.versions?.current)
      lines.push(
        `  current: version ${run.versions.current}${run.versions.previous ? `, previous: version ${run.versions.previous}` : ''}`,
      );
  }
  for (const skip of doc.skipped) lines.push(`${bold(skip.id)}  skipped  ${skip.reason}`);
  const s = doc.summary;
  lines.push(
    '',
    `${s.total} item(s): ${s.rotated} rotated, ${s.planned} planned, ${s.waiting} waiting, ${s['rolled-back']} rolled back, ${s.interrupted} interrupted, ${s.failed} failed${doc.skipped.length ? `, ${doc.skipped.length} skipped (no executor strategy)` : ''}${doc.journal ? ` · journal ${doc.journal}` : ''}`,
  );
  return lines.join('\n');
}
