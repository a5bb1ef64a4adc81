import { resolve } from 'node:path';
import { type InventoryItem, type RotationRun, SvmError, type TextStyle, fullStyle, isSvmError } from '@svm/core';
import type { SecretStore } from '@svm/providers';
import type { LoadedInventory } from '../inventory/load-inventory.js';
import { planRotations } from '../plan/plan.js';
import { defaultJournalPath, openJournal } from './journal/open-journal.js';
import { dryRunSteps, rotate } from './rotate.js';
import { strategyForItem } from './select-strategy.js';
import type { RotationJournal } from './types.js';

/** The document of a run over an inventory (`svm rotation run` / `resume --json`). */
export interface RotationRunDocument {
  dryRun: boolean;
  journal: string | null;
  runs: RotationRun[];
  /** Items the executor has no strategy for (manual, SSH CA, dynamic): listed, not rotated. */
  skipped: Array<{ id: string; reason: string }>;
  summary: Record<RotationRun['outcome'] | 'total', number>;
  inventoryUpdated: boolean;
}

/** Options of {@link runInventory}. */
export interface RunInventoryOptions {
  /** Only these item ids (an unknown id is a `USAGE` error). */
  only?: readonly string[] | undefined;
  /** Only items that are due (overdue, due today or never rotated) on `now` (YYYY-MM-DD, default today). */
  dueOnly?: boolean | undefined;
  now?: string | undefined;
  /** List each rotation's steps; touch nothing. */
  dryRun?: boolean | undefined;
  /** Only finish or roll back runs the journal holds open (`resume`). */
  resumeOnly?: boolean | undefined;
  /** Journal URI (`postgres://…` or a file); default beside the file store, else beside the inventory. */
  journal?: string | undefined;
  /** The inventory file's absolute path (undefined for standard input). */
  inventoryPath?: string | undefined;
  /** The user's working directory: relative journal and target paths resolve from here. */
  cwd: string;
  /** Environment for the targets (database passwords, tokens). */
  env: Record<string, string | undefined>;
  /** Open the store an item names (e.g. with `openStoreAt` from `@svm/providers`); each URI is opened once. */
  openStore: (uri: string) => Promise<SecretStore>;
  /** Progress lines (`<id>: rotating…`, `<id>: rotated`). */
  log?: ((message: string) => void) | undefined;
}

/**
 * Rotate the items of an inventory with the executor: select them (`only`, `dueOnly`), skip those without an
 * executor strategy, then rotate each through its store and journal (opened once per URI and closed at the end).
 * A store or journal that cannot be reached makes that item `interrupted`; user errors throw. Returns the document
 * and, per inventory index, the day each rotated item was rotated (for {@link updateInventoryLastRotated}).
 *
 * @example
 * ```ts
 * const inventory = loadInventory(text, { file: 'inventory.yaml' });
 * const { document } = await runInventory(inventory, { cwd, env: process.env, openStore: (uri) => openStore(uri) });
 * document.summary.rotated;
 * ```
 */
export async function runInventory(
  inventory: LoadedInventory,
  options: RunInventoryOptions,
): Promise<{ document: RotationRunDocument; updates: Map<number, string> }> {
  const log = options.log ?? (() => undefined);
  const indexed = inventory.items.map((item, index) => ({
    item: { ...item, id: item.id ?? item.name ?? `unnamed-${index}` } as InventoryItem & { id: string },
    index,
  }));

  let selected = indexed;
  const only = options.only;
  if (only?.length) {
    const known = new Set(indexed.map((i) => i.item.id));
    const unknown = only.filter((id) => !known.has(id));
    if (unknown.length)
      throw new SvmError(
        'USAGE',
        `--only: no item with id ${unknown.map((u) => `'${u}'`).join(', ')} in ${inventory.file}`,
      );
    selected = selected.filter((i) => only.includes(i.item.id));
  }
  if (options.dueOnly) {
    const plan = planRotations(inventory.items, { now: options.now, source: inventory });
    const due = new Set(
      plan.items
        .filter((p) => p.status === 'overdue' || p.status === 'never-rotated' || p.daysUntilDue <= 0)
        .map((p) => p.id),
    );
    selected = selected.filter((i) => due.has(i.item.id));
  }

  const skipped: RotationRunDocument['skipped'] = [];
  selected = selected.filter(({ item }) => {
    try {
      strategyForItem(item);
      return true;
    } catch (error) {
      if (!isSvmError(error) || error.code !== 'UNSUPPORTED') throw error;
      skipped.push({ id: item.id, reason: error.message.replace(`${item.id}: `, '') });
      return false;
    }
  });

  const runs: RotationRun[] = [];
  const updates = new Map<number, string>();
  if (options.dryRun) {
    for (const { item } of selected) runs.push(dryRunSteps(item));
    const document = {
      dryRun: true,
      journal: null,
      runs,
      skipped,
      summary: summarizeRuns(runs),
      inventoryUpdated: false,
    };
    return { document, updates };
  }

  const { cwd } = options;
  const stores = new Map<string, Promise<SecretStore>>();
  const journals = new Map<string, Promise<RotationJournal>>();
  const journalFor = (item: InventoryItem): Promise<RotationJournal> => {
    const uri =
      options.journal ?? defaultJournalPath(item.store, options.inventoryPath ?? resolve(cwd, 'inventory'), cwd);
    let j = journals.get(uri);
    if (!j) {
      j = openJournal(uri, { cwd });
      journals.set(uri, j);
    }
    return j;
  };
  const storeFor = (item: InventoryItem & { id: string }): Promise<SecretStore> => {
    const uri = item.store;
    if (uri === undefined || !uri.includes('://')) {
      return Promise.reject(
        new SvmError(
          'INPUT_INVALID',
          `${item.id}: store: expected a store URI such as file://./secrets.svm or vault://host:8200/secret, got '${uri ?? ''}'`,
          { file: inventory.file, field: 'store' },
        ),
      );
    }
    let s = stores.get(uri);
    if (!s) {
      s = options.openStore(uri);
      stores.set(uri, s);
    }
    return s;
  };

  let journalLocation: string | null = null;
  const baseDir = options.inventoryPath ? resolve(cwd, '.') : cwd;
  try {
    for (const { item, index } of selected) {
      let run: RotationRun | undefined;
      try {
        const [store, journal] = [await storeFor(item), await journalFor(item)];
        journalLocation = journal.location;
        log(`${item.id}: ${options.resumeOnly ? 'resuming' : 'rotating'}…`);
        run = await rotate(item, {
          store,
          journal,
          resumeOnly: options.resumeOnly,
          target: { env: options.env, baseDir },
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
      log(`${item.id}: ${run.outcome}${run.message ? ` (${run.message})` : ''}`);
      if (run.outcome === 'rotated')
        updates.set(index, run.finishedAt?.slice(0, 10) ?? new Date().toISOString().slice(0, 10));
    }
  } finally {
    for (const s of stores.values()) await s.then((x) => x.close()).catch(() => undefined);
    for (const j of journals.values()) await j.then((x) => x.close()).catch(() => undefined);
  }
  const summary = summarizeRuns(runs);
  return {
    document: { dryRun: false, journal: journalLocation, runs, skipped, summary, inventoryUpdated: false },
    updates,
  };
}

/**
 * Count runs by outcome, with the total.
 *
 * @example
 * ```ts
 * summarizeRuns(runs); // { total: 3, rotated: 2, planned: 0, waiting: 1, 'rolled-back': 0, interrupted: 0, failed: 0 }
 * ```
 */
export function summarizeRuns(runs: readonly RotationRun[]): RotationRunDocument['summary'] {
  const s: RotationRunDocument['summary'] = {
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

/**
 * The exit code of a run: 3 when an item was interrupted (resume it), 1 when one was rolled back or failed, else 0.
 *
 * @example
 * ```ts
 * process.exitCode = runExitCode(document);
 * ```
 */
export function runExitCode(doc: Pick<RotationRunDocument, 'summary'>): 0 | 1 | 3 {
  return doc.summary.interrupted > 0 ? 3 : doc.summary['rolled-back'] + doc.summary.failed > 0 ? 1 : 0;
}

/**
 * A run document for a terminal: each item with its strategy and outcome (its steps when it did not rotate, or in
 * a dry run), the skipped items and a summary line.
 *
 * @example
 * ```ts
 * console.log(renderRunsText((await runInventory(inventory, options)).document));
 * ```
 */
export function renderRunsText(doc: RotationRunDocument, style: TextStyle = {}): string {
  const { bold, green, red, yellow } = fullStyle(style);
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
      for (const [i, step] of run.steps.entries())
        lines.push(
          `  ${i + 1}. [${step.status}] ${step.id}: ${step.title}${step.error ? ` (${step.error.code})` : ''}`,
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
