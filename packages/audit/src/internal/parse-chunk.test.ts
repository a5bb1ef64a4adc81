import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitLines } from './parse-chunk.js';

/** What splitLines must return: the text's lines, `\r\n` or `\n`, no final empty line. */
function reference(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

const lineText = fc.oneof(
  fc.string({ unit: 'binary-ascii' }).map((s) => s.replace(/\n/g, ' ')),
  fc.string({ unit: 'grapheme' }).map((s) => s.replace(/\n/g, ' ')),
  fc.constantFrom('', '\r', 'a\r', '{"x":"\u00e9"}\r'),
  // Longer than one decoded piece (64 KiB), ASCII or not.
  fc
    .tuple(fc.integer({ min: 60_000, max: 140_000 }), fc.constantFrom('a', '\u00e9', '\u65e5'))
    .map(([n, c]) => c.repeat(n)),
);

describe('splitLines', () => {
  it('property: the lines of the UTF-8 decoding, whatever the bytes, piece boundaries and line endings', () => {
    fc.assert(
      fc.property(fc.array(lineText, { maxLength: 12 }), fc.boolean(), fc.nat(8), (ls, finalNewline, at) => {
        const text = ls.join('\n') + (finalNewline ? '\n' : '');
        // A view that does not start at its buffer's start.
        const view = Buffer.from(`${' '.repeat(at)}${text}`).subarray(at);
        expect(splitLines(view)).toEqual(reference(text));
      }),
      { numRuns: 200 },
    );
  });

  it('decodes invalid UTF-8 the way Buffer does (replacement characters)', () => {
    const bad = Buffer.from([0x7b, 0xff, 0x7d, 0x0a, 0xc3]);
    expect(splitLines(bad)).toEqual(reference(bad.toString('utf8')));
  });
});
