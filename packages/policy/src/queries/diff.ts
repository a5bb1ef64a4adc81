import type { Capability, Policy, PolicyDiffEntry } from '@svm/core';
import { type CompileOptions, compilePolicies } from '../engine/compile.js';
import { capabilities } from '../engine/evaluate.js';

/**
 * The effective-permission change between two policy sets over a list of paths: for each path, the
 * `sys/capabilities` answer before and after, and the capabilities added and removed (`deny` is the
 * absence of capabilities and is not itself counted). Paths with no change are included with empty
 * `added`/`removed`; filter on them to show drift only.
 *
 * @example
 * ```ts
 * diffPolicies(before, after, ['secret/data/app/db']).filter((d) => d.added.length || d.removed.length);
 * ```
 */
export function diffPolicies(
  before: readonly Policy[],
  after: readonly Policy[],
  paths: readonly string[],
  options: CompileOptions = {},
): PolicyDiffEntry[] {
  const a = compilePolicies(before, options);
  const b = compilePolicies(after, options);
  return [...new Set(paths)].map((path) => {
    const was = capabilities(a, path);
    const now = capabilities(b, path);
    const real = (caps: Capability[]): Capability[] => caps.filter((c) => c !== 'deny');
    return {
      path,
      before: was,
      after: now,
      added: real(now).filter((c) => !was.includes(c)),
      removed: real(was).filter((c) => !now.includes(c)),
    };
  });
}
