import { Inventory, inventoryItems, isSvmError } from '@svm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadInventory } from './load-inventory.js';

const ORIGINAL_JSON = JSON.stringify([
  {
    name: 'prod-db-password',
    type: 'database',
    store: 'vault',
    last_rotated: '2026-01-15',
    owner: 'platform-team',
    environment: 'production',
  },
  { name: 'stripe', type: 'api-key', store: 'aws', owner: 'payments', environment: 'production' },
]);

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isSvmError(error)) return `${error.code} ${String(error)}`;
    throw error;
  }
  throw new Error('no error');
}

describe('loadInventory', () => {
  it('loads the original JSON array unchanged', () => {
    const inv = loadInventory(ORIGINAL_JSON, { file: 'secrets.json' });
    expect(inv.format).toBe('json');
    expect(inv.items[0]).toMatchObject({ name: 'prod-db-password', last_rotated: '2026-01-15' });
  });

  it('loads the original format as YAML with unquoted dates', () => {
    const inv = loadInventory(
      '- name: prod-db-password\n  type: database\n  last_rotated: 2026-01-15\n  owner: platform-team\n',
      { file: 'inv.yml' },
    );
    expect(inv.items[0]?.last_rotated).toBe('2026-01-15');
  });

  it('loads { secrets: [...] } and locates items by line', () => {
    const inv = loadInventory('version: 1\nsecrets:\n  - id: a\n    type: database\n\n  - id: b\n    type: api-key\n', {
      file: 'inv.yaml',
    });
    expect(inv.lineOf(0)).toBe(3);
    expect(inv.lineOf(1)).toBe(6);
  });

  it('reports schema errors with file, line and field', () => {
    expect(
      errorOf(() => loadInventory('secrets:\n  - id: a\n    last_rotated: 2026-13-01\n', { file: 'inv.yaml' })),
    ).toBe("INPUT_INVALID inv.yaml:3: secrets[0].last_rotated: expected YYYY-MM-DD, got '2026-13-01'");
    expect(errorOf(() => loadInventory('[{"name": "a", "criticality": "urgent"}]', { file: 'a.json' }))).toMatch(
      /^INPUT_INVALID a\.json:1: \[0\]\.criticality: /,
    );
    expect(errorOf(() => loadInventory('secrets: [\n', { file: 'inv.yaml' }))).toMatch(/^INPUT_PARSE inv\.yaml:2/);
  });

  it('reads CSV with list columns and reports the line of a bad row', () => {
    const csv =
      'name,type,last_rotated,owner,depends_on,compliance\nroot,database,2026-02-01,platform,,pci-dss-v4\napp,database,2026-02-03,platform,root;other,\n';
    const inv = loadInventory(csv, { file: 'inv.csv' });
    expect(inv.items[1]).toMatchObject({ name: 'app', depends_on: ['root', 'other'] });
    expect(inv.items[0]).toMatchObject({ compliance: ['pci-dss-v4'] });
    expect(inv.items[0]?.depends_on).toBeUndefined();
    expect(inv.lineOf(1)).toBe(3);
    expect(
      errorOf(() =>
        loadInventory('name,type,last_rotated\na,database,2026-02-01\n\n"b\nc",api-key,2026-02-30\n', {
          file: 'inv.csv',
        }),
      ),
    ).toBe("INPUT_INVALID inv.csv:4: last_rotated: expected YYYY-MM-DD, got '2026-02-30'");
    expect(errorOf(() => loadInventory('name,type\na,database,extra\n', { file: 'inv.csv' }))).toMatch(
      /^INPUT_PARSE inv\.csv:2: invalid CSV/,
    );
  });

  it('accepts any valid date and rejects any impossible one (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }),
        (date) => {
          const day = date.toISOString().slice(0, 10);
          expect(loadInventory(`- name: a\n  last_rotated: ${day}\n`, { file: 'a.yaml' }).items[0]?.last_rotated).toBe(
            day,
          );
        },
      ),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1971, max: 2999 }), fc.integer({ min: 13, max: 99 }), (year, month) => {
        expect(() => loadInventory(`- name: a\n  last_rotated: ${year}-${month}-01\n`, { file: 'a.yaml' })).toThrow(
          /expected YYYY-MM-DD/,
        );
      }),
      { numRuns: 50 },
    );
  });
});

describe('CSV round trip (property)', () => {
  it('reads back what csv-stringify writes, commas, quotes and newlines included', async () => {
    const { stringify } = await import('csv-stringify/sync');
    const text = fc
      .string({ minLength: 1, maxLength: 20 })
      .filter((s) => s.trim() === s && s.trim() !== '' && !s.includes('\r'));
    const day = fc.integer({ min: 0, max: 40000 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
    const row = fc.record({
      name: text,
      owner: text,
      last_rotated: day,
      depends_on: fc.array(
        text.filter((s) => !/[;|]/.test(s)),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 10 }), (rows) => {
        const csv = stringify(
          rows.map((r) => [r.name, r.owner, r.last_rotated, r.depends_on.join(';')]),
          { header: true, columns: ['name', 'owner', 'last_rotated', 'depends_on'] },
        );
        const inv = loadInventory(csv, { file: 'x.csv' });
        expect(inv.items.map((i) => [i.name, i.owner, i.last_rotated, i.depends_on ?? []])).toEqual(
          rows.map((r) => [r.name, r.owner, r.last_rotated, r.depends_on]),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('the validation fast path agrees with the Inventory schema', () => {
  it('accepts exactly what the schema accepts and returns the same items (property, fixed seed)', () => {
    const value = fc.oneof(
      fc.constant(''),
      fc.constant(null),
      fc.constantFrom(
        '2026-01-15',
        '2026-02-30',
        '2026-13-01',
        '2026-1-5',
        '2026-01-15T10:00:00Z',
        'yesterday',
        'x',
        '30d',
        '0d',
      ),
      fc.integer({ min: -2, max: 40 }),
      fc.constant(['pci']),
      fc.constant({ a: 'b' }),
      fc.boolean(),
    );
    const key = fc.constantFrom(
      'id',
      'name',
      'type',
      'store',
      'owner',
      'team',
      'environment',
      'created',
      'last_rotated',
      'expires_at',
      'issued_at',
      'interval',
      'criticality',
      'compliance',
      'extra',
    );
    const item = fc.dictionary(key, value, { maxKeys: 6 });
    fc.assert(
      fc.property(
        fc.array(fc.oneof(item, fc.constant(7 as unknown as Record<string, unknown>)), { maxLength: 5 }),
        fc.boolean(),
        (items, wrapped) => {
          const doc = wrapped ? { version: 1, secrets: items } : items;
          const text = JSON.stringify(doc);
          const expected = Inventory.safeParse(JSON.parse(text));
          let got: unknown;
          try {
            got = loadInventory(text, { file: 'x.json' }).items;
          } catch (error) {
            expect((error as { code: string }).code).toBe('INPUT_INVALID');
            expect(expected.success).toBe(false);
            return;
          }
          expect(expected.success).toBe(true);
          expect(got).toEqual(inventoryItems(expected.data as Inventory));
        },
      ),
      { seed: 20261205, numRuns: 400 },
    );
  });
});
