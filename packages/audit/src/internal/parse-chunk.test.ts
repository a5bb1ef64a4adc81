import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText } from './parse-chunk.js';

describe('decodeText', () => {
  it('property: is the UTF-8 decoding, whether the bytes are all ASCII (copied as Latin-1) or not', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary-ascii' }), fc.string({ unit: 'grapheme' })),
        fc.nat(8),
        (s, at) => {
          const bytes = Buffer.from(`${' '.repeat(at)}${s}`);
          const view = bytes.subarray(at);
          expect(decodeText(view)).toBe(view.toString('utf8'));
          expect(decodeText(view)).toBe(s);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('decodes invalid UTF-8 the way Buffer does (replacement characters)', () => {
    const bad = Buffer.from([0x7b, 0xff, 0x7d, 0xc3]);
    expect(decodeText(bad)).toBe(bad.toString('utf8'));
  });
});
