import { type TextStyle, formatLocated, fullStyle, renderTable } from '@svm/core';
import type { Decision, Explanation } from '../engine/evaluate.js';
import type { PolicyDiffReport, WhoCanReport } from '../queries/policy-set.js';

function where(d: { file?: string | undefined; position?: { line: number; column: number } | undefined }): string {
  return d.file && d.position
    ? ` (${formatLocated({ file: d.file, line: d.position.line, column: d.position.column }, '').replace(/: $/, '')})`
    : '';
}

/**
 * A decision as a few lines: the verdict, the deciding policy, pattern and file, the capabilities and why
 * (`svm policy eval`).
 *
 * @example
 * ```ts
 * renderDecisionText(evaluate(acl, { path: 'secret/data/app/db', operation: 'read' }));
 * // 'ALLOWED  read secret/data/app/db\n  decided by:    policy "app", pattern "secret/data/app/*" (app.hcl:1:1)\n…'
 * ```
 */
export function renderDecisionText(d: Decision, style: TextStyle = {}): string {
  const c = fullStyle(style);
  const verdict = d.allowed ? c.green('ALLOWED') : c.red('DENIED');
  const lines = [`${verdict}  ${d.operation} ${d.path}`];
  lines.push(
    `  decided by:    ${d.decidedBy ? `policy "${d.decidedBy.policy}", pattern "${d.decidedBy.pattern}"${where(d.decidedBy)}` : d.reason === 'root' ? 'the root policy' : 'no rule (deny by default)'}`,
  );
  lines.push(`  capabilities:  ${d.capabilities.join(', ')} (sys/capabilities for the path)`);
  if (d.decidedBy && d.decidedBy.capabilities.join() !== d.capabilities.join())
    lines.push(`  rule grants:   ${d.decidedBy.capabilities.join(', ')}`);
  lines.push(`  sudo:          ${d.sudo ? 'yes' : 'no'}`);
  lines.push(`  reason:        ${d.message}`);
  return lines.join('\n');
}

/**
 * An explained decision: {@link renderDecisionText}, then each lookup step and every matching rule with the
 * policies that hold it and why it won or lost (`svm policy explain`).
 *
 * @example
 * ```ts
 * renderExplanationText(explain(acl, { path: 'secret/data/app/db', operation: 'read' }));
 * ```
 */
export function renderExplanationText(d: Decision & { explanation: Explanation }, style: TextStyle = {}): string {
  const e = d.explanation;
  const out = [renderDecisionText(d, style), '', 'Lookup steps:'];
  out.push(
    renderTable(
      ['  STEP', 'PATH', 'MATCHED'],
      e.steps.map((s) => [`  ${s.step}`, s.lookupPath, s.matched ?? '-']),
    ),
  );
  if (e.candidates.length) {
    out.push('', 'Matching rules:');
    out.push(
      renderTable(
        ['  OUTCOME', 'PATTERN', 'CAPABILITIES', 'POLICIES', 'WHY'],
        e.candidates.map((k) => [
          `  ${k.outcome}`,
          k.pattern,
          k.capabilities.join(','),
          k.sources
            .map(
              (s) => `${s.policy}${s.file && s.position ? ` ${s.file}:${s.position.line}:${s.position.column}` : ''}`,
            )
            .join('; '),
          k.why,
        ]),
      ),
    );
  } else out.push('', 'No rule matches this path.');
  return out.join('\n');
}

/**
 * A who-can report as a headline and a table per policy (and per generated role) (`svm policy who-can`).
 * `withDefault` says each policy was evaluated together with the built-in `default` policy.
 *
 * @example
 * ```ts
 * renderWhoCanText(whoCanReport(policies, { path: 'sys/audit', operation: 'read' }));
 * // '1 of 4 policies allow read sys/audit\n\nPOLICY  ALLOWED …'
 * ```
 */
export function renderWhoCanText(report: WhoCanReport, options: { withDefault?: boolean | undefined } = {}): string {
  const entries = report.policies;
  const along = options.withDefault && !entries.some((e) => e.policy === 'default');
  const head = `${report.allowed.length} of ${entries.length} ${entries.length === 1 ? 'policy allows' : 'policies allow'} ${report.op} ${report.path}${along ? ' (each with the default policy)' : ''}`;
  const table = renderTable(
    ['POLICY', 'ALLOWED', 'SUDO', 'CAPABILITIES', 'DECIDED BY'],
    entries.map((e) => [
      e.policy,
      e.allowed ? 'yes' : 'no',
      e.sudo ? 'yes' : 'no',
      e.capabilities.join(','),
      e.decidedBy?.pattern ?? '-',
    ]),
  );
  const roleTable = report.roles?.length
    ? `\n\n${renderTable(
        ['ROLE', 'ALLOWED', 'POLICIES', 'DECIDED BY'],
        report.roles.map((r) => [
          r.role,
          r.allowed ? 'yes' : 'no',
          r.policies.join(',') + (r.missing.length ? ` (missing: ${r.missing.join(',')})` : ''),
          r.decidedBy ? `${r.decidedBy.policy}: ${r.decidedBy.pattern}` : '-',
        ]),
      )}`
    : '';
  return `${head}\n\n${table}${roleTable}`;
}

/**
 * A policy diff as a headline and a table of capabilities added and removed per path (`svm policy diff`).
 * `sampled` says the paths were sampled from the patterns rather than given.
 *
 * @example
 * ```ts
 * renderPolicyDiffText(diffPolicySets(before, after), { sampled: true });
 * // '2 of 14 paths changed (paths sampled from the patterns of both sets)\n\nPATH …'
 * ```
 */
export function renderPolicyDiffText(
  report: PolicyDiffReport,
  options: { sampled?: boolean | undefined; style?: TextStyle | undefined } = {},
): string {
  const { green, red } = fullStyle(options.style);
  const head = `${report.changed} of ${report.paths} paths changed (paths ${options.sampled ? 'sampled from the patterns of both sets' : 'given'})`;
  if (!report.entries.length) return head;
  return `${head}\n\n${renderTable(
    ['PATH', 'BEFORE', 'AFTER', 'ADDED', 'REMOVED'],
    report.entries.map((e) => [
      e.path,
      e.before.join(','),
      e.after.join(','),
      e.added.length ? green(`+${e.added.join(',+')}`) : '-',
      e.removed.length ? red(`-${e.removed.join(',-')}`) : '-',
    ]),
  )}`;
}

/**
 * What `svm policy fmt --check` / `--write` says: the files not formatted (or rewritten) and a count.
 *
 * @example
 * ```ts
 * renderFormatSummary(await formatPolicyFiles(['policies/']), { write: false });
 * ```
 */
export function renderFormatSummary(
  results: readonly { file: string; changed: boolean }[],
  options: { write?: boolean | undefined } = {},
): string {
  const changed = results.filter((r) => r.changed);
  if (!changed.length) return `${results.length} file(s) already formatted`;
  const tail = options.write
    ? `reformatted ${changed.length} file(s)`
    : `${changed.length} file(s) not formatted (run svm policy fmt --write)`;
  return `${changed.map((r) => r.file).join('\n')}\n${tail}`;
}
