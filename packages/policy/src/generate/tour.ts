import type { Requirements } from '@svm/core';
import { writeGeneratedFiles } from './output.js';
import { generateConfig } from './plan.js';
import { GENERATE_TARGETS, renderTargets } from './targets.js';
import { verifyGeneratedConfig } from './verify.js';

/** Where {@link generateTour} writes, and how it names its input. */
export interface GenerateTourOptions {
  /** The HCL policies go straight into this folder (what `svm policy eval --policy` reads). */
  policiesDir: string;
  /** Every other target goes under this folder. */
  generatedDir: string;
  /** The requirements file's name in the first line (default `requirements.yaml`). */
  source?: string | undefined;
}

/**
 * Generate every target from `requirements`, write the HCL policies into `policiesDir` and the other files under
 * `generatedDir`, prove the result with {@link verifyGeneratedConfig}, and say what happened in four lines
 * (`svm demo`'s "policy generate" step). `ok` is the proof's verdict.
 *
 * @example
 * ```ts
 * const { ok, lines } = await generateTour(requirements, { policiesDir: 'out/policies', generatedDir: 'out/generated' });
 * // lines[0]: '3 applications from requirements.yaml → 6 policies, 6 auth roles (approle, kubernetes)'
 * ```
 */
export async function generateTour(
  requirements: Requirements,
  options: GenerateTourOptions,
): Promise<{ ok: boolean; lines: string[] }> {
  const config = generateConfig(requirements);
  const files = renderTargets(config, GENERATE_TARGETS);
  const hcl = files.filter((f) => f.target === 'hcl');
  await writeGeneratedFiles(
    options.policiesDir,
    hcl.map((f) => ({ ...f, path: f.path.replace(/^policies\//, '') })),
  );
  await writeGeneratedFiles(
    options.generatedDir,
    files.filter((f) => f.target !== 'hcl'),
  );
  const check = verifyGeneratedConfig(config, files);
  const methods = [...new Set(config.roles.map((r) => r.method))].join(', ');
  const { serious, allowed, denied, wrong } = check;
  return {
    ok: check.ok,
    lines: [
      `${requirements.applications.length} applications from ${options.source ?? 'requirements.yaml'} → ${config.policies.length} policies, ${config.roles.length} auth roles (${methods})`,
      `wrote ${hcl.length} HCL policies to ${options.policiesDir} and ${files.length - hcl.length} more files (Terraform, scripts, API JSON, Kubernetes, GitHub Actions)`,
      `lint: ${serious === 0 ? 'nothing' : `${serious} findings`} at medium or above, ${check.findings.length - serious} low/info`,
      `engine check: ${allowed} required requests allowed, ${denied} neighbouring requests denied${wrong ? `, ${wrong} WRONG` : ''}`,
    ],
  };
}
