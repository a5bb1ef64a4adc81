import type { Capability, DecidedBy, Policy } from '@svm/core';
import { type CompileOptions, compilePolicies } from '../engine/compile.js';
import { type EvaluationRequest, evaluate } from '../engine/evaluate.js';

/** Options for {@link whoCan}. */
export interface WhoCanOptions extends CompileOptions {
  /** Policies every token also holds (e.g. the built-in `default`), evaluated together with each candidate. */
  alongWith?: readonly Policy[] | undefined;
}

/** One policy's answer in {@link whoCan}. */
export interface WhoCanEntry {
  policy: string;
  allowed: boolean;
  sudo: boolean;
  capabilities: Capability[];
  decidedBy: DecidedBy | null;
  reason: string;
}

/**
 * Which policies allow a request: each policy is evaluated on its own (plus `alongWith`, such as the
 * `default` policy every token gets), as a token holding just that policy would be. Allowed first, then
 * by name.
 *
 * @example
 * ```ts
 * whoCan(policies, { path: 'secret/data/app/db', operation: 'read' }).filter((e) => e.allowed).map((e) => e.policy);
 * ```
 */
export function whoCan(policies: readonly Policy[], request: EvaluationRequest, options: WhoCanOptions = {}): WhoCanEntry[] {
  const along = options.alongWith ?? [];
  const out = policies
    .filter((p) => !along.some((a) => a.name === p.name))
    .map((p) => {
      const set = p.name === 'root' ? [p] : [p, ...along];
      const d = evaluate(compilePolicies(set, options), request);
      return { policy: p.name, allowed: d.allowed, sudo: d.sudo, capabilities: d.capabilities, decidedBy: d.decidedBy, reason: d.message };
    });
  return out.sort((a, b) => Number(b.allowed) - Number(a.allowed) || (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0));
}
