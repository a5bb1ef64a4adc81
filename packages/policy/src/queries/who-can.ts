import type { Capability, DecidedBy, Policy } from '@svm/core';
import { type CompileOptions, compilePolicies } from '../engine/compile.js';
import { defaultPolicyHcl } from '../engine/default-policy.js';
import { type EvaluationRequest, evaluate } from '../engine/evaluate.js';
import type { GeneratedRole } from '../generate/types.js';
import { parsePolicy } from '../parse/parse-policy.js';

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
export function whoCan(
  policies: readonly Policy[],
  request: EvaluationRequest,
  options: WhoCanOptions = {},
): WhoCanEntry[] {
  const along = options.alongWith ?? [];
  const out = policies
    .filter((p) => !along.some((a) => a.name === p.name))
    .map((p) => {
      const set = p.name === 'root' ? [p] : [p, ...along];
      const d = evaluate(compilePolicies(set, options), request);
      return {
        policy: p.name,
        allowed: d.allowed,
        sudo: d.sudo,
        capabilities: d.capabilities,
        decidedBy: d.decidedBy,
        reason: d.message,
      };
    });
  return out.sort(
    (a, b) => Number(b.allowed) - Number(a.allowed) || (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0),
  );
}

/** One auth role's answer in {@link whoCanRoles}. */
export interface RoleWhoCanEntry {
  /** The role's API path, e.g. `auth/kubernetes/role/payments-prod`. */
  role: string;
  /** The role's `token_policies`. */
  policies: string[];
  /** Policies the role names that are not among the given ones (evaluated as absent). */
  missing: string[];
  allowed: boolean;
  decidedBy: DecidedBy | null;
}

/**
 * Which generated auth roles allow a request: each role is evaluated with all its `token_policies`
 * together (plus `default`, unless the role sets `token_no_default_policy`), as a token from that role
 * would be. Policies are looked up by name in `policies`; `default` falls back to the built-in one.
 *
 * @example
 * ```ts
 * const { roles } = generateConfig(requirements);
 * whoCanRoles(roles, policies, { path: 'secret/data/payments/prod/db', operation: 'read' }).filter((r) => r.allowed);
 * ```
 */
export function whoCanRoles(
  roles: readonly GeneratedRole[],
  policies: readonly Policy[],
  request: EvaluationRequest,
  options: CompileOptions = {},
): RoleWhoCanEntry[] {
  const byName = new Map(policies.map((p) => [p.name, p]));
  const builtInDefault = parsePolicy(defaultPolicyHcl(options.flavor), { name: 'default' });
  return roles.map((role) => {
    const names = Array.isArray(role.body.token_policies) ? (role.body.token_policies as string[]) : [];
    const withDefault = role.body.token_no_default_policy === true ? names : [...names, 'default'];
    const found = withDefault
      .map((n) => byName.get(n) ?? (n === 'default' ? builtInDefault : undefined))
      .filter((p): p is Policy => p !== undefined);
    const missing = withDefault.filter((n) => !byName.has(n) && n !== 'default');
    const d = evaluate(compilePolicies(found, options), request);
    return {
      role: `auth/${role.mount}/role/${role.name}`,
      policies: names,
      missing,
      allowed: d.allowed,
      decidedBy: d.decidedBy,
    };
  });
}
