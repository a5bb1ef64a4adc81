import { Inventory, type InventoryItem, SvmError, detectFormat, inventoryItems, loadDocument } from '@svm/core';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { parseInventoryCsv } from './csv.js';

/** The formats an inventory can come in. */
export type InventoryFormat = 'json' | 'yaml' | 'csv';

/** A loaded inventory: its items, and where each one sits in the file (for later error messages). */
export interface LoadedInventory {
  file: string;
  format: InventoryFormat;
  items: InventoryItem[];
  /** The 1-based line where item `index` starts, when known. Computed lazily for JSON and YAML. */
  lineOf(index: number): number | undefined;
}

/** Options for {@link loadInventory}. */
export interface LoadInventoryOptions {
  /** Name used in messages (a path, or `<stdin>`). */
  file: string;
  /** Defaults to the file extension (`.csv`, `.json`, `.yaml`/`.yml`), else sniffed from the text. */
  format?: InventoryFormat | undefined;
}

/**
 * Load an inventory from JSON, YAML or CSV text and validate it against the core `Inventory` schema. The
 * original rotation_planner.py array (`name, type, store, last_rotated, owner, environment`) loads unchanged,
 * as JSON or YAML (dates may be unquoted in YAML). Errors name the file and line: `INPUT_PARSE` for syntax,
 * `INPUT_INVALID` for the schema (`inventory.yaml:14: secrets[3].last_rotated: expected YYYY-MM-DD, got '2026-13-01'`).
 *
 * @example
 * ```ts
 * const inv = loadInventory('- name: prod-db\n  type: database\n  last_rotated: 2026-01-15\n', { file: 'inventory.yaml' });
 * inv.items[0]?.last_rotated; // '2026-01-15'
 * ```
 */
export function loadInventory(text: string, options: LoadInventoryOptions): LoadedInventory {
  const format = options.format ?? inventoryFormatOf(options.file, text);
  if (format === 'csv') {
    const { items, lines } = parseInventoryCsv(text, options.file);
    return { file: options.file, format, items, lineOf: (i) => lines[i] };
  }
  const inventory = loadDocument(text, { file: options.file, format }, Inventory);
  let lines: Array<number | undefined> | undefined;
  return {
    file: options.file,
    format,
    items: inventoryItems(inventory),
    lineOf(index) {
      lines ??= itemLines(text);
      return lines[index];
    },
  };
}

/**
 * Guess an inventory's format from its file name, else from its first characters.
 *
 * @example
 * ```ts
 * inventoryFormatOf('secrets.csv', ''); // 'csv'
 * ```
 */
export function inventoryFormatOf(file: string, text: string): InventoryFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.json') || lower.endsWith('.yaml') || lower.endsWith('.yml')) return detectFormat(file, text);
  const firstLine = text.trimStart().split('\n', 1)[0] ?? '';
  if (/^[\w ]+(,[\w ]+)+\s*$/.test(firstLine) && !firstLine.includes(':')) return 'csv';
  return detectFormat(file, text);
}

function itemLines(text: string): Array<number | undefined> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  let seq: unknown = doc.contents;
  if (isMap(seq)) seq = seq.get('secrets', true);
  if (!isSeq(seq)) return [];
  return seq.items.map((node) => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? counter.linePos(range[0]).line : undefined;
  });
}

/** Make an `INPUT_INVALID` error located at an inventory item. */
export function itemError(inventory: Pick<LoadedInventory, 'file' | 'lineOf'> | undefined, index: number, field: string, message: string): SvmError {
  return new SvmError('INPUT_INVALID', message, {
    file: inventory?.file,
    line: inventory?.lineOf(index),
    field,
  });
}
