import { randomUUID } from 'node:crypto';
import {
  type Clock,
  type InventoryItem,
  type JournalEntry,
  type RotationOutcome,
  type RotationRun,
  type RotationStep,
  type StepFacts,
  SvmError,
  isSvmError,
  systemClock,
} from '@svm/core';
import { strategyForItem } from './select-strategy.js';
import type {
  ExecutorStep,
  ExecutorStrategy,
  JournalLease,
  RotateOptions,
  RotationJournal,
  StepContext,
} from './types.js';

/** Error codes that mean "a store or target could not be reached": stop at a safe step, keep the run open. */
const TRANSIENT = new Set(['UNAVAILABLE', 'TIMEOUT', 'THROTTLED']);

/** The id an inventory item is journaled under: `id`, else `name`. */
export function itemIdOf(item: InventoryItem): string {
  const id = item.id ?? item.name;
  if (id === undefined) throw new SvmError('INPUT_INVALID', 'an item to rotate needs an id or a name', { field: 'id' });
  return id;
}

/** The secret's name in the store: `secret`, else `name`, else `id`. */
export function secretNameOf(item: InventoryItem): string {
  const secret = (item as Record<string, unknown>).secret;
  if (typeof secret === 'string' && secret !== '') return secret;
  return item.name ?? itemIdOf(item);
}

/**
 * What `rotate` would do for an item, without touching any store, target or journal: every step, `planned`.
 *
 * @example
 * ```ts
 * dryRunSteps({ id: 'db', type: 'database', name: 'prod/db' }).steps.map((s) => s.id);
 * // ['create-pending', 'set-password', 'verify-login', 'promote']
 * ```
 */
export function dryRunSteps(
  item: InventoryItem,
  options: { clock?: Clock | undefined; strategy?: ExecutorStrategy | undefined } = {},
): RotationRun {
  const itemId = itemIdOf(item);
  const strategy = options.strategy ?? strategyForItem(item);
  const now = (options.clock ?? systemClock).now().toISOString();
  const steps = strategy
    .steps({ item, itemId, secretName: secretNameOf(item) })
    .map((s): RotationStep => ({ id: s.id, title: s.title, status: 'planned' }));
  return {
    runId: 'dry-run',
    itemId,
    strategy: strategy.id,
    startedAt: now,
    finishedAt: now,
    outcome: 'planned',
    resumed: false,
    steps,
  };
}

/** The open (unfinished) run of an item in its journal entries, if any. */
export function openRunOf(entries: readonly JournalEntry[]): JournalEntry[] | undefined {
  const ended = new Set(entries.filter((e) => e.kind === 'end').map((e) => e.runId));
  const open = entries.filter((e) => !ended.has(e.runId));
  if (open.length === 0) return undefined;
  const runId = open[open.length - 1]!.runId;
  return open.filter((e) => e.runId === runId);
}

/**
 * Rotate one inventory item: finish or roll back its open run if the journal has one, else (unless
 * `resumeOnly`) start a new run of its strategy. Each step is journaled before and after it runs, under a lease
 * so no other runner rotates the same item. Returns the run (`undefined` with `resumeOnly` and nothing open).
 * Never throws for a step failure: the outcome says what happened (`rolled-back`, `interrupted`, `failed`).
 *
 * @example
 * ```ts
 * const store = await openStore('file://./secrets.svm', { file: { keyFile: 'store.key' } });
 * const journal = await openJournal('file://./secrets.svm.journal');
 * const run = await rotate({ id: 'orders-db', type: 'database', name: 'prod/orders-db' }, { store, journal });
 * console.log(run?.outcome); // 'rotated'
 * ```
 */
export async function rotate(item: InventoryItem, options: RotateOptions): Promise<RotationRun | undefined> {
  const clock = options.clock ?? systemClock;
  const itemId = itemIdOf(item);
  const secretName = secretNameOf(item);
  const strategy = options.strategy ?? strategyForItem(item);
  const base = { item, itemId, secretName, store: options.store, targets: options.target ?? {}, clock };

  if (options.dryRun) return dryRunSteps(item, { clock, strategy: options.strategy });

  const lease = await options.journal.acquire(itemId);
  try {
    const history = await options.journal.entries(itemId);
    const open = openRunOf(history);
    if (open)
      return await execute(strategy, { ...base, facts: {}, resumed: true, history }, options, lease, clock, open);
    if (options.resumeOnly) return undefined;
    const ctx: StepContext = { ...base, facts: {}, resumed: false, history };
    const startedAt = clock.now().toISOString();
    let gate;
    try {
      gate = strategy.gate ? await strategy.gate(ctx) : undefined;
    } catch (error) {
      const err = errorFacts(error);
      const outcome: RotationOutcome = TRANSIENT.has(err.code) ? 'interrupted' : 'failed';
      return {
        runId: 'not-started',
        itemId,
        strategy: strategy.id,
        startedAt,
        finishedAt: clock.now().toISOString(),
        outcome,
        resumed: false,
        steps: [],
        error: err,
        message: `not started: ${err.message}`,
      };
    }
    if (gate?.notBefore !== undefined && gate.notBefore.getTime() > clock.now().getTime()) {
      return {
        runId: 'not-started',
        itemId,
        strategy: strategy.id,
        startedAt,
        finishedAt: startedAt,
        outcome: 'waiting',
        resumed: false,
        steps: strategy.steps(base).map((s) => ({ id: s.id, title: s.title, status: 'planned' })),
        notBefore: gate.notBefore.toISOString(),
        message: gate.message,
      };
    }
    ctx.facts = { ...gate?.facts };
    return await execute(strategy, ctx, options, lease, clock, undefined);
  } finally {
    await lease.release();
  }
}

async function execute(
  strategy: ExecutorStrategy,
  ctx: StepContext,
  options: RotateOptions,
  lease: JournalLease,
  clock: Clock,
  open: JournalEntry[] | undefined,
): Promise<RotationRun> {
  const journal = options.journal;
  const runId = open?.[0]?.runId ?? options.runId ?? randomUUID();
  const strategyId = open?.[0]?.strategy ?? strategy.id;
  if (strategyId !== strategy.id) {
    throw new SvmError(
      'CONFLICT',
      `${ctx.itemId}: the open run in the journal used strategy ${strategyId}, not ${strategy.id}`,
    );
  }
  let seq = open ? Math.max(...open.map((e) => e.seq)) + 1 : 0;
  const startedAt = open?.[0]?.at ?? clock.now().toISOString();
  const log = async (entry: Omit<JournalEntry, 'runId' | 'itemId' | 'strategy' | 'seq' | 'at'>): Promise<void> => {
    const full: JournalEntry = {
      runId,
      itemId: ctx.itemId,
      strategy: strategyId,
      seq: seq++,
      at: clock.now().toISOString(),
      ...entry,
    };
    await journal.append(full);
    options.onEntry?.(full);
  };

  // What the journal says happened before.
  const done = new Set<string>();
  const undone = new Set<string>();
  let rollingBack = false;
  for (const e of open ?? []) {
    if (e.facts && (e.kind === 'begin' || e.kind === 'after')) Object.assign(ctx.facts, e.facts);
    if (e.kind === 'after' && e.step) done.add(e.step);
    if (e.kind === 'undo' && e.step) undone.add(e.step);
    if (e.kind === 'undo') rollingBack = true;
  }
  const steps = strategy.steps(ctx);
  const records = new Map<string, RotationStep>(
    steps.map((s) => [s.id, { id: s.id, title: s.title, status: 'planned' }]),
  );
  for (const id of done) {
    const r = records.get(id);
    if (r) r.status = 'skipped';
  }
  const finish = async (outcome: RotationOutcome, extra: Partial<RotationRun> = {}): Promise<RotationRun> => {
    if (outcome === 'rotated' || outcome === 'rolled-back') await log({ kind: 'end', outcome });
    const versions =
      typeof ctx.facts.newVersion === 'string' || typeof ctx.facts.currentVersion === 'string'
        ? versionsOf(ctx.facts, outcome)
        : undefined;
    return {
      runId,
      itemId: ctx.itemId,
      strategy: strategyId,
      startedAt,
      finishedAt: clock.now().toISOString(),
      outcome,
      resumed: ctx.resumed,
      steps: [...records.values()],
      ...(versions ? { versions } : {}),
      ...extra,
    };
  };

  if (!open) await log({ kind: 'begin', facts: ctx.facts });

  if (!rollingBack) {
    for (const step of steps) {
      if (done.has(step.id)) continue;
      const record = records.get(step.id)!;
      record.startedAt = clock.now().toISOString();
      await log({ kind: 'before', step: step.id });
      let facts: StepFacts | void;
      try {
        facts = await step.run(ctx);
      } catch (error) {
        const err = errorFacts(error);
        record.status = 'failed';
        record.finishedAt = clock.now().toISOString();
        record.error = err;
        await safeLog(log, { kind: 'failed', step: step.id, error: err });
        if (TRANSIENT.has(err.code)) {
          return finish('interrupted', {
            error: err,
            message: `${step.id}: ${err.message}; run 'svm rotation resume' to finish`,
          });
        }
        if (err.code === 'VERIFICATION_FAILED') {
          try {
            await rollback(steps, ctx, done, undone, records, log);
          } catch (undoError) {
            // The rollback itself stopped (a target went away): the run stays open and resume finishes the rollback.
            const u = errorFacts(undoError);
            return finish(TRANSIENT.has(u.code) ? 'interrupted' : 'failed', {
              error: u,
              message: `${step.id}: ${err.message}; the rollback stopped: ${u.message}; run 'svm rotation resume' to finish it`,
            });
          }
          return finish('rolled-back', {
            error: err,
            message: `${step.id}: ${err.message}; rolled back, current unchanged`,
          });
        }
        return finish('failed', { error: err, message: `${step.id}: ${err.message}` });
      }
      if (facts) Object.assign(ctx.facts, facts);
      done.add(step.id);
      record.status = 'done';
      record.finishedAt = clock.now().toISOString();
      if (facts && Object.keys(facts).length > 0) record.facts = facts;
      await log({ kind: 'after', step: step.id, ...(facts ? { facts } : {}) });
      await lease.renew();
    }
    return finish('rotated', { message: ctx.resumed ? 'resumed and finished' : undefined });
  }

  // A rollback was under way when the process stopped: finish it.
  try {
    await rollback(steps, ctx, done, undone, records, log);
  } catch (error) {
    const err = errorFacts(error);
    return finish(TRANSIENT.has(err.code) ? 'interrupted' : 'failed', {
      error: err,
      message: `rollback: ${err.message}`,
    });
  }
  return finish('rolled-back', { message: 'resumed and rolled back, current unchanged' });
}

async function rollback(
  steps: ExecutorStep[],
  ctx: StepContext,
  done: Set<string>,
  undone: Set<string>,
  records: Map<string, RotationStep>,
  log: (entry: Omit<JournalEntry, 'runId' | 'itemId' | 'strategy' | 'seq' | 'at'>) => Promise<void>,
): Promise<void> {
  for (const step of [...steps].reverse()) {
    if (!done.has(step.id) && records.get(step.id)?.status !== 'failed') continue;
    if (undone.has(step.id)) continue;
    if (step.undo) await step.undo(ctx);
    await log({ kind: 'undo', step: step.id });
    undone.add(step.id);
    const r = records.get(step.id);
    if (r && r.status !== 'failed') r.status = 'rolled-back';
  }
}

async function safeLog(
  log: (e: Omit<JournalEntry, 'runId' | 'itemId' | 'strategy' | 'seq' | 'at'>) => Promise<void>,
  entry: Omit<JournalEntry, 'runId' | 'itemId' | 'strategy' | 'seq' | 'at'>,
): Promise<void> {
  try {
    await log(entry);
  } catch {
    // The journal itself is unreachable: the open run is still there for resume.
  }
}

function versionsOf(facts: StepFacts, outcome: RotationOutcome): RotationRun['versions'] {
  const cur = typeof facts.currentVersion === 'string' ? facts.currentVersion : undefined;
  const next = typeof facts.newVersion === 'string' ? facts.newVersion : undefined;
  if (outcome === 'rotated' && next) return { current: next, ...(cur ? { previous: cur } : {}) };
  return cur ? { current: cur } : {};
}

/** An error as `{ code, message }` for results and the journal: an SvmError's code and message, else INTERNAL without the message. */
export function errorFacts(error: unknown): { code: string; message: string } {
  if (isSvmError(error)) return { code: error.code, message: error.message };
  const e = error as NodeJS.ErrnoException;
  if (e?.code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE'].includes(e.code)) {
    return { code: 'UNAVAILABLE', message: `unreachable (${e.code})` };
  }
  // Not one of ours: its message could quote a value (JSON.parse does), so only its kind is kept.
  return {
    code: 'INTERNAL',
    message: `unexpected ${(e as Error)?.name ?? 'error'} (a bug in svm or a hook; message withheld in case it quotes a secret)`,
  };
}
