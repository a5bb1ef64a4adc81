import { join } from 'node:path';
import type { Policy } from '@svm/core';
import type { DemoContext, DemoStep } from './step.js';

/** The same path with one segment changed: a neighbour the policy author did not mean to grant. */
function neighbour(path: string): string {
  const parts = path.split('/');
  const i = parts.length > 3 ? 2 : parts.length - 1;
  parts[i] = `${parts[i] || 'x'}-other`;
  return parts.join('/');
}

/**
 * `svm demo` step: load the policies from `policiesDir` (the generator step passes the folder it wrote)
 * or `<examplesDir>/policies`, and evaluate an allowed read, a denied neighbour path and a `sys/` write,
 * saying which policy and pattern decided each.
 */
export async function runPolicyEvalDemo(d: DemoContext, policiesDir?: string): Promise<DemoStep> {
  const name = 'policy eval';
  const { compilePolicies, evaluate, loadPolicies, samplePath } = await import('@svm/policy');
  const dir = policiesDir ?? join(d.examplesDir, 'policies');
  const policies: Policy[] = await loadPolicies([dir]);
  // A token holds one application policy: evaluate as the example payments API, or as the first
  // generated policy that can read something.
  const readable = (p: Policy) =>
    p.rules.find(
      (r) =>
        !r.path.includes('{{') &&
        !r.path.startsWith('sys/') &&
        !r.capabilities.includes('deny') &&
        (r.capabilities.includes('read') || r.legacyPolicy === 'read' || r.legacyPolicy === 'write'),
    );
  const subject =
    (policiesDir ? undefined : policies.find((p) => p.name === 'payments-api')) ??
    policies.find((p) => readable(p)) ??
    policies[0];
  if (!subject) return { name, status: 'failed', lines: [`no policies in ${dir}`] };
  const acl = compilePolicies([subject]);
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const lines = [
    `${plural(policies.length, 'policy', 'policies')} from ${policiesDir ? 'the generated folder' : 'examples/policies'}; a token holding "${subject.name}" (${plural(subject.rules.length, 'rule', 'rules')}):`,
  ];

  const describe = (op: 'read' | 'update', path: string): string => {
    const r = evaluate(acl, { path, operation: op });
    const verdict = r.allowed ? 'allowed' : 'denied';
    const by = r.decidedBy
      ? `by "${r.decidedBy.pattern}"${r.reason === 'explicit-deny' ? ' (explicit deny beats the broader rule)' : ''}`
      : '(no rule matches: deny by default)';
    return `  ${op} ${path}: ${verdict} ${by}`;
  };

  if (!policiesDir && subject.name === 'payments-api') {
    lines.push(describe('read', 'secret/data/payments/prod/config'));
    lines.push(describe('read', 'secret/data/payments/signing/hsm-key'));
    lines.push(describe('read', 'secret/data/payroll/prod/config'));
  } else {
    const rule = readable(subject);
    if (rule) {
      const path = samplePath(rule.path, { segment: 'prod', glob: 'demo', separator: '-' });
      lines.push(describe('read', path));
      lines.push(describe('read', neighbour(path)));
    }
  }
  lines.push(describe('update', 'sys/policies/acl/admin'));
  return { name, status: 'ok', lines };
}
