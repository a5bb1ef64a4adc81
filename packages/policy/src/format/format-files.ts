import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { SvmError, fileError } from '@svm/core';
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

/** What {@link fmtFromFlags} did: one file to print, or the files checked or written and the document. */
export type FmtOutcome =
  | { print: { file: string; changed: boolean; formatted: string } }
  | {
      print?: undefined;
      results: FormattedPolicyFile[];
      document: { files: { file: string; changed: boolean }[]; changed: string[] };
      /** 1 under `check` when a file is not formatted. */
      exitCode: 0 | 1;
    };

/**
 * `svm policy fmt` as one call: without `check` or `write`, exactly one file's canonical form to print; with
 * `check`, which files are not formatted (exit code 1 when any); with `write`, those files rewritten in place.
 * `check` and `write` together, or several files to print, are `USAGE` errors.
 *
 * @example
 * ```ts
 * const out = await fmtFromFlags(['policies/'], { check: true }, { cwd: process.cwd() });
 * if (!out.print) out.document.changed; // ['policies/app.hcl']
 * ```
 */
export async function fmtFromFlags(
  paths: readonly string[],
  flags: { check?: boolean | undefined; write?: boolean | undefined },
  options: { cwd?: string | undefined } = {},
): Promise<FmtOutcome> {
  if (flags.check && flags.write) throw new SvmError('USAGE', '--check and --write cannot be combined');
  const results = await formatPolicyFiles(paths, options);
  if (!flags.check && !flags.write) {
    const [only] = results;
    if (results.length !== 1 || !only)
      throw new SvmError(
        'USAGE',
        `fmt prints one file; got ${results.length}. Use --check or --write for several files`,
      );
    return { print: { file: only.file, changed: only.changed, formatted: only.formatted } };
  }
  const changed = results.filter((r) => r.changed);
  if (flags.write) for (const r of changed) await writeFile(r.path, r.formatted);
  const files = results.map((r) => ({ file: r.file, changed: r.changed }));
  return {
    results,
    document: { files, changed: changed.map((r) => r.file) },
    exitCode: flags.check && changed.length ? 1 : 0,
  };
}
