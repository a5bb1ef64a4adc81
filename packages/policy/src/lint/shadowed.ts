import type { Finding, Policy, PolicyFlavor } from '@svm/core';
import { compilePolicies } from '../engine/compile.js';
import { evaluate } from '../engine/evaluate.js';
import { isGlobPattern } from './internal/match.js';
import { lintRule } from './rules.js';

const W = 'svm-witness';

/**
 * Rules that can never decide any path, found with the policy engine: for each glob rule, the most general
 * paths it matches (each `+` a fresh segment, the `*` remainder empty or 1..n fresh segments) are
 * evaluated; when every one is decided by another rule, the rule is shadowed. Fresh segment values match
 * only wildcard positions of other rules, so a rule that wins on none of them wins nowhere.
 * Exact rules always decide their own path and are never reported.
 *
 * @example
 * ```ts
 * findShadowedRules({ name: 'p', rules: [{ path: 'secret/*', capabilities: ['read'] },
 *   { path: 'secret/+/*', capabilities: ['list'] }] }); // the +/* rule loses everywhere (earlier first wildcard ties, more + segments)
 * ```
 */
export function findShadowedRules(policy: Policy, options: { flavor?: PolicyFlavor | undefined } = {}): Finding[] {
  const rules = policy.rules.filter((r) => !r.path.includes('{{'));
  if (rules.length < 2) return [];
  const acl = compilePolicies([{ ...policy, rules }], { flavor: options.flavor ?? 'vault' });
  const maxDepth = Math.max(...rules.map((r) => r.path.split('/').length)) + 1;
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const pattern = rule.path.replace(/^\/+/, '');
    if (!isGlobPattern(pattern) || seen.has(pattern)) continue;
    seen.add(pattern);
    let winners = new Set<string>();
    let decidedOnce = false;
    for (const path of witnesses(pattern, maxDepth)) {
      const decision = evaluate(acl, { path, operation: 'read' });
      const by = decision.decidedBy?.pattern;
      if (by === pattern) {
        decidedOnce = true;
        break;
      }
      if (by) winners.add(by);
    }
    // No rule decided any witness: the engine left this rule out (e.g. an expired OpenBao rule); not shadowing.
    if (decidedOnce || winners.size === 0) continue;
    winners = new Set([...winners].sort());
    const r = lintRule('shadowed-rule');
    const f: Finding = {
      rule: r.id,
      category: r.category,
      severity: r.severity,
      message: `path ${JSON.stringify(rule.path)} never decides a request: ${[...winners].map((w) => JSON.stringify(w)).join(', ')} always win${winners.size === 1 ? 's' : ''}`,
      fix: r.fix,
    };
    if (policy.file) f.file = policy.file;
    if (rule.position) {
      f.line = rule.position.line;
      f.column = rule.position.column;
    }
    findings.push(f);
  }
  return findings;
}

/** The most general concrete paths a pattern matches. */
function witnesses(pattern: string, maxDepth: number): string[] {
  const prefix = pattern.endsWith('*');
  const body = (prefix ? pattern.slice(0, -1) : pattern)
    .split('/')
    .map((s) => (s === '+' ? W : s))
    .join('/');
  if (!prefix) return [body];
  const out = [body, `${body}${W}`];
  let tail = `${W}`;
  for (let i = 0; i < maxDepth; i++) {
    tail += `/${W}`;
    out.push(`${body}${tail}`);
  }
  // a segment remainder that starts a new segment, as a `/`-ended prefix does
  if (!body.endsWith('/')) for (let i = 0, t = ''; i <= maxDepth; i++) out.push(`${body}${(t += `/${W}`)}`);
  return out;
}
