import { SvmError, Suppressions, loadDocument, type Suppression } from '@svm/core';
import picomatch from 'picomatch';
import { type AuditFinding, RULE_IDS } from '../detectors/types.js';

/** Which suppression a finding matched. */
export interface SuppressionRef {
  /** Position in the file's `suppressions` list (0-based). */
  index: number;
  id?: string;
  reason: string;
}

/** A finding a suppression acknowledged: listed under `suppressed`, never dropped. */
export type SuppressedFinding = AuditFinding & { suppressedBy: SuppressionRef };

/** What each suppression did in one analysis. */
export interface SuppressionStatus extends SuppressionRef {
  expires: string;
  /** Findings (before grouping) it matched; for an expired one, the findings it would have matched. */
  matched: number;
}

/** The suppressions of one analysis: the ones that applied (even to nothing) and the expired ones. */
export interface SuppressionReport {
  /** Where they came from (a file name), when known. */
  file?: string;
  /** Evaluated against this instant (ISO). */
  now: string;
  active: SuppressionStatus[];
  /** Expired suppressions: they no longer apply; their findings are reported as findings. */
  expired: SuppressionStatus[];
}

/** A suppression file made ready to match. */
export interface CompiledSuppressions {
  file?: string;
  entries: Array<{
    ref: SuppressionRef;
    expiresMs: number;
    expires: string;
    match: (f: AuditFinding) => boolean;
  }>;
}

const instantMs = (s: string) => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);

/**
 * Read a suppression file (YAML or JSON, schema `Suppressions` in `@svm/core`, published as
 * `suppressions.schema.json`) and compile it. Errors name the file, line and field (`INPUT_INVALID`), e.g. an
 * unknown rule id or a bad glob.
 *
 * @example
 * ```ts
 * const suppressions = loadSuppressions(readFileSync('suppressions.yaml', 'utf8'), { file: 'suppressions.yaml' });
 * const result = analyzeEvents(events, { suppressions });
 * ```
 */
export function loadSuppressions(text: string, options: { file: string }): CompiledSuppressions {
  // Rule ids and globs are checked in the schema pass, so their errors carry the line like any other field's.
  const checked = Suppressions.superRefine((doc, ctx) => {
    doc.suppressions.forEach((s, i) => {
      const problem = ruleProblem(s) ?? globProblem(s);
      if (problem) ctx.addIssue({ code: 'custom', path: ['suppressions', i, problem.field], message: problem.message });
    });
  });
  const doc = loadDocument(text, { file: options.file }, checked);
  return compileSuppressions(doc, options.file);
}

function ruleProblem(s: Suppression): { field: string; message: string; value?: string } | undefined {
  for (const r of s.rule === undefined ? [] : Array.isArray(s.rule) ? s.rule : [s.rule])
    if (!(RULE_IDS as readonly string[]).includes(r))
      return { field: 'rule', message: `unknown rule (expected one of ${RULE_IDS.join(', ')})`, value: r };
  return undefined;
}

function globProblem(s: Suppression): { field: string; message: string } | undefined {
  if (s.path === undefined) return undefined;
  try {
    picomatch(s.path, GLOB);
    return undefined;
  } catch (cause) {
    return { field: 'path', message: `bad glob '${s.path}': ${(cause as Error).message}` };
  }
}

const GLOB = { dot: true, strictBrackets: true };

/**
 * Compile a parsed suppression document: rule ids are checked against `RULE_IDS`, path globs compiled with
 * picomatch. Matching: every field given must match; `identity` and `accessor` exactly, `path` against the
 * finding's path or logical secret, `window` on the finding's whole span (`time` ≥ from, last time < until).
 *
 * @example
 * ```ts
 * compileSuppressions({ suppressions: [{ rule: 'policy-change', identity: 'approle-terraform',
 *   expires: '2027-01-01', reason: 'Terraform' }] });
 * ```
 */
export function compileSuppressions(doc: Suppressions, file?: string): CompiledSuppressions {
  const entries = doc.suppressions.map((s: Suppression, index) => {
    const problem = ruleProblem(s) ?? globProblem(s);
    if (problem)
      throw new SvmError('INPUT_INVALID', `${problem.message}${'value' in problem ? `, got '${problem.value}'` : ''}`, {
        ...(file ? { file } : {}),
        field: `suppressions[${index}].${problem.field}`,
      });
    const rules = s.rule === undefined ? undefined : new Set(Array.isArray(s.rule) ? s.rule : [s.rule]);
    const glob = s.path === undefined ? undefined : picomatch(s.path, GLOB);
    const from = s.window?.from === undefined ? Number.NEGATIVE_INFINITY : instantMs(s.window.from);
    const until = s.window?.until === undefined ? Number.POSITIVE_INFINITY : instantMs(s.window.until);
    if (from >= until)
      throw new SvmError('INPUT_INVALID', 'window: from must be before until', {
        ...(file ? { file } : {}),
        field: `suppressions[${index}].window`,
      });
    const ref: SuppressionRef = { index, reason: s.reason };
    if (s.id !== undefined) ref.id = s.id;
    const match = (f: AuditFinding): boolean => {
      if (rules && !rules.has(f.rule)) return false;
      if (s.identity !== undefined && f.identity !== s.identity) return false;
      if (s.accessor !== undefined && f.accessor !== s.accessor) return false;
      if (glob && !((f.path !== null && glob(f.path)) || (f.secret !== undefined && glob(f.secret)))) return false;
      if (s.window) {
        const t = Date.parse(f.time);
        const last = Date.parse(f.lastTime ?? f.time);
        if (!(t >= from && last < until)) return false;
      }
      return true;
    };
    return { ref, expires: s.expires, expiresMs: instantMs(s.expires), match };
  });
  return { ...(file ? { file } : {}), entries };
}

/**
 * Split findings into active and suppressed. A suppression whose `expires` is at or before `now` no longer
 * applies: its findings stay active and it is listed under `expired` (with the findings it would have matched).
 * The first active suppression that matches a finding is the one recorded.
 *
 * @example
 * ```ts
 * const { findings, suppressed, report } = applySuppressions(result.findings, compiled, Date.now());
 * ```
 */
export function applySuppressions(
  findings: readonly AuditFinding[],
  compiled: CompiledSuppressions,
  now: number,
): { findings: AuditFinding[]; suppressed: SuppressedFinding[]; report: SuppressionReport } {
  const status = compiled.entries.map((e) => ({
    e,
    expired: e.expiresMs <= now,
    s: { ...e.ref, expires: e.expires, matched: 0 } as SuppressionStatus,
  }));
  const active: AuditFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    let by: SuppressionRef | undefined;
    for (const x of status) {
      if (!x.e.match(f)) continue;
      x.s.matched++;
      if (!x.expired && by === undefined) by = x.e.ref;
    }
    if (by) suppressed.push({ ...f, suppressedBy: by });
    else active.push(f);
  }
  return {
    findings: active,
    suppressed,
    report: {
      ...(compiled.file ? { file: compiled.file } : {}),
      now: new Date(now).toISOString(),
      active: status.filter((x) => !x.expired).map((x) => x.s),
      expired: status.filter((x) => x.expired).map((x) => x.s),
    },
  };
}

/**
 * One warning per expired suppression of an analysis, naming the suppression file, the suppression (its id, else
 * its position) and when it expired: what `svm audit analyze --suppressions` shows on stderr.
 *
 * @example
 * ```ts
 * expiredSuppressionWarnings(result.suppressions, 'suppressions.yaml');
 * // ['suppressions.yaml: suppression #2 expired (2026-01-31); no longer applied']
 * ```
 */
export function expiredSuppressionWarnings(report: SuppressionReport | undefined, file: string | undefined): string[] {
  return (report?.expired ?? []).map(
    (s) => `${file}: suppression ${s.id ?? `#${s.index + 1}`} expired (${s.expires}); no longer applied`,
  );
}
