import { isSvmError } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { parseEvalCases } from './eval-cases.js';

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
