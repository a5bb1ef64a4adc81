import { z } from 'zod';

/** ISO 8601 instant (the executor writes UTC). */
const Instant = z.iso.datetime({ offset: true });

/**
 * Facts a rotation step records: version ids, account names, key versions, counts. Never a secret value.
 *
 * @example
 * ```ts
 * StepFacts.parse({ pendingVersion: '7', account: 'app_user_b' });
 * ```
 */
export const StepFacts = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type StepFacts = z.infer<typeof StepFacts>;

/**
 * Where one step of a rotation stands: `planned` (dry run or not reached), `done`, `skipped` (nothing to do,
 * e.g. already done before a crash), `failed`, `rolled-back` (undone after a later failure).
 *
 * @example
 * ```ts
 * RotationStepStatus.parse('done');
 * ```
 */
export const RotationStepStatus = z.enum(['planned', 'done', 'skipped', 'failed', 'rolled-back']);
export type RotationStepStatus = z.infer<typeof RotationStepStatus>;

/**
 * One step of a rotation run, as `svm rotation run --json` prints it.
 *
 * @example
 * ```ts
 * RotationStep.parse({ id: 'verify-login', title: 'Log in as app_user_b with the new password', status: 'done' });
 * ```
 */
export const RotationStep = z.object({
  id: z.string().min(1),
  title: z.string(),
  status: RotationStepStatus,
  startedAt: Instant.optional(),
  finishedAt: Instant.optional(),
  /** Version ids and other non-secret facts the step produced. */
  facts: StepFacts.optional(),
  /** Why the step failed (an `SvmError` code and its one-line message). */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type RotationStep = z.infer<typeof RotationStep>;

/**
 * How a rotation run ended:
 * - `rotated`: the new credential is `current` and verified;
 * - `planned`: dry run, nothing touched;
 * - `waiting`: not started, a grace or overlap period has not passed yet (`notBefore` says until when);
 * - `rolled-back`: a verification failed; the store's `current` is untouched;
 * - `interrupted`: a store or target was unreachable; stopped at a safe step, `resume` finishes it;
 * - `failed`: stopped on an error that is not a connectivity problem; the journal keeps the run open.
 *
 * @example
 * ```ts
 * RotationOutcome.parse('rotated');
 * ```
 */
export const RotationOutcome = z.enum(['rotated', 'planned', 'waiting', 'rolled-back', 'interrupted', 'failed']);
export type RotationOutcome = z.infer<typeof RotationOutcome>;

/**
 * One rotation of one inventory item: its steps, times and outcome. Holds version ids, never values.
 *
 * @example
 * ```ts
 * RotationRun.parse({ runId: 'r1', itemId: 'orders-db', strategy: 'dual-account', startedAt: '2026-03-01T10:00:00Z',
 *   finishedAt: '2026-03-01T10:00:02Z', outcome: 'rotated', resumed: false, steps: [] });
 * ```
 */
export const RotationRun = z.object({
  runId: z.string().min(1),
  itemId: z.string().min(1),
  strategy: z.string().min(1),
  startedAt: Instant,
  finishedAt: Instant.optional(),
  outcome: RotationOutcome,
  /** The run continued one that an earlier process left unfinished. */
  resumed: z.boolean(),
  steps: z.array(RotationStep),
  /** Version ids the store's stages point at after the run (where the strategy uses store stages). */
  versions: z.object({ current: z.string().optional(), previous: z.string().optional() }).optional(),
  /** For `waiting`: the earliest instant the rotation may run. */
  notBefore: Instant.optional(),
  /** One line for people (never a secret). */
  message: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type RotationRun = z.infer<typeof RotationRun>;

/**
 * One line of a rotation journal. `begin` opens a run, `before`/`after` bracket each step (`after` carries the
 * step's facts), `failed` records a step error, `end` closes the run with its outcome. An open run (a `begin`
 * without an `end`) is what `svm rotation resume` finishes or rolls back.
 *
 * @example
 * ```ts
 * JournalEntry.parse({ runId: 'r1', itemId: 'orders-db', strategy: 'dual-account', seq: 2, at: '2026-03-01T10:00:00Z',
 *   kind: 'after', step: 'create-pending', facts: { pendingVersion: '7' } });
 * ```
 */
export const JournalEntry = z.object({
  runId: z.string().min(1),
  itemId: z.string().min(1),
  strategy: z.string().min(1),
  /** Order of entries within the run, from 0. */
  seq: z.number().int().nonnegative(),
  at: Instant,
  kind: z.enum(['begin', 'before', 'after', 'failed', 'undo', 'end']),
  step: z.string().optional(),
  facts: StepFacts.optional(),
  outcome: RotationOutcome.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type JournalEntry = z.infer<typeof JournalEntry>;
