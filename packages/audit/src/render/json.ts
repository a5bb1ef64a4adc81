import type { AuditSource, Severity } from '@svm/core';
import type { AnalysisResult, InputError } from '../analyzer.js';
import type { AuditFinding } from '../detectors/types.js';
import type { SuppressionRef, SuppressionReport } from '../findings/suppress.js';
import type { AnalysisWindow } from '../findings/window.js';
import type { MalformedLine } from '../internal/parse-batch.js';

/** One finding as `svm audit analyze --json` prints it (a stable contract). */
export interface FindingJson {
  rule: string;
  severity: Severity;
  time: string;
  identity: string | null;
  sourceIp: string | null;
  path: string | null;
  count: number;
  message: string;
  /** The logical secret the path names, when it names one. */
  secret?: string;
  /** Time of the last event a grouped finding covers. */
  lastTime?: string;
  /** Opaque (HMAC'd) token accessor, when the identity name alone is ambiguous. */
  accessor?: string;
  /**
   * Extra facts (bounded samples such as `paths`); never secret values. A grouped finding has `total` (its
   * members), `objects` (the distinct policies, mounts, secrets or paths) and `members` (each member finding,
   * up to 1,000).
   */
  evidence?: Record<string, unknown>;
}

/** A suppressed finding: the finding plus the suppression that acknowledged it. */
export interface SuppressedFindingJson extends FindingJson {
  suppression: SuppressionRef;
}

/** The `svm audit analyze --json` document. */
export interface AnalysisJson {
  lines: number;
  events: number;
  malformed: number;
  sources: Partial<Record<AuditSource, number>>;
  findings: FindingJson[];
  malformedLines: MalformedLine[];
  /** Present only when an input was damaged (truncated or corrupt gzip, trailing bytes): the CLI then exits 2. */
  inputErrors?: InputError[];
  /** Present only with suppressions: the findings they acknowledged (not in `findings`, not failing `--fail-on`). */
  suppressed?: SuppressedFindingJson[];
  /** Present only with suppressions: what each did; `expired` lists those past their date (no longer applied). */
  suppressions?: SuppressionReport;
  /** Present only with `since`/`until`: the window and the events outside it. */
  window?: AnalysisWindow;
}

function findingJson(f: AuditFinding): FindingJson {
  const j: FindingJson = {
    rule: f.rule,
    severity: f.severity,
    time: f.time,
    identity: f.identity,
    sourceIp: f.sourceIp,
    path: f.path,
    count: f.count,
    message: f.message,
  };
  if (f.secret !== undefined) j.secret = f.secret;
  if (f.lastTime !== undefined) j.lastTime = f.lastTime;
  if (f.accessor !== undefined) j.accessor = f.accessor;
  if (f.evidence !== undefined) j.evidence = f.evidence;
  return j;
}

/**
 * The stable JSON document for an analysis: `{lines, events, malformed, sources, findings[], malformedLines[]}`, plus
 * `inputErrors[]` (`{file, reason}`) only when an input was damaged, `suppressed[]` and `suppressions` only when
 * suppressions were given, `window` only with `since`/`until`;
 * each finding has `rule, severity, time, identity, sourceIp, path, count, message`, and `secret`, `lastTime`,
 * `accessor`, `evidence` when they apply.
 *
 * @example
 * ```ts
 * JSON.stringify(toAnalysisJson(result));
 * ```
 */
export function toAnalysisJson(result: AnalysisResult): AnalysisJson {
  return {
    lines: result.lines,
    events: result.events,
    malformed: result.malformed,
    sources: result.sources,
    findings: result.findings.map(findingJson),
    malformedLines: result.malformedLines.slice(0, 100),
    ...(result.inputErrors.length > 0 ? { inputErrors: result.inputErrors.slice(0, 100) } : {}),
    ...(result.suppressions
      ? {
          suppressed: result.suppressed.map((f) => ({ ...findingJson(f), suppression: f.suppressedBy })),
          suppressions: result.suppressions,
        }
      : {}),
    ...(result.window ? { window: result.window } : {}),
  };
}
