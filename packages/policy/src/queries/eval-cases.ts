import { PolicyEvalCase, type PolicyEvalResult, SvmError } from '@svm/core';
import type { CompiledAcl } from '../engine/compile.js';
import { evaluate } from '../engine/evaluate.js';
import { toEvalResult } from './policy-set.js';

/**
 * Parse `svm policy eval --batch` input: NDJSON, one `{"path","op"?,"data"?,"wrapTtl"?}` case per line
 * (blank lines skipped). Throws `INPUT_PARSE` (bad JSON) or `INPUT_INVALID` (unknown or wrong field)
 * naming the file, line and field.
 *
 * @example
 * ```ts
 * parseEvalCases('{"path":"secret/data/a","op":"read"}\n', 'cases.ndjson'); // [{ path: 'secret/data/a', op: 'read' }]
 * ```
 */
export function parseEvalCases(text: string, file: string): PolicyEvalCase[] {
  const out: PolicyEvalCase[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new SvmError('INPUT_PARSE', `invalid JSON: ${(cause as Error).message}`, { file, line: i + 1 });
    }
    const parsed = PolicyEvalCase.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.length ? issue.path.join('.') : undefined;
      const message =
        issue?.code === 'unrecognized_keys'
          ? `unknown field ${issue.keys.map((k) => `'${k}'`).join(', ')} (expected path, op, data, wrapTtl)`
          : (issue?.message ?? 'invalid case');
      throw new SvmError('INPUT_INVALID', message, { file, line: i + 1, field });
    }
    out.push(parsed.data);
  });
  return out;
}

/**
 * Decide every case of a batch (see {@link parseEvalCases}) and give the published result of each, in order.
 *
 * @example
 * ```ts
 * evaluateCases(compilePolicies(policies), parseEvalCases(text, 'cases.ndjson')).filter((r) => !r.allowed);
 * ```
 */
export function evaluateCases(acl: CompiledAcl, cases: readonly PolicyEvalCase[]): PolicyEvalResult[] {
  return cases.map((c) =>
    toEvalResult(evaluate(acl, { path: c.path, operation: c.op ?? 'read', data: c.data, wrapTtl: c.wrapTtl }), c.path),
  );
}
