import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SvmError } from '@svm/core';
import type { RotationJournal } from '../types.js';
import { openFileJournal } from './file-journal.js';
import { openPgJournal } from './pg-journal.js';

/**
 * Open a rotation journal by URI: `postgres://…` / `postgresql://…` (PostgreSQL, with leases for many runners),
 * `file://<path>` or a plain path (a JSON-lines file). Relative paths resolve from `cwd`.
 *
 * @example
 * ```ts
 * const journal = await openJournal('file://./secrets.svm.journal');
 * ```
 */
export async function openJournal(uri: string, options: { cwd?: string | undefined } = {}): Promise<RotationJournal> {
  if (/^postgres(ql)?:\/\//.test(uri)) return openPgJournal(uri);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !uri.startsWith('file://')) {
    throw new SvmError(
      'USAGE',
      `--journal: expected postgres://…, file://… or a path, got a ${uri.split(':')[0]}: URI`,
    );
  }
  let path = uri;
  if (uri.startsWith('file://')) path = uri.startsWith('file:///') ? fileURLToPath(uri) : uri.slice('file://'.length);
  return openFileJournal(isAbsolute(path) ? path : resolve(options.cwd ?? process.cwd(), path));
}

/**
 * The default journal location for a store: beside an encrypted file store (`<file>.rotation-journal.jsonl`), else
 * `svm-rotation-journal.jsonl` beside the inventory.
 *
 * @example
 * ```ts
 * defaultJournalPath('file://./secrets.svm', '/srv/inventory.yaml'); // '<cwd>/secrets.svm.rotation-journal.jsonl'
 * ```
 */
export function defaultJournalPath(
  storeUri: string | undefined,
  inventoryPath: string,
  cwd: string = process.cwd(),
): string {
  if (storeUri?.startsWith('file://')) {
    const p = storeUri.startsWith('file:///')
      ? fileURLToPath(storeUri.split('?')[0]!)
      : storeUri.slice('file://'.length).split('?')[0]!;
    return `${isAbsolute(p) ? p : resolve(cwd, p)}.rotation-journal.jsonl`;
  }
  const inv = isAbsolute(inventoryPath) ? inventoryPath : resolve(cwd, inventoryPath);
  return resolve(inv, '..', 'svm-rotation-journal.jsonl');
}
