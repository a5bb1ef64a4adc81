import type { Clock, InventoryItem, JournalEntry, RotationRun, StepFacts } from '@svm/core';
import type { SecretStore } from '@svm/providers';

/**
 * The systems a rotation talks to besides the store: Vault / OpenBao engines (transit, PKI, database static
 * roles), provider hooks for API keys, and audit logs to check before a revoke. Each strategy reads what it needs
 * and says which one is missing otherwise.
 */
export interface RotationTargets {
  /** Vault / OpenBao for the transit, PKI and static-role strategies (else `VAULT_ADDR`/`BAO_ADDR` + token). */
  vault?: { addr: string; token: string; namespace?: string | undefined } | undefined;
  /** Environment used for defaults (`VAULT_ADDR`, `VAULT_TOKEN`, …); default `process.env`. */
  env?: Record<string, string | undefined> | undefined;
  /** Directory relative hook paths and audit-log paths are resolved from (default: the working directory). */
  baseDir?: string | undefined;
  /** Milliseconds a PostgreSQL connection or login check may take (default 10 000). */
  connectTimeoutMs?: number | undefined;
}

/** What every step of a strategy sees. `facts` are the non-secret facts the earlier steps recorded. */
export interface StepContext {
  item: InventoryItem;
  itemId: string;
  /** The secret's name in the store (`item.secret`, else `item.name`). */
  secretName: string;
  store: SecretStore;
  targets: RotationTargets;
  clock: Clock;
  facts: StepFacts;
  /** The run continues one an earlier process left open. */
  resumed: boolean;
  /** The item's earlier journal entries (what previous runs recorded), for gates that need history. */
  history?: readonly JournalEntry[] | undefined;
}

/**
 * One idempotent step. `run` may be called again after a crash with the same facts and must then converge on
 * the same result; it returns the facts to record (version ids, never values). `undo`, where present, reverts the
 * step when a later step fails verification.
 */
export interface ExecutorStep {
  id: string;
  title: string;
  run(ctx: StepContext): Promise<StepFacts | void>;
  undo?(ctx: StepContext): Promise<void>;
}

/** Whether a rotation may start now. */
export interface GateResult {
  /** When set and in the future, the rotation waits (outcome `waiting`). */
  notBefore?: Date | undefined;
  message?: string | undefined;
  /** Facts to seed the run with (what the gate already read). */
  facts?: StepFacts | undefined;
}

/**
 * A rotation strategy the executor can run: a gate (grace periods, due dates) and an ordered list of steps.
 * Issue-14-style callers can compose their own from the same parts.
 */
export interface ExecutorStrategy {
  id: string;
  /** Checks that read the store or target before anything changes; no writes. */
  gate?(ctx: StepContext): Promise<GateResult | undefined>;
  /** The steps, from the item alone (no I/O): `--dry-run` prints exactly these. */
  steps(ctx: Pick<StepContext, 'item' | 'itemId' | 'secretName'>): ExecutorStep[];
}

/** A lease on one item: while held, no other runner rotates it. */
export interface JournalLease {
  /** Extend the lease (called after every step). */
  renew(): Promise<void>;
  release(): Promise<void>;
}

/**
 * Where rotations are recorded. Appends are durable before they return (fsync / commit). Entries hold version
 * ids and facts, never secret values.
 */
export interface RotationJournal {
  /** A printable location with any credentials removed. */
  readonly location: string;
  /** Take the item's lease; throws `LEASE_HELD` when another live runner has it. */
  acquire(itemId: string): Promise<JournalLease>;
  append(entry: JournalEntry): Promise<void>;
  /** Entries of every run of the item, oldest first. */
  entries(itemId: string): Promise<JournalEntry[]>;
  /** Item ids that have a run without an `end` entry. */
  openItems(): Promise<string[]>;
  close(): Promise<void>;
}

/** Options of {@link rotate}. */
export interface RotateOptions {
  store: SecretStore;
  journal: RotationJournal;
  target?: RotationTargets | undefined;
  clock?: Clock | undefined;
  /** Print the steps only: no lease, no journal entry, no store or target access. */
  dryRun?: boolean | undefined;
  /** Only finish or roll back an open run; never start a new one. */
  resumeOnly?: boolean | undefined;
  /** Choose the strategy yourself instead of from the item's `strategy`/`type`. */
  strategy?: ExecutorStrategy | undefined;
  /** Called after each journal append (progress lines, tests that crash the executor at a chosen step). */
  onEntry?: ((entry: JournalEntry) => void) | undefined;
  /** Run id for a new run (default: a random UUID). */
  runId?: string | undefined;
}

export type { RotationRun };
