import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileError } from '@svm/core';
import { loadShown } from '../internal/load-shown.js';
import { formatPolicy, formatPolicyJson } from './format-policy.js';

/** One file's result in {@link formatPolicyFiles}. */
export interface FormattedPolicyFile {
  /** The file as the user named it (relative to `cwd` when below it). */
  file: string;
  /** The absolute path, to write the result back. */
  path: string;
  /** Whether the canonical form differs from the file. */
  changed: boolean;
  /** The canonical form: HCL for `.hcl` files, JSON for files that hold JSON. */
  formatted: string;
}

/**
 * Format policy files and directories canonically, without writing anything: each file's canonical form (JSON
 * policies stay JSON) and whether it differs (`svm policy fmt`). Throws the errors of {@link loadPolicies}.
 *
 * @example
 * ```ts
 * const stale = (await formatPolicyFiles(['policies/'], { cwd: process.cwd() })).filter((f) => f.changed);
 * ```
 */
export async function formatPolicyFiles(
  paths: readonly string[],
  options: { cwd?: string | undefined } = {},
): Promise<FormattedPolicyFile[]> {
  const cwd = options.cwd ?? process.cwd();
  const results: FormattedPolicyFile[] = [];
  for (const p of await loadShown(paths, cwd, undefined)) {
    const file = p.file as string;
    const path = isAbsolute(file) ? file : resolve(cwd, file);
    let original: string;
    try {
      original = await readFile(path, 'utf8');
    } catch (cause) {
      throw fileError(cause, path);
    }
    const json = original
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('{');
    const formatted = json ? formatPolicyJson(p) : formatPolicy(p, { source: original });
    results.push({ file, path, changed: formatted !== original, formatted });
  }
  return results;
}
