import {
  Inventory,
  InventoryItem,
  SvmError,
  detectFormat,
  inventoryItems,
  parseDocumentText,
  validateDocument,
} from '@svm/core';
import { parseIsoDay } from '../internal/days.js';
import { yaml } from '../internal/yaml.js';
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
  const data = parseDocumentText(text, { file: options.file, format });
  // Most items of a large inventory are plain: checked here without zod, which is the slow part of loading
  // 100,000 items. Anything else (and every error, with its file:line:field) goes through the schema.
  const items =
    fastItems(data) ?? inventoryItems(validateDocument(data, text, { file: options.file, format }, Inventory));
  let lines: Array<number | undefined> | undefined;
  return {
    file: options.file,
    format,
    items,
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
  const { isMap, isSeq, LineCounter, parseDocument } = yaml();
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

const MIN1_STRING_KEYS = new Set(['id', 'name', 'type', 'strategy']);
const STRING_KEYS = new Set(['store', 'owner', 'team', 'environment']);
const DATE_KEYS = new Set(['created', 'last_rotated', 'expires_at', 'issued_at']);
const SCHEMA_KEYS = new Set([
  'interval',
  'renew_before',
  'criticality',
  'compliance',
  'depends_on',
  'key_purpose',
  'pki',
  'tags',
]);

/**
 * The items of an inventory document when every one is valid, checked on a fast path equivalent to the
 * `InventoryItem` schema for plain items (strings, `YYYY-MM-DD` dates, unknown keys kept) and by the schema
 * itself for the rest; `undefined` when anything is invalid, so the caller reports it through the schema.
 */
function fastItems(data: unknown): InventoryItem[] | undefined {
  let list: unknown;
  if (Array.isArray(data)) list = data;
  else if (isRecord(data) && Array.isArray(data['secrets']) && (data['version'] === undefined || data['version'] === 1))
    list = data['secrets'];
  else return undefined;
  const items = list as unknown[];
  const out: InventoryItem[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isRecord(item)) return undefined;
    if (plainItem(item)) out[i] = item as InventoryItem;
    else {
      const parsed = InventoryItem.safeParse(item);
      if (!parsed.success) return undefined;
      out[i] = parsed.data;
    }
  }
  return out;
}

function plainItem(item: Record<string, unknown>): boolean {
  for (const key in item) {
    const value = item[key];
    if (MIN1_STRING_KEYS.has(key)) {
      if (typeof value !== 'string' || value.length === 0) return false;
    } else if (STRING_KEYS.has(key)) {
      if (typeof value !== 'string') return false;
    } else if (DATE_KEYS.has(key)) {
      if (
        value !== null &&
        value !== '' &&
        (typeof value !== 'string' || value.length !== 10 || parseIsoDay(value) === undefined)
      )
        return false;
    } else if (SCHEMA_KEYS.has(key)) return false;
  }
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
