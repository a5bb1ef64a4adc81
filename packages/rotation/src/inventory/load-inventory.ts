import { Inventory, InventoryItem, SvmError, inventoryItems, parseDocumentText, validateDocument } from '@svm/core';
import { parseInventoryCsv } from './csv.js';
import {
  type InventoryFormat,
  type LoadedInventory,
  type LoadInventoryOptions,
  documentItems,
  inventoryFormatOf,
  withItemLines,
} from './plain-inventory.js';

export { inventoryFormatOf } from './plain-inventory.js';
export type { InventoryFormat, LoadedInventory, LoadInventoryOptions } from './plain-inventory.js';

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
  return inventoryOfDocument(parseDocumentText(text, { file: options.file, format }), text, options.file, format);
}

/**
 * {@link loadInventory} after parsing: the items of a JSON or YAML document. Most items of a large inventory are
 * plain: checked without zod, which is the slow part of loading 100,000 items. Anything else (and every error,
 * with its file:line:field) goes through the schema.
 */
export function inventoryOfDocument(
  data: unknown,
  text: string,
  file: string,
  format: Exclude<InventoryFormat, 'csv'>,
): LoadedInventory {
  const items =
    documentItems(data, (item) => {
      const parsed = InventoryItem.safeParse(item);
      return parsed.success ? parsed.data : undefined;
    }) ?? inventoryItems(validateDocument(data, text, { file, format }, Inventory));
  return withItemLines(file, format, items, text);
}

/** Make an `INPUT_INVALID` error located at an inventory item. */
export function itemError(
  inventory: Pick<LoadedInventory, 'file' | 'lineOf'> | undefined,
  index: number,
  field: string,
  message: string,
): SvmError {
  return new SvmError('INPUT_INVALID', message, {
    file: inventory?.file,
    line: inventory?.lineOf(index),
    field,
  });
}
