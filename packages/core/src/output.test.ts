import { describe, expect, it } from 'vitest';
import { renderTable, visibleWidth } from './output.js';

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
