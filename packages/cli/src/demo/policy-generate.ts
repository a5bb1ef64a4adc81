import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isSvmError } from '@svm/core';
import type { DemoContext, DemoStep } from './step.js';

/**
 * The generator demo: generate every target from `<examplesDir>/requirements.yaml` into
 * `<workDir>/policies/`, lint what was written, and prove with the engine that each requirement is allowed
 * and the neighbouring paths (other apps, other environments, sys/) are denied.
 */
export async function runPolicyGenerateDemo(d: DemoContext): Promise<{ step: DemoStep; policiesDir: string }> {
  const name = 'policy generate';
  const policiesDir = join(d.workDir, 'policies');
  try {
    const { Requirements, loadDocument } = await import('@svm/core');
    const policy = await import('@svm/policy');
    const file = join(d.examplesDir, 'requirements.yaml');
    const requirements = loadDocument(await readFile(file, 'utf8'), { file }, Requirements);
    const config = policy.generateConfig(requirements);
    const files = policy.renderTargets(config, policy.GENERATE_TARGETS);
    for (const f of files) {
      // HCL policies straight into policies/ (what `svm policy eval --policy` reads); the other targets beside them.
      const target =
        f.target === 'hcl'
          ? join(policiesDir, f.path.replace(/^policies\//, ''))
          : join(d.workDir, 'generated', f.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content);
    }
    const written = files.filter((f) => f.target === 'hcl');
    const report = policy.lintSources(
      await Promise.all(
        written.map(async (f) => ({
          file: f.path,
          text: await readFile(join(policiesDir, f.path.replace(/^policies\//, '')), 'utf8'),
        })),
      ),
    );
    const roleFindings = policy.lintAuthRoles(
      config.roles.map((r) => ({ method: r.method, mount: r.mount, name: r.name, body: r.body })),
    );
    const findings = [...report.findings, ...roleFindings];
    const serious = findings.filter(
      (f) => f.severity === 'medium' || f.severity === 'high' || f.severity === 'critical',
    ).length;

    // Engine proof: own requests allowed, everybody else's denied.
    let allowed = 0;
    let denied = 0;
    let wrong = 0;
    for (const p of config.policies) {
      const acl = policy.compilePolicies([policy.parsePolicy(p.hcl, { name: p.name })]);
      const own = new Set(config.probes.filter((x) => x.policy === p.name).map((x) => x.path));
      for (const probe of config.probes) {
        if (probe.policy !== p.name && (own.has(probe.path) || (probe.shared && probe.environment === p.environment)))
          continue;
        const ok = policy.evaluate(acl, { path: probe.path, operation: probe.operation }).allowed;
        if (probe.policy === p.name) ok ? allowed++ : wrong++;
        else ok ? wrong++ : denied++;
      }
      if (policy.evaluate(acl, { path: 'sys/mounts', operation: 'read' }).allowed) wrong++;
      else denied++;
    }

    const methods = [...new Set(config.roles.map((r) => r.method))].join(', ');
    const ok = serious === 0 && wrong === 0 && report.invalid === 0;
    return {
      policiesDir,
      step: {
        name,
        status: ok ? 'ok' : 'failed',
        lines: [
          `${requirements.applications.length} applications from requirements.yaml → ${config.policies.length} policies, ${config.roles.length} auth roles (${methods})`,
          `wrote ${written.length} HCL policies to ${policiesDir} and ${files.length - written.length} more files (Terraform, scripts, API JSON, Kubernetes, GitHub Actions)`,
          `lint: ${serious === 0 ? 'nothing' : `${serious} findings`} at medium or above, ${findings.length - serious} low/info`,
          `engine check: ${allowed} required requests allowed, ${denied} neighbouring requests denied${wrong ? `, ${wrong} WRONG` : ''}`,
        ],
      },
    };
  } catch (error) {
    const message = isSvmError(error)
      ? `${error.code}: ${error.message}`
      : ((error as Error)?.message ?? String(error));
    return { policiesDir, step: { name, status: 'failed', lines: [message] } };
  }
}
