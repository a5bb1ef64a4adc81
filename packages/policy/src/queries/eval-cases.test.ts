import { isSvmError } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { compilePolicies } from '../engine/compile.js';
import { parsePolicy } from '../parse/parse-policy.js';
import { evaluateCases, parseEvalCases } from './eval-cases.js';

describe('parseEvalCases', () => {
  it('reads one case per line and skips blank lines', () => {
    expect(parseEvalCases('{"path":"a","op":"read"}\n\n{"path":"b","data":{"x":1}}\n', 'c.ndjson')).toEqual([
      { path: 'a', op: 'read' },
      { path: 'b', data: { x: 1 } },
    ]);
  });
  it('names the file, line and field of a bad case', () => {
    const at = (text: string) => {
      try {
        parseEvalCases(text, 'c.ndjson');
      } catch (error) {
        if (isSvmError(error)) return [error.code, error.location.line, error.message];
      }
      return undefined;
    };
    expect(at('{"path":"a"}\n{oops')).toEqual(['INPUT_PARSE', 2, expect.stringContaining('invalid JSON')]);
    expect(at('{"path":"a","verb":"x"}')).toEqual([
      'INPUT_INVALID',
      1,
      "unknown field 'verb' (expected path, op, data, wrapTtl)",
    ]);
  });
});

describe('evaluateCases', () => {
  it('decides each case in order, echoing its path, with the op defaulting to read', () => {
    const acl = compilePolicies([parsePolicy('path "secret/data/a" { capabilities = ["read"] }', { name: 'a' })]);
    const results = evaluateCases(
      acl,
      parseEvalCases('{"path":"secret/data/a"}\n{"path":"secret/data/a","op":"update"}\n', 'c'),
    );
    expect(results.map((r) => [r.path, r.op, r.allowed, r.decidedBy?.policy ?? null])).toEqual([
      ['secret/data/a', 'read', true, 'a'],
      ['secret/data/a', 'update', false, 'a'],
    ]);
  });
});
