// `svm rotation run` and `svm inventory validate` as one call each (`svm rotation plan`: ./plan/plan-file.ts):
// the flags as a command line gives them, the inventory file read through the caller's `read`, nothing printed.
import { writeFile } from 'node:fs/promises';
import { SvmError, dayFlag } from '@svm/core';
import type { SecretStore } from '@svm/providers';
import { type RotationRunDocument, runInventory } from './executor/run-inventory.js';
import { updateInventoryLastRotated } from './executor/update-inventory.js';
import { loadInventory } from './inventory/load-inventory.js';
import type { ReadUserFile } from './plan/plan-file.js';

export { planInventoryFile } from './plan/plan-file.js';
export type { PlanFlags, ReadUserFile } from './plan/plan-file.js';

/**
 * `svm inventory validate`: load the inventory (JSON, YAML or CSV) and say it is valid and how many secrets it
 * holds; an invalid one throws the loader's error naming the file, line and field.
 *
 * @example
 * ```ts
 * validateInventory(await readFile('inventory.yaml', 'utf8'), 'inventory.yaml'); // { file, valid: true, secrets: 12 }
 * ```
 */
export function validateInventory(text: string, file: string): { file: string; valid: true; secrets: number } {
  return { file, valid: true, secrets: loadInventory(text, { file }).items.length };
}

/** The flags of `svm rotation run` and `resume`. */
export interface RunFlags {
  /** Only these item ids. */
  only?: string[] | undefined;
  /** Only items that are due on `now`. */
  dueOnly?: boolean | undefined;
  /** Print each rotation's steps; touch nothing. */
  dryRun?: boolean | undefined;
  /** Journal URI: `postgres://…` or a file. */
  journal?: string | undefined;
  /** Set `last_rotated` of rotated items in the inventory file (comments and formatting kept). */
  updateInventory?: boolean | undefined;
  /** Planning day for `dueOnly`, YYYY-MM-DD. */
  now?: string | undefined;
  /** File store: a key file of 32 random bytes (else `SVM_FILE_PASSPHRASE`), when the stores are opened here. */
  keyFile?: string | undefined;
}

/** What {@link runInventoryFile} needs besides the flags. */
export interface RunInventoryFileOptions {
  read: ReadUserFile;
  /** Only finish or roll back the runs the journal holds open (`svm rotation resume`). */
  resumeOnly?: boolean | undefined;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Open the store an item names; default `openStoreAt` of `@svm/providers` (from `cwd`, with `flags.keyFile`). */
  openStore?: ((uri: string) => Promise<SecretStore>) | undefined;
  log?: ((message: string) => void) | undefined;
}

/**
 * `svm rotation run` (and `resume`) as one call: check the flags, read and load the inventory, run it with
 * {@link runInventory}, and with `updateInventory` write the days rotated back into the inventory file
 * (`inventoryUpdated` in the document). Standard input cannot be updated: a `USAGE` error.
 *
 * @example
 * ```ts
 * const doc = await runInventoryFile('inventory.yaml', { dryRun: true }, { read, cwd, env: process.env });
 * doc.runs.map((r) => r.outcome); // ['planned', …]
 * ```
 */
export async function runInventoryFile(
  file: string,
  flags: RunFlags,
  options: RunInventoryFileOptions,
): Promise<RotationRunDocument> {
  dayFlag(flags.now, '--now');
  const input = await options.read(file);
  if (flags.updateInventory && input.path === undefined)
    throw new SvmError('USAGE', '--update-inventory needs an inventory file, not standard input');
  const inventory = loadInventory(input.text, { file: input.name });
  const { read: _read, ...rest } = options;
  const { cwd, env } = options;
  const openStore =
    options.openStore ??
    (async (uri: string) => (await import('@svm/providers')).openStoreAt(uri, { cwd, env, keyFile: flags.keyFile }));
  const { document, updates } = await runInventory(inventory, {
    ...flags,
    ...rest,
    openStore,
    inventoryPath: input.path,
  });
  if (flags.updateInventory && updates.size > 0 && input.path) {
    await writeFile(input.path, updateInventoryLastRotated(input.text, inventory.format, updates, input.name));
    document.inventoryUpdated = true;
    options.log?.(`updated last_rotated of ${updates.size} item(s) in ${input.name}`);
  }
  return document;
}
