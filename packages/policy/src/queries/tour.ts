import type { Policy } from '@svm/core';
import { compilePolicies } from '../engine/compile.js';
import { evaluate } from '../engine/evaluate.js';
import { samplePath } from './sample-paths.js';

/** The first rule of a policy that reads something concrete (no template, not `sys/`, not a deny). */
function readableRule(p: Policy) {
  return p.rules.find(
    (r) =>
      !r.path.includes('{{') &&
      !r.path.startsWith('sys/') &&
      !r.capabilities.includes('deny') &&
      (r.capabilities.includes('read') || r.legacyPolicy === 'read' || r.legacyPolicy === 'write'),
  );
}

/** The same path with one segment changed: a neighbour the policy author did not mean to grant. */
function neighbour(path: string): string {
  const parts = path.split('/');
  const i = parts.length > 3 ? 2 : parts.length - 1;
  parts[i] = `${parts[i] || 'x'}-other`;
  return parts.join('/');
}

/**
 * A short tour of what a token holding one policy may do: the policy (`prefer` if loaded, else the first that reads
 * something), then one line per request (`read <path>: allowed by "<pattern>"`): the given `requests`, or a read
 * under its first readable rule and the same read next door, and always an update of `sys/policies/acl/admin`.
 *
 * @example
 * ```ts
 * policyTour(await loadPolicies(['policies/'])).lines;
 * // ['  read secret/data/app/prod/db: allowed by "secret/data/app/+/db"', '  read secret/data/app-other/…: denied …', …]
 * ```
 */
export function policyTour(
  policies: readonly Policy[],
  options: { prefer?: string | undefined; requests?: readonly string[] | undefined } = {},
): { subject: Policy | undefined; lines: string[] } {
  const preferred = options.prefer === undefined ? undefined : policies.find((p) => p.name === options.prefer);
  const subject = preferred ?? policies.find((p) => readableRule(p)) ?? policies[0];
  if (!subject) return { subject, lines: [] };
  const acl = compilePolicies([subject]);
  const describe = (op: 'read' | 'update', path: string): string => {
    const r = evaluate(acl, { path, operation: op });
    const by = r.decidedBy
      ? `by "${r.decidedBy.pattern}"${r.reason === 'explicit-deny' ? ' (explicit deny beats the broader rule)' : ''}`
      : '(no rule matches: deny by default)';
    return `  ${op} ${path}: ${r.allowed ? 'allowed' : 'denied'} ${by}`;
  };
  const lines: string[] = [];
  const rule = readableRule(subject);
  if (preferred && options.requests) lines.push(...options.requests.map((path) => describe('read', path)));
  else if (rule) {
    const path = samplePath(rule.path, { segment: 'prod', glob: 'demo', separator: '-' });
    lines.push(describe('read', path), describe('read', neighbour(path)));
  }
  lines.push(describe('update', 'sys/policies/acl/admin'));
  return { subject, lines };
}

/**
 * {@link policyTour} in a few lines headed by what was loaded (`from`) and the policy the token holds, e.g.
 * `3 policies from examples/policies; a token holding "payments-api" (4 rules):` (`svm demo`'s "policy eval" step).
 * `undefined` when there is no policy.
 *
 * @example
 * ```ts
 * policyTourBrief(await loadPolicies(['policies/']), { from: 'policies/' })?.[0];
 * // '2 policies from policies/; a token holding "web" (1 rule):'
 * ```
 */
export function policyTourBrief(
  policies: readonly Policy[],
  options: { from: string; prefer?: string | undefined; requests?: readonly string[] | undefined },
): string[] | undefined {
  const { subject, lines } = policyTour(policies, options);
  if (!subject) return undefined;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const head = `${plural(policies.length, 'policy', 'policies')} from ${options.from}; a token holding "${subject.name}" (${plural(subject.rules.length, 'rule', 'rules')}):`;
  return [head, ...lines];
}
