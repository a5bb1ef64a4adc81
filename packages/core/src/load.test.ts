import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isSvmError, type SvmError } from './errors.js';
import { formatFieldPath, loadDocument, parseDocumentText } from './load.js';
import { Inventory } from './schemas/inventory.js';

function caught(fn: () => unknown): SvmError {
  try {
    fn();
  } catch (error) {
    if (isSvmError(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const yamlInventory = `# rotation inventory
secrets:
  - name: prod-db
    type: database
    last_rotated: 2026-01-15
  - name: api
    type: api-key
    last_rotated: 2026-02-01
  - name: web-cert
    type: tls-certificate
    last_rotated: 2026-02-10
  - name: broken
    type: password
    last_rotated: 2026-13-01
`;

describe('loadDocument', () => {
  it('accepts unquoted YAML dates as strings', () => {
    const inv = loadDocument(yamlInventory.replace('2026-13-01', '2026-12-01'), { file: 'inventory.yaml' }, Inventory);
    expect(Array.isArray(inv) ? inv : inv.secrets).toHaveLength(4);
    expect((Array.isArray(inv) ? inv : inv.secrets)[0]?.last_rotated).toBe('2026-01-15');
  });

  it('names file, line and field, and what was expected', () => {
    const error = caught(() => loadDocument(yamlInventory, { file: 'inventory.yaml' }, Inventory));
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.toString()).toBe("inventory.yaml:14: secrets[3].last_rotated: expected YYYY-MM-DD, got '2026-13-01'");
  });

  it('locates errors in JSON input too', () => {
    const text = '[\n  {"name": "a", "type": "api-key"},\n  {"name": "b", "last_rotated": "2026-02-30"}\n]\n';
    const error = caught(() => loadDocument(text, { file: 'inv.json' }, Inventory));
    expect(error.toString()).toBe("inv.json:3: [1].last_rotated: expected YYYY-MM-DD, got '2026-02-30'");
  });

  it('reports a missing required field at its parent', () => {
    const schema = z.object({ apps: z.array(z.object({ name: z.string() })) });
    const error = caught(() => loadDocument('apps:\n  - {}\n', { file: 'r.yaml' }, schema));
    expect(error.toString()).toBe('r.yaml:2: apps[0].name: required field is missing');
  });

  it('names every further problem with its line and field, not just a count', () => {
    const schema = z.object({ a: z.number(), b: z.number() });
    const error = caught(() => loadDocument('a: x\nb: y\n', { file: 'r.yaml' }, schema));
    expect(error.toString()).toBe(
      "r.yaml:1: a: expected number, received string, got 'x'; also line 2: b: expected number, received string, got 'y'",
    );
    expect((error.details?.issues as unknown[] | undefined)?.length).toBe(2);
  });

  it('names the first 10 problems and counts the rest', () => {
    const schema = z.array(z.number());
    const error = caught(() =>
      loadDocument(Array.from({ length: 13 }, (_, i) => `- x${i}`).join('\n'), { file: 'r.yaml' }, schema),
    );
    expect(error.message.split('; ')).toHaveLength(10);
    expect(error.message).toMatch(/line 10: \[9\]: .*x9'? \(and 3 more problems\)$/);
  });

  it('turns syntax errors into INPUT_PARSE with a position', () => {
    const yaml = caught(() => parseDocumentText('a: [1, 2\nb: 3\n', { file: 'x.yaml' }));
    expect(yaml.code).toBe('INPUT_PARSE');
    expect(yaml.location.file).toBe('x.yaml');
    expect(yaml.location.line).toBeGreaterThanOrEqual(1);
    const json = caught(() => parseDocumentText('{"a": 1,,}', { file: 'x.json' }));
    expect(json.code).toBe('INPUT_PARSE');
    expect(json.location.line).toBe(1);
  });

  it('never throws anything but a typed error on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('a.json', 'a.yaml'), (text, file) => {
        try {
          loadDocument(text, { file }, Inventory);
        } catch (error) {
          expect(isSvmError(error)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatFieldPath', () => {
  it('formats keys and indices', () => {
    expect(formatFieldPath(['secrets', 3, 'last_rotated'])).toBe('secrets[3].last_rotated');
    expect(formatFieldPath([0, 'a b'])).toBe('[0]["a b"]');
    expect(formatFieldPath([])).toBe('');
  });
});

describe('parseDocumentText: deep nesting', () => {
  const deep: Array<[string, string, string]> = [
    [
      'YAML block mappings',
      'deep.yaml',
      `a:\n${Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i + 1)}b${i}:\n`).join('')}`,
    ],
    ['YAML flow sequences', 'deep.yaml', `secrets: ${'['.repeat(20000)}${']'.repeat(20000)}`],
    ['YAML block sequences', 'deep.yaml', `${'- '.repeat(3000)}x`],
    ['JSON arrays', 'deep.json', `${'['.repeat(100000)}${']'.repeat(100000)}`],
    ['JSON objects', 'deep.json', `${'{"a":'.repeat(50000)}1${'}'.repeat(50000)}`],
  ];
  it.each(deep)('%s: INPUT_PARSE that says the nesting is too deep, with a position', (_name, file, text) => {
    let error: unknown;
    try {
      parseDocumentText(text, { file });
    } catch (e) {
      error = e;
    }
    expect(isSvmError(error) && error.code).toBe('INPUT_PARSE');
    expect((error as SvmError).message).toMatch(/nesting deeper than 256 levels/);
    expect((error as SvmError).location.line).toBeGreaterThanOrEqual(1);
    expect((error as SvmError).location.column).toBeGreaterThanOrEqual(1);
  });

  it('JSON: the fast depth check refuses exactly what the position-tracking scan refuses (property, fixed seed)', () => {
    // The scan checkNesting ran on every JSON document before the fast path (the oracle).
    const refusedAt = (text: string): { line: number; column: number } | undefined => {
      let flow = 0;
      let line = 1;
      let lineStart = 0;
      let quote = false;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '\n') {
          line++;
          lineStart = i + 1;
          continue;
        }
        if (quote) {
          if (c === '\\') i++;
          else if (c === '"') quote = false;
          continue;
        }
        if (c === '"') quote = true;
        else if (c === '[' || c === '{') {
          if (++flow > 256) return { line, column: i - lineStart + 1 };
        } else if (c === ']' || c === '}') flow = Math.max(0, flow - 1);
      }
      return undefined;
    };
    const piece = fc.oneof(
      fc.constantFrom('[', '{', ']', '}', '"', '\\', '\\"', 'a', ':', ',', '\n', '1'),
      fc.integer({ min: 1, max: 300 }).map((n) => '['.repeat(n)),
      fc.integer({ min: 1, max: 300 }).map((n) => '{"k":'.repeat(n)),
      fc.integer({ min: 1, max: 300 }).map((n) => ']'.repeat(n)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        const expected = refusedAt(text);
        let error: SvmError | undefined;
        try {
          parseDocumentText(text, { file: 'x.json' });
        } catch (e) {
          if (isSvmError(e)) error = e;
        }
        const refused = error !== undefined && /nesting deeper than 256 levels/.test(error.message);
        expect(refused).toBe(expected !== undefined);
        if (expected) expect(error?.location).toMatchObject(expected);
      }),
      { seed: 20261205, numRuns: 400 },
    );
  });

  it('quotes, comments and brackets in plain text do not count as nesting', () => {
    expect(
      parseDocumentText(`owner: O'Brien [x\nname: "a[[[["\nx: '{{' # [[[\ny: ${'['.repeat(250)}${']'.repeat(250)}\n`, {
        file: 'ok.yaml',
      }),
    ).toMatchObject({
      owner: "O'Brien [x",
      name: 'a[[[[',
      x: '{{',
    });
  });
});
