import { SvmError } from '@svm/core';
import { renderApiJson } from './render/api-json.js';
import { renderCliScript } from './render/cli-script.js';
import { renderGithubActions } from './render/github-actions.js';
import { renderAgentAnnotations, renderExternalSecrets } from './render/kubernetes.js';
import { renderTerraform } from './render/terraform.js';
import type { GeneratedConfig } from './types.js';

/**
 * Output targets of `svm policy generate --format`.
 *
 * @example
 * ```ts
 * GENERATE_TARGETS.includes('terraform'); // true
 * ```
 */
export const GENERATE_TARGETS = [
  'hcl',
  'vault-script',
  'bao-script',
  'terraform',
  'api-json',
  'agent-annotations',
  'eso',
  'github-actions',
] as const;
/**
 * One output target of `svm policy generate --format`.
 *
 * @example
 * ```ts
 * const target: GenerateTarget = 'eso';
 * ```
 */
export type GenerateTarget = (typeof GENERATE_TARGETS)[number];

/**
 * One rendered file: a relative path and its content.
 *
 * @example
 * ```ts
 * for (const f of renderTargets(config, ['hcl'])) writeFileSync(f.path, f.content);
 * ```
 */
export interface GeneratedFile {
  target: GenerateTarget;
  path: string;
  content: string;
}

/**
 * Parse a `--format` value: a comma-separated list of targets, or `all`.
 *
 * @example
 * ```ts
 * parseTargets('hcl,terraform'); // ['hcl', 'terraform']
 * ```
 */
export function parseTargets(value: string | readonly string[]): GenerateTarget[] {
  const items = (Array.isArray(value) ? value : [value])
    .flatMap((v: string) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  if (items.includes('all')) return [...GENERATE_TARGETS];
  const bad = items.filter((i) => !(GENERATE_TARGETS as readonly string[]).includes(i));
  if (bad.length > 0 || items.length === 0) {
    throw new SvmError(
      'USAGE',
      `unknown target ${bad.map((b) => `'${b}'`).join(', ') || "''"}; expected ${GENERATE_TARGETS.join(', ')} or all`,
      { field: '--format' },
    );
  }
  return GENERATE_TARGETS.filter((t) => items.includes(t));
}

/**
 * Render a generated configuration into files for the chosen targets, in a stable order.
 *
 * @example
 * ```ts
 * renderTargets(generateConfig(requirements), ['hcl']).map((f) => f.path); // ['policies/payment-service-read.hcl']
 * ```
 */
export function renderTargets(config: GeneratedConfig, targets: readonly GenerateTarget[]): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  const add = (target: GenerateTarget, map: Record<string, string>) => {
    for (const path of Object.keys(map).sort()) files.push({ target, path, content: map[path] as string });
  };
  for (const target of GENERATE_TARGETS) {
    if (!targets.includes(target)) continue;
    switch (target) {
      case 'hcl':
        add(
          target,
          Object.fromEntries(
            config.policies.map((p) => [`policies/${p.namespace ? `${p.namespace}/` : ''}${p.name}.hcl`, p.hcl]),
          ),
        );
        break;
      case 'vault-script':
        add(target, { 'scripts/setup-vault.sh': renderCliScript(config, 'vault') });
        break;
      case 'bao-script':
        add(target, { 'scripts/setup-bao.sh': renderCliScript(config, 'bao') });
        break;
      case 'terraform':
        add(target, { 'terraform/vault.tf': renderTerraform(config) });
        break;
      case 'api-json':
        add(target, { 'api/requests.json': renderApiJson(config) });
        break;
      case 'agent-annotations':
        add(target, renderAgentAnnotations(config));
        break;
      case 'eso':
        add(target, renderExternalSecrets(config));
        break;
      case 'github-actions':
        add(target, renderGithubActions(config));
        break;
    }
  }
  return files;
}
