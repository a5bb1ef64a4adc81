import { PolicyEvalCase, SvmError } from '@svm/core';

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
