import { SvmError } from '@svm/core';
import type { Scalar, YAMLMap } from 'yaml';
import type { InventoryFormat } from '../inventory/load-inventory.js';
import { yaml } from '../internal/yaml.js';

/**
 * Set `last_rotated` of some inventory items in the inventory's own text, keeping everything else as it was:
 * YAML through the `yaml` library's document API (comments, key order, quoting and blank lines stay; an existing
 * scalar keeps its style), JSON with its indentation. `updates` maps an item's index (its position in the file,
 * as `loadInventory` numbers it) to the new date. CSV is not rewritten (`UNSUPPORTED`).
 *
 * @example
 * ```ts
 * const text = 'secrets:\n  - name: db # main\n    last_rotated: 2026-01-01\n';
 * updateInventoryLastRotated(text, 'yaml', new Map([[0, '2026-03-01']]), 'inventory.yaml');
 * // 'secrets:\n  - name: db # main\n    last_rotated: 2026-03-01\n'
 * ```
 */
export function updateInventoryLastRotated(
  text: string,
  format: InventoryFormat,
  updates: ReadonlyMap<number, string>,
  file: string,
): string {
  if (updates.size === 0) return text;
  if (format === 'csv')
    throw new SvmError('UNSUPPORTED', `${file}: --update-inventory rewrites YAML and JSON inventories, not CSV`);
  if (format === 'json') {
    const data = JSON.parse(text) as unknown;
    const list = Array.isArray(data) ? data : (data as { secrets?: unknown }).secrets;
    if (!Array.isArray(list))
      throw new SvmError('INPUT_INVALID', `${file}: expected a list of secrets or { secrets: [...] }`);
    for (const [index, date] of updates) (list[index] as Record<string, unknown>).last_rotated = date;
    const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
    return `${JSON.stringify(data, null, indent)}${text.endsWith('\n') ? '\n' : ''}`;
  }
  const { isMap, isScalar, isSeq, parseDocument } = yaml();
  const doc = parseDocument(text);
  const root = doc.contents;
  const seq = isSeq(root) ? root : isMap(root) ? root.get('secrets', true) : undefined;
  if (!isSeq(seq)) throw new SvmError('INPUT_INVALID', `${file}: expected a list of secrets or { secrets: [...] }`);
  // Existing values are replaced in the source text itself (byte-exact elsewhere); a missing key goes through the
  // document API, which re-renders the document (comments kept).
  const edits: Array<{ start: number; end: number; text: string }> = [];
  let structural = false;
  for (const [index, date] of updates) {
    const item = seq.items[index];
    if (!isMap(item)) throw new SvmError('INPUT_INVALID', `${file}: secrets[${index}]: expected a mapping`);
    const node = item.get('last_rotated', true);
    if (isScalar(node) && node.range) {
      const quote = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : '';
      edits.push({ start: node.range[0], end: node.range[1], text: `${quote}${date}${quote}` });
      (node as Scalar<unknown>).value = date;
    } else {
      (item as YAMLMap<unknown, unknown>).set('last_rotated', date);
      structural = true;
    }
  }
  if (structural) return doc.toString();
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
