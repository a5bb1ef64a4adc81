import type { Policy } from '@svm/core';

/** Options for {@link samplePath} and {@link samplePaths}. */
export interface SamplePathOptions {
  /** What each `+` segment becomes (default `svm-sample`). */
  segment?: string | undefined;
  /** What a trailing `*` becomes (default `svm-sample`). */
  glob?: string | undefined;
  /** Put between the pattern's text and `glob` unless the text is empty or ends with `/` (default `/`). */
  separator?: string | undefined;
}

/**
 * One concrete path a pattern matches: each `+` becomes `segment`, a trailing `*` becomes `glob`
 * (after `separator` when the pattern does not end with `/`).
 *
 * @example
 * ```ts
 * samplePath('secret/data/+/db*'); // 'secret/data/svm-sample/db/svm-sample'
 * samplePath('secret/data/app/*', { glob: 'demo' }); // 'secret/data/app/demo'
 * ```
 */
export function samplePath(pattern: string, options: SamplePathOptions = {}): string {
  const segment = options.segment ?? 'svm-sample';
  const glob = pattern.endsWith('*');
  const concrete = (glob ? pattern.slice(0, -1) : pattern)
    .split('/')
    .map((s) => (s === '+' ? segment : s))
    .join('/');
  if (!glob) return concrete;
  const separator = concrete.endsWith('/') || concrete === '' ? '' : (options.separator ?? '/');
  return `${concrete}${separator}${options.glob ?? 'svm-sample'}`;
}

/**
 * One or two concrete paths under every (non-templated) rule of the policies, sorted and unique: the
 * pattern with its trailing `*` dropped, and for a `*` pattern also a path below it ({@link samplePath}).
 * Useful when no real request paths are at hand, e.g. to compare two policy sets.
 *
 * @example
 * ```ts
 * samplePaths([parsePolicy('path "secret/data/app/*" { capabilities = ["read"] }', { name: 'app' })]);
 * // ['secret/data/app/', 'secret/data/app/svm-sample']
 * ```
 */
export function samplePaths(policies: readonly Policy[], options: SamplePathOptions = {}): string[] {
  const out = new Set<string>();
  for (const p of policies) {
    for (const r of p.rules) {
      if (r.path.includes('{{')) continue;
      out.add(samplePath(r.path.replace(/\*$/, ''), options));
      if (r.path.endsWith('*')) out.add(samplePath(r.path, options));
    }
  }
  return [...out].sort();
}
