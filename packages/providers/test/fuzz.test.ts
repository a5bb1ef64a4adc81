// `pnpm fuzz` (SVM_FUZZ_RUNS per property; CI runs the default few hundred with the fixed seed): the file-store
// envelope and content parsers return or throw a coded SvmError, never an untyped error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns, mutated, typedOrOk } from '../../../scripts/fuzz-kit.ts';
import { readHeader, seal, unseal } from '../src/file-store/envelope.ts';
import { parseData } from '../src/file-store/model.ts';

const KEY = Buffer.alloc(32, 7);
const CONTENT = JSON.stringify({
  v: 1,
  secrets: {
    'app/db': {
      versions: [{ id: '1', created: '2026-01-01T00:00:00Z', state: 'enabled', value: 'x' }],
      stages: { current: '1' },
    },
  },
});
const hkdf = seal(Buffer.from(CONTENT), KEY, { name: 'hkdf-sha256', salt: 'AAAAAAAAAAAAAAAAAAAAAA==' }).toString(
  'latin1',
);
const scrypt = seal(Buffer.from(CONTENT), KEY, {
  name: 'scrypt',
  salt: 'AAAAAAAAAAAAAAAAAAAAAA==',
  N: 2 ** 14,
  r: 8,
  p: 1,
}).toString('latin1');

describe('fuzz: file store', () => {
  it('the seeds are valid stores', () => {
    for (const file of [hkdf, scrypt])
      expect(parseData(unseal(readHeader(Buffer.from(file, 'latin1')), KEY).toString('utf8')).v).toBe(1);
  });

  it(`a mutated store file (header, KDF parameters, body) is refused with a coded error (${fuzzRuns(1.5)} inputs)`, () => {
    fc.assert(
      fc.property(mutated([hkdf, scrypt]), (text) =>
        typedOrOk(() => {
          const parts = readHeader(Buffer.from(text, 'latin1'), 'fuzz.svm');
          parseData(unseal(parts, KEY, 'fuzz.svm').toString('utf8'), 'fuzz.svm');
        }),
      ),
      { numRuns: fuzzRuns(1.5) },
    );
  });

  it(`authenticated but malformed content is refused with a coded error (${fuzzRuns(1.5)} inputs)`, () => {
    fc.assert(
      fc.property(mutated([CONTENT, '{"v":1,"secrets":{}}']), (text) => typedOrOk(() => parseData(text, 'fuzz.svm'))),
      { numRuns: fuzzRuns(1.5) },
    );
  });

  it('regression: content that is not JSON is DECRYPT_FAILED, not a SyntaxError', () => {
    expect(() => parseData('{"v":1,', 'x.svm')).toThrow(expect.objectContaining({ code: 'DECRYPT_FAILED' }));
  });
});
