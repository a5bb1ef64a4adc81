import { parseTimeBound } from '../objstore/time-bound.js';

/** The analysed time window and what fell outside it (see `since`/`until` in `AuditAnalyzerOptions`). */
export interface AnalysisWindow {
  /** Start (inclusive, ISO), or null for none. */
  since: string | null;
  /** End (exclusive, ISO), or null for none. */
  until: string | null;
  /** Events before `since` that taught the baselines (not analysed for findings, not in the report). */
  warmup: number;
  /** Events before `since` the loaded baseline had already learned (`learnedUntil`): skipped. */
  alreadyLearned: number;
  /** Events at or after `until`: skipped (not learned either). */
  after: number;
}

/** A bound given as epoch ms or any string `parseTimeBound` takes (durations count back from `now`). */
export type TimeBound = number | string;

/** Epoch ms of a {@link TimeBound}. */
export function timeBoundMs(bound: TimeBound | undefined, now: number, name: string): number | undefined {
  if (bound === undefined) return undefined;
  if (typeof bound === 'number') return bound;
  return parseTimeBound(bound, now, name);
}
