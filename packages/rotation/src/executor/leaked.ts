import {
  type Clock,
  ERROR_CODES,
  type ErrorCode,
  type InventoryItem,
  type RotationRun,
  SvmError,
  isSvmError,
  systemClock,
} from '@svm/core';
import type { SecretStore } from '@svm/providers';
import { rotate, secretNameOf } from './rotate.js';
import { strategyForItem } from './select-strategy.js';
import { newVersionStrategy } from './strategies/new-version.js';
import { type DbConnection, parseDbSecret, verifyLogin } from './targets/postgres.js';
import type { ExecutorStrategy, RotationJournal, RotationTargets } from './types.js';

/**
 * Runs of a strategy needed before a leaked value is dead. Dual-account keeps the retired account's password and
 * overlap-window the previous key for a grace period: a leak waives it, and the second run changes that account
 * (or revokes that key) too.
 */
const LEAK_RUNS: Record<string, number> = { 'dual-account': 2, 'overlap-window': 2 };

/** Options of {@link rotateLeaked}. */
export interface RotateLeakedOptions {
  store: SecretStore;
  journal: RotationJournal;
  target?: RotationTargets | undefined;
  clock?: Clock | undefined;
  /** Runs of the item that ended before this instant do not count (default: now): set it to the containment's start. */
  since?: Date | undefined;
  /** The leaked version id, checked at the end (default: the current version when called). */
  leakedVersion?: string | undefined;
}

/** What {@link rotateLeaked} did. */
export interface RotateLeakedResult {
  strategy: string;
  /** The executor runs, in order (a resumed run first). */
  runs: RotationRun[];
  leakedVersion: string;
  /** `login-refused`: a real login with the leaked database credentials was refused; else `not-applicable`. */
  check: 'login-refused' | 'not-applicable';
}

/**
 * The strategy a leak rotates an item with: its executor strategy with any grace or overlap period waived
 * (`rotation.grace` and `rotation.overlap` set to 0), or `new-version` where no executor strategy applies.
 *
 * @example
 * ```ts
 * leakStrategyFor({ id: 'db', type: 'database' }).strategy.id; // 'dual-account'
 * ```
 */
export function leakStrategyFor(item: InventoryItem): { item: InventoryItem; strategy: ExecutorStrategy } {
  const rotation = (item as Record<string, unknown>).rotation;
  const waived = {
    ...item,
    rotation: { ...(rotation && typeof rotation === 'object' ? rotation : {}), grace: 0, overlap: 0 },
  } as InventoryItem;
  try {
    return { item: waived, strategy: strategyForItem(item) };
  } catch (error) {
    if (isSvmError(error) && error.code === 'UNSUPPORTED') return { item: waived, strategy: newVersionStrategy };
    throw error;
  }
}

/**
 * Rotate a leaked secret at its source until the leaked value no longer works: the item's executor strategy,
 * journaled and resumable like any rotation, with grace and overlap periods waived, run as often as the strategy
 * needs (dual-account twice, so the account whose password leaked is changed too). For a database secret it then
 * logs in with the leaked credentials and expects the server to refuse. Calling it again after it finished does
 * not rotate again (it counts the runs since `since`).
 *
 * @example
 * ```ts
 * const r = await rotateLeaked(item, { store, journal, since: startedAt });
 * r.check; // 'login-refused'
 * ```
 */
export async function rotateLeaked(item: InventoryItem, options: RotateLeakedOptions): Promise<RotateLeakedResult> {
  const clock = options.clock ?? systemClock;
  const since = (options.since ?? clock.now()).toISOString();
  const { item: leakItem, strategy } = leakStrategyFor(item);
  const name = secretNameOf(item);
  const leakedVersion = options.leakedVersion ?? (await options.store.get(name)).version;
  const needed = LEAK_RUNS[strategy.id] ?? 1;
  const runs: RotationRun[] = [];
  const itemId = leakItem.id ?? leakItem.name ?? name;
  const finishedSince = async (): Promise<number> => {
    const entries = await options.journal.entries(itemId);
    return entries.filter((e) => e.kind === 'end' && e.outcome === 'rotated' && e.at >= since).length;
  };
  for (let guard = 0; guard < needed + 1; guard++) {
    // A run a crash left open is finished first (rotate() resumes it); then new runs until enough have ended.
    const open = await options.journal.openItems();
    if (!open.includes(itemId) && (await finishedSince()) >= needed) break;
    const run = await rotate(leakItem, {
      store: options.store,
      journal: options.journal,
      target: options.target,
      clock,
      strategy,
    });
    if (!run) break;
    runs.push(run);
    if (run.outcome !== 'rotated') {
      const code = run.outcome === 'interrupted' ? 'UNAVAILABLE' : (run.error?.code ?? 'VERIFICATION_FAILED');
      throw new SvmError(
        Object.hasOwn(ERROR_CODES, code) ? (code as ErrorCode) : 'VERIFICATION_FAILED',
        `${itemId}: rotation ${run.outcome}${run.message ? `: ${run.message}` : ''}`,
      );
    }
  }
  return { strategy: strategy.id, runs, leakedVersion, check: await checkLeaked(options, name, leakedVersion) };
}

/** For a database secret: a login with the leaked version's credentials must be refused. */
async function checkLeaked(
  options: RotateLeakedOptions,
  name: string,
  version: string,
): Promise<RotateLeakedResult['check']> {
  const leaked = await options.store.get(name, { version });
  let conn: DbConnection;
  try {
    conn = parseDbSecret(leaked.value, `${name} version ${version}`);
  } catch {
    return 'not-applicable';
  }
  try {
    await verifyLogin(conn, options.target?.connectTimeoutMs);
  } catch (error) {
    if (isSvmError(error) && error.code === 'VERIFICATION_FAILED') return 'login-refused';
    throw error;
  }
  throw new SvmError(
    'VERIFICATION_FAILED',
    `${name}: the leaked credentials of version ${version} (${conn.username}@${conn.host}) still log in after the rotation`,
  );
}
