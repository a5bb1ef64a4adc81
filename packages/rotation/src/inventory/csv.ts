import { InventoryItem, type InputIssue, SvmError, issuesToError } from '@svm/core';
import type { CsvError } from 'csv-parse/sync';
import { csvParseLib } from '../internal/lazy.js';

/** Columns that hold lists: `a;b` or `a|b`. */
const LIST_COLUMNS = new Set(['compliance', 'depends_on']);

/** A CSV row validated as an inventory item, with the line it starts on. */
export interface CsvInventoryRows {
  items: InventoryItem[];
  lines: number[];
}

/**
 * Read an inventory from CSV with a header row. Column names are the inventory keys (`name, type, store,
 * last_rotated, owner, environment, …`; case and spaces do not matter). Empty cells are absent values,
 * `compliance` and `depends_on` are lists separated by `;` or `|`, and `tags` holds `key=value` pairs
 * separated by `;`. Syntax errors are `INPUT_PARSE`, schema errors `INPUT_INVALID`, both with the line.
 *
 * @example
 * ```ts
 * parseInventoryCsv('name,type,last_rotated\nprod-db,database,2026-01-15\n', 'inventory.csv').items[0]?.type; // 'database'
 * ```
 */
export function parseInventoryCsv(text: string, file: string): CsvInventoryRows {
  let rows: Array<{ record: Record<string, string>; raw: string; info: { lines: number } }>;
  try {
    rows = csvParseLib().parse(text, {
      columns: (header: string[]) =>
        header.map((h) =>
          h
            .trim()
            .toLowerCase()
            .replace(/[\s-]+/g, '_'),
        ),
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
      trim: true,
    }) as typeof rows;
  } catch (cause) {
    const line = cause instanceof csvParseLib().CsvError ? (cause as CsvError & { lines?: number }).lines : undefined;
    const message = cause instanceof Error ? cause.message.replace(/ on line \d+$/, '') : String(cause);
    throw new SvmError('INPUT_PARSE', `invalid CSV: ${message}`, { file, line, cause });
  }
  const items: InventoryItem[] = [];
  const lines: number[] = [];
  const issues: InputIssue[] = [];
  for (const row of rows) {
    const line = row.info.lines - (row.raw.trim().match(/\n/g)?.length ?? 0);
    const data = toItemData(row.record);
    const result = InventoryItem.safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const column = String(issue.path[0] ?? '');
        const value = row.record[column];
        const got = value === undefined || value === '' ? '' : `, got '${value}'`;
        const message =
          value === undefined || value === ''
            ? issue.message
            : `${issue.message.replace(/^Invalid input: /, '')}${got}`;
        issues.push({ file, line, column: undefined, field: column, message });
      }
      continue;
    }
    items.push(result.data);
    lines.push(line);
  }
  if (issues.length > 0) throw issuesToError(issues);
  return { items, lines };
}

function toItemData(record: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === '' || key === '') continue;
    if (LIST_COLUMNS.has(key)) {
      out[key] = value
        .split(/[;|]/)
        .map((v) => v.trim())
        .filter((v) => v !== '');
    } else if (key === 'tags') {
      const tags: Record<string, string> = {};
      for (const pair of value.split(';')) {
        const eq = pair.indexOf('=');
        if (eq > 0) tags[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
        else if (pair.trim()) tags[pair.trim()] = '';
      }
      out[key] = tags;
    } else {
      out[key] = value;
    }
  }
  return out;
}
