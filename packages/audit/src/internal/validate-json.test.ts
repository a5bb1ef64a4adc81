import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWellFormedJson } from './validate-json.js';

const SEED = 20_261_205;
const parses = (s: string) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

describe('isWellFormedJson agrees with JSON.parse', () => {
  it('on hand-picked edge cases', () => {
    const cases = [
      '{}',
      '[]',
      ' {"a" : [ 1 , -0.5e+3 , true , false , null , "x\\u00e9\\n" ] } ',
      '"\\ud800"',
      '0',
      '-0',
      '1e5',
      '{"a":1,}',
      '[1,]',
      '{"a"}',
      '{,}',
      '01',
      '1.',
      '.5',
      '-',
      '"\t"',
      '"\\x"',
      '"\\u12G4"',
      'tru',
      'nul',
      '{"a":1}x',
      '{"a":1}{',
      '',
      ' ',
      '[[[[[]]]]]',
      '[1 2]',
      '{"a":1 "b":2}',
      '{"a" 1}',
      "{'a':1}",
      '"abc',
      '{"a":"b\\"}',
      '1e',
      '1e+',
      '[',
      '{"a":',
    ];
    for (const c of cases) expect([c, isWellFormedJson(c)]).toEqual([c, parses(c)]);
    const deep = `${'['.repeat(500)}${']'.repeat(500)}`;
    expect(isWellFormedJson(deep)).toBe(true);
    expect(isWellFormedJson(deep.slice(0, -1))).toBe(false);
  });
  it('property: any JSON text, and every prefix and one-character mutation of it', () => {
    fc.assert(
      fc.property(
        fc.json(),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('"', '\\', ',', ':', '}', ']', '{', '[', ' ', 'x', '0', '-', '\u0001', 'e', '.'),
        (text, cut, at, ch) => {
          expect(isWellFormedJson(text)).toBe(true);
          const prefix = text.slice(0, text.length === 0 ? 0 : cut % text.length);
          expect(isWellFormedJson(prefix)).toBe(parses(prefix));
          const p = text.length === 0 ? 0 : at % text.length;
          const mutated = text.slice(0, p) + ch + text.slice(p + 1);
          expect(isWellFormedJson(mutated)).toBe(parses(mutated));
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
