import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextMemo } from './text-memo.js';

describe('TextMemo', () => {
  it('property: a text gives back what was remembered for exactly that text, never another one', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 200 }), fc.integer()), { maxLength: 60 }), (entries) => {
        const memo = new TextMemo<number>(1_000);
        const want = new Map<string, number>();
        for (const [text, v] of entries) {
          if (!want.has(text)) {
            memo.set(text, v);
            want.set(text, v);
          }
        }
        for (const [text, v] of want) expect(memo.get(text)).toBe(v);
        // Texts that share length and sampled characters with a remembered one are told apart whole.
        for (const text of want.keys()) if (!want.has(`${text}x`)) expect(memo.get(`${text}x`)).toBeUndefined();
      }),
    );
  });

  it('forgets everything when full (bounded memory)', () => {
    const memo = new TextMemo<number>(3);
    for (let i = 0; i < 3; i++) memo.set(`text-${i}`, i);
    expect(memo.get('text-2')).toBe(2);
    memo.set('text-3', 3);
    expect(memo.get('text-0')).toBeUndefined();
    expect(memo.get('text-3')).toBe(3);
  });

  it('long texts differing in one character only are different texts', () => {
    const memo = new TextMemo<string>();
    const a = `${'x'.repeat(500)}a${'y'.repeat(500)}`;
    const b = `${'x'.repeat(500)}b${'y'.repeat(500)}`;
    memo.set(a, 'a');
    expect(memo.get(b)).toBeUndefined();
    memo.set(b, 'b');
    expect([memo.get(a), memo.get(b)]).toEqual(['a', 'b']);
  });
});
