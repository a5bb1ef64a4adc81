import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Policy, type PolicyFlavor, SvmError, fileError } from '@svm/core';
import { POLICY_FILE_PATTERN as POLICY_FILE, findPolicyFiles } from './find-policy-files.js';
import { parsePolicy } from './parse-policy.js';

/**
 * The policy name svm derives from a file: its base name without `.hcl`/`.json`.
 *
 * @example
 * ```ts
 * policyNameFromFile('policies/app-read.hcl'); // 'app-read'
 * ```
 */
export function policyNameFromFile(file: string): string {
  return basename(file).replace(POLICY_FILE, '');
}

/**
 * Read and parse policies from files and directories (a directory means every `.hcl`/`.json` file
 * directly in it, sorted by name; with `recursive`, in its sub-directories too — see {@link findPolicyFiles}). Throws `FILE_NOT_FOUND`, `FILE_UNREADABLE` or `POLICY_INVALID`
 * (with file, line and column); `USAGE` when two files give the same policy name.
 *
 * @example
 * ```ts
 * const policies = await loadPolicies(['policies/']);
 * ```
 */
export async function loadPolicies(
  paths: readonly string[],
  options: { flavor?: PolicyFlavor | undefined; recursive?: boolean | undefined } = {},
): Promise<Policy[]> {
  const files: string[] = [];
  for (const p of paths) {
    let info: Stats;
    try {
      info = await stat(p);
    } catch (cause) {
      throw fileError(cause, p);
    }
    if (info.isDirectory()) {
      files.push(...(await findPolicyFiles(p, { recursive: options.recursive })));
    } else files.push(p);
  }
  const byName = new Map<string, string>();
  const out: Policy[] = [];
  for (const file of files) {
    const name = policyNameFromFile(file);
    const other = byName.get(name);
    if (other !== undefined)
      throw new SvmError('USAGE', `two files define policy "${name}": ${other} and ${file}`, { file });
    byName.set(name, file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw fileError(cause, file);
    }
    out.push(parsePolicy(text, { name, file, flavor: options.flavor }));
  }
  return out;
}
