import { describe, expect, it } from 'vitest';
import { fullStyle, renderTable, renderWrappedList, visibleWidth } from './output.js';

describe('renderTable', () => {
  it('pads every column but the last to its widest cell, ignoring colour codes', () => {
    expect(
      renderTable(
        ['NAME', 'STATUS'],
        [
          ['db', 'ok'],
          ['api-key', 'overdue'],
        ],
      ),
    ).toBe('NAME     STATUS\ndb       ok\napi-key  overdue');
    expect(renderTable(['A', 'B'], [['\u001b[31mred\u001b[39m', 'x']])).toBe('A    B\n\u001b[31mred\u001b[39m  x');
    expect(visibleWidth('\u001b[1mé✓\u001b[22m')).toBe(2);
  });
});

describe('fullStyle', () => {
  it('keeps the colours given and makes the missing ones plain', () => {
    const style = fullStyle({ red: (s) => `<r>${s}</r>` });
    expect(style.red('x')).toBe('<r>x</r>');
    expect(style.bold('x')).toBe('x');
    expect(Object.keys(fullStyle())).toEqual(['bold', 'dim', 'red', 'green', 'yellow', 'cyan', 'magenta']);
  });
});

describe('renderWrappedList', () => {
  it('lists the items after the label, comma-separated, wrapping at the width with a two-space indent', () => {
    expect(renderWrappedList('Rules:', ['a', 'b', 'c'], 12)).toBe('Rules: a, b,\n  c');
    expect(renderWrappedList('Rules:', ['one'])).toBe('Rules: one');
    expect(renderWrappedList('Rules:', [])).toBe('Rules:');
    const ids = Array.from({ length: 40 }, (_, i) => `rule-id-${i}`);
    const lines = renderWrappedList('Rules:', ids).split('\n');
    expect(lines.every((l) => l.length <= 104)).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('  rule-id-'))).toBe(true);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toBe(`Rules: ${ids.join(', ')}`);
  });
});
