import type { AuditSource, Severity } from '@svm/core';
import type { AnalysisResult, InputError } from '../analyzer.js';
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
  /** Extra facts (bounded samples such as `paths`); never secret values. */
  evidence?: Record<string, unknown>;
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
}

/**
 * The stable JSON document for an analysis: `{lines, events, malformed, sources, findings[], malformedLines[]}`, plus
 * `inputErrors[]` (`{file, reason}`) only when an input was damaged;
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
    findings: result.findings.map((f) => {
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
    }),
    malformedLines: result.malformedLines.slice(0, 100),
    ...(result.inputErrors.length > 0 ? { inputErrors: result.inputErrors.slice(0, 100) } : {}),
  };
}
