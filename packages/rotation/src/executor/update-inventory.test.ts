import { describe, expect, it } from 'vitest';
import { loadInventory } from '../inventory/load-inventory.js';
import { updateInventoryLastRotated } from './update-inventory.js';

describe('updateInventoryLastRotated', () => {
  it('replaces YAML values in place: comments, quoting, flow maps and spacing stay byte for byte', () => {
    const text = [
      '# inventory',
      'version: 1',
      'secrets:',
      '  - id: a   # first',
      '    last_rotated: 2026-01-01 # set by svm',
      '    rotation: { grace: 1h, accounts: [x, y] }',
      '  - id: b',
      "    last_rotated: '2025-12-01'",
      '  - { id: c, last_rotated: "2025-11-01" }',
      '',
    ].join('\n');
    const out = updateInventoryLastRotated(
      text,
      'yaml',
      new Map([
        [0, '2026-03-01'],
        [1, '2026-03-02'],
        [2, '2026-03-03'],
      ]),
      'inv.yaml',
    );
    expect(out).toBe(
      text
        .replace('2026-01-01 # set', '2026-03-01 # set')
        .replace("'2025-12-01'", "'2026-03-02'")
        .replace('"2025-11-01"', '"2026-03-03"'),
    );
    expect(loadInventory(out, { file: 'inv.yaml' }).items.map((i) => i.last_rotated)).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
    ]);
  });

  it('adds a missing last_rotated through the document API and keeps comments', () => {
    const text = '# top\n- name: a # note\n  type: database\n';
    const out = updateInventoryLastRotated(text, 'yaml', new Map([[0, '2026-03-01']]), 'inv.yaml');
    expect(out).toContain('# top');
    expect(out).toContain('# note');
    expect(loadInventory(out, { file: 'inv.yaml' }).items[0]?.last_rotated).toBe('2026-03-01');
  });

  it('keeps JSON indentation; refuses CSV', () => {
    const text = '{\n    "secrets": [\n        { "name": "a", "last_rotated": "2026-01-01" }\n    ]\n}\n';
    const out = updateInventoryLastRotated(text, 'json', new Map([[0, '2026-03-01']]), 'inv.json');
    expect(out).toBe(
      '{\n    "secrets": [\n        {\n            "name": "a",\n            "last_rotated": "2026-03-01"\n        }\n    ]\n}\n',
    );
    expect(() => updateInventoryLastRotated('name\na\n', 'csv', new Map([[0, '2026-03-01']]), 'inv.csv')).toThrow(
      /not CSV/,
    );
  });
});
