import type { Finding, Operation, Policy, PolicyFlavor } from '@svm/core';
import { compilePolicies } from '../engine/compile.js';
import { evaluate } from '../engine/evaluate.js';
import { isGlobPattern, patternMatches } from './internal/match.js';
import { lintRule } from './rules.js';

const W = 'svm-witness';
/** Capabilities that an operation of the same name needs (sudo and the flavor-only ones are not operations here). */
const OPS: readonly Operation[] = ['read', 'list', 'update', 'create', 'delete', 'patch'];

/** Concrete paths that a pattern decides: itself for an exact rule, a fresh segment for each `+` and for the `*` remainder. */
function samples(pattern: string): string[] {
  if (!isGlobPattern(pattern)) return [pattern];
  const prefix = pattern.endsWith('*');
  const body = prefix ? pattern.slice(0, -1) : pattern;
  const segmentWildcard = body === '+' || body.includes('/+') || body.startsWith('+/');
  const filled = segmentWildcard
    ? body
        .split('/')
        .map((s) => (s === '+' ? W : s))
        .join('/')
    : body;
  return prefix ? [`${filled}${W}`, `${filled}${W}/${W}`] : [filled];
}

/** A path both `+`/exact patterns (no trailing `*`) match, when there is one: each `+` takes the other's segment. */
function unify(a: string, b: string): string | undefined {
  if (a.endsWith('*') || b.endsWith('*')) return undefined;
  const xs = a.split('/');
  const ys = b.split('/');
  if (xs.length !== ys.length) return undefined;
  const out: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as string;
    const y = ys[i] as string;
    if (x === '+') out.push(y === '+' ? W : y);
    else if (y === '+' || x === y) out.push(x);
    else return undefined;
  }
  return out.join('/');
}

/** Whether `grant` would apply to `operation` on `path` (LIST paths end in `/`; an exact rule also covers LIST of `rule/`). */
function covers(grant: string, path: string, operation: Operation): boolean {
  if (patternMatches(grant, path)) return true;
  return operation === 'list' && !isGlobPattern(grant) && path === `${grant}/`;
}

/**
 * Rules that take away what another rule of the same policy grants: for a path and operation the other rule
 * covers and allows, this rule wins the lookup (an exact path, an exact `<folder>` deciding LIST of
 * `<folder>/`, a longer `*` prefix, a higher-priority `+` pattern) and lacks the capability, so the request
 * is refused. Only the deciding rule's capabilities count. Explicit `deny` rules are meant to block and are
 * not reported. Checked with the policy engine on witness paths of each rule.
 *
 * @example
 * ```ts
 * findBlockedGrants({ name: 'p', rules: [{ path: 'secret/metadata/a/*', capabilities: ['list'] },
 *   { path: 'secret/metadata/a', capabilities: ['delete'] }] }); // secret/metadata/a blocks LIST of secret/metadata/a/
 * ```
 */
export function findBlockedGrants(policy: Policy, options: { flavor?: PolicyFlavor | undefined } = {}): Finding[] {
  const rules = policy.rules.filter((r) => !r.path.includes('{{'));
  if (rules.length < 2) return [];
  const acl = compilePolicies([{ ...policy, rules }], { flavor: options.flavor ?? 'vault' });
  // Merged view per pattern (the same pattern twice merges, as on the server).
  const byPattern = new Map<string, { rule: (typeof rules)[number]; caps: Set<string> }>();
  for (const rule of rules) {
    const pattern = rule.path.replace(/^\/+/, '');
    const entry = byPattern.get(pattern);
    if (entry) for (const c of rule.capabilities) entry.caps.add(c);
    else byPattern.set(pattern, { rule, caps: new Set(rule.capabilities) });
  }
  const findings: Finding[] = [];
  for (const [blocker, b] of byPattern) {
    if (b.caps.has('deny')) continue;
    const blocked = new Map<string, string>();
    for (const [grant, g] of byPattern) {
      if (grant === blocker || g.caps.has('deny')) continue;
      const both = unify(blocker, grant);
      for (const path of both === undefined ? samples(blocker) : [...samples(blocker), both]) {
        if (blocked.has(grant)) break;
        for (const operation of OPS) {
          if (!g.caps.has(operation) || b.caps.has(operation)) continue;
          const lookupPath = operation === 'list' && !path.endsWith('/') ? `${path}/` : path;
          if (!covers(grant, lookupPath, operation)) continue;
          const d = evaluate(acl, { path: lookupPath, operation });
          if (!d.allowed && d.reason === 'missing-capability' && d.decidedBy?.pattern === blocker) {
            blocked.set(grant, `${operation} ${lookupPath}`);
            break;
          }
        }
      }
    }
    for (const [grant, example] of blocked) {
      const r = lintRule('rule-blocks-grant');
      const f: Finding = {
        rule: r.id,
        category: r.category,
        severity: r.severity,
        message: `path ${JSON.stringify(b.rule.path)} blocks ${JSON.stringify(grant)}: ${example} is refused although ${JSON.stringify(grant)} grants it (only the deciding rule's capabilities count)`,
        fix: r.fix,
      };
      if (policy.file) f.file = policy.file;
      if (b.rule.position) {
        f.line = b.rule.position.line;
        f.column = b.rule.position.column;
      }
      findings.push(f);
    }
  }
  return findings;
}
