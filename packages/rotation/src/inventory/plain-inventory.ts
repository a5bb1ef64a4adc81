// The zod-free part of loading an inventory: format detection, item lines, and the check that recognises plain
// items (the original script's keys: strings and `YYYY-MM-DD` dates) without the schema. `@svm/rotation/plan`
// plans an inventory of plain items with this alone; anything else goes through ./load-inventory.ts.
import type { InventoryItem } from '@svm/core';
import { detectFormat } from '@svm/core/base';
import { parseIsoDay } from '../internal/days.js';
import { yaml } from '../internal/yaml.js';

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

/**
 * The items of a parsed inventory document (an array, or `{version: 1, secrets: [...]}`) when every one is valid:
 * plain items are checked here, the others by `other` (the schema); `undefined` when the document has another
 * shape or `other` refuses an item, so the caller reports it through the schema.
 */
export function documentItems(
  data: unknown,
  other: (item: Record<string, unknown>) => InventoryItem | undefined,
): InventoryItem[] | undefined {
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
      const checked = other(item);
      if (checked === undefined) return undefined;
      out[i] = checked;
    }
  }
  return out;
}

/** A loaded inventory of JSON or YAML text whose item lines are found when first asked for. */
export function withItemLines(
  file: string,
  format: InventoryFormat,
  items: InventoryItem[],
  text: string,
): LoadedInventory {
  let lines: Array<number | undefined> | undefined;
  return {
    file,
    format,
    items,
    lineOf(index) {
      lines ??= itemLines(text);
      return lines[index];
    },
  };
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
