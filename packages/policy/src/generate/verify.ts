import type { Finding } from '@svm/core';
import { compilePolicies } from '../engine/compile.js';
import { evaluate } from '../engine/evaluate.js';
import { lintAuthRoles, lintSources } from '../lint/lint.js';
import { parsePolicy } from '../parse/parse-policy.js';
import type { GeneratedFile } from './targets.js';
import type { GeneratedConfig } from './types.js';

/** What {@link verifyGeneratedConfig} found. */
export interface GeneratedConfigCheck {
  /** Lint findings of the generated HCL policies and auth roles. */
  findings: Finding[];
  /** Findings at medium or above. */
  serious: number;
  /** Generated HCL files that did not parse. */
  invalid: number;
  /** Requests each policy's application needs that its policy allows. */
  allowed: number;
  /** Neighbouring requests (other applications, other environments, `sys/`) that each policy denies. */
  denied: number;
  /** Required requests denied plus neighbouring requests allowed: 0 for a least-privilege configuration. */
  wrong: number;
  /** No serious finding, nothing wrong, nothing invalid. */
  ok: boolean;
}

/**
 * Prove a generated configuration least-privilege: lint its HCL policy files and auth roles, and evaluate each
 * policy with the engine: every request its application needs is allowed, every other application's, other
 * environments' and `sys/mounts` is denied (shared paths of the same environment are not counted).
 *
 * @example
 * ```ts
 * const config = generateConfig(requirements);
 * verifyGeneratedConfig(config, renderTargets(config, ['hcl'])).ok; // true
 * ```
 */
export function verifyGeneratedConfig(config: GeneratedConfig, files: readonly GeneratedFile[]): GeneratedConfigCheck {
  const report = lintSources(files.filter((f) => f.target === 'hcl').map((f) => ({ file: f.path, text: f.content })));
  const roleFindings = lintAuthRoles(
    config.roles.map((r) => ({ method: r.method, mount: r.mount, name: r.name, body: r.body })),
  );
  const findings = [...report.findings, ...roleFindings];
  const serious = findings.filter(
    (f) => f.severity === 'medium' || f.severity === 'high' || f.severity === 'critical',
  ).length;
  let allowed = 0;
  let denied = 0;
  let wrong = 0;
  for (const p of config.policies) {
    const acl = compilePolicies([parsePolicy(p.hcl, { name: p.name })]);
    const own = new Set(config.probes.filter((x) => x.policy === p.name).map((x) => x.path));
    for (const probe of config.probes) {
      if (probe.policy !== p.name && (own.has(probe.path) || (probe.shared && probe.environment === p.environment)))
        continue;
      const ok = evaluate(acl, { path: probe.path, operation: probe.operation }).allowed;
      if (probe.policy === p.name) ok ? allowed++ : wrong++;
      else ok ? wrong++ : denied++;
    }
    if (evaluate(acl, { path: 'sys/mounts', operation: 'read' }).allowed) wrong++;
    else denied++;
  }
  const ok = serious === 0 && wrong === 0 && report.invalid === 0;
  return { findings, serious, invalid: report.invalid, allowed, denied, wrong, ok };
}
