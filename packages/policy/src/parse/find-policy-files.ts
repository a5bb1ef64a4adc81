import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Options for {@link findPolicyFiles}. */
export interface FindPolicyFilesOptions {
  /** File names to keep (default: `.hcl` and `.json`). */
  match?: RegExp | undefined;
  /** Descend into sub-directories (default `false`); dot-directories and `node_modules` are skipped. */
  recursive?: boolean | undefined;
}

/** File names {@link findPolicyFiles} keeps by default. */
export const POLICY_FILE_PATTERN = /\.(hcl|json)$/i;

/**
 * The policy sources in a directory, as full paths, in a stable order (names compared by code unit,
 * each directory's files and sub-directories in one sorted listing). Dot-files are skipped.
 * The one discovery rule behind `loadPolicies` and the linter's directory walk.
 *
 * @example
 * ```ts
 * await findPolicyFiles('policies'); // ['policies/app.hcl', 'policies/ops.json']
 * await findPolicyFiles('infra', { recursive: true, match: /\.(hcl|json|ya?ml|tf)$/i });
 * ```
 */
export async function findPolicyFiles(dir: string, options: FindPolicyFilesOptions = {}): Promise<string[]> {
  const match = options.match ?? POLICY_FILE_PATTERN;
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (options.recursive && e.name !== 'node_modules') out.push(...(await findPolicyFiles(full, options)));
    } else if (match.test(e.name)) out.push(full);
  }
  return out;
}
