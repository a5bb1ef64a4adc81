import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Requirements, SvmError } from '@svm/core';
import type { GeneratedFile } from './targets.js';
import type { GeneratedConfig } from './types.js';

/** The `svm policy generate --json` document: policies, roles and files generated from requirements. */
export interface GenerateDocument {
  applications: number;
  policies: Array<{ name: string; app: string; environment: string; namespace?: string | undefined; hcl: string }>;
  roles: Array<{
    method: string;
    mount: string;
    name: string;
    app: string;
    environment: string;
    namespace?: string | undefined;
    body: Record<string, unknown>;
  }>;
  files: Array<{ target: string; path: string; content?: string }>;
  out?: string;
  warnings: string[];
}

/**
 * The JSON document of a generation: every policy (with its HCL), role and file (with its content).
 *
 * @example
 * ```ts
 * const config = generateConfig(requirements);
 * generateDocument(requirements, config, renderTargets(config, ['hcl'])).policies[0].hcl;
 * ```
 */
export function generateDocument(
  requirements: Requirements,
  config: GeneratedConfig,
  files: readonly GeneratedFile[],
): GenerateDocument {
  return {
    applications: requirements.applications.length,
    policies: config.policies.map((p) => ({
      name: p.name,
      app: p.app,
      environment: p.environment,
      namespace: p.namespace,
      hcl: p.hcl,
    })),
    roles: config.roles.map((r) => ({
      method: r.method,
      mount: r.mount,
      name: r.name,
      app: r.app,
      environment: r.environment,
      namespace: r.namespace,
      body: r.body,
    })),
    files: files.map((f) => ({ target: f.target, path: f.path, content: f.content })),
    warnings: config.warnings,
  };
}

/** A generated file that is missing under the output folder or differs from what would be generated. */
export interface StaleFile {
  path: string;
  state: 'missing' | 'different';
}

/**
 * Compare generated files with what is under `outDir` (for CI: are the checked-in files up to date?).
 *
 * @example
 * ```ts
 * const stale = await staleGeneratedFiles('generated/', renderTargets(config, GENERATE_TARGETS));
 * if (stale.length) process.exitCode = 1;
 * ```
 */
export async function staleGeneratedFiles(outDir: string, files: readonly GeneratedFile[]): Promise<StaleFile[]> {
  const stale: StaleFile[] = [];
  for (const f of files) {
    let current: string | undefined;
    try {
      current = await readFile(join(outDir, f.path), 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== f.content) stale.push({ path: f.path, state: current === undefined ? 'missing' : 'different' });
  }
  return stale;
}

/**
 * Write generated files under `outDir`, creating folders; shell scripts get mode 0755. A failure is
 * `FILE_UNREADABLE` naming the file.
 *
 * @example
 * ```ts
 * await writeGeneratedFiles('generated/', renderTargets(config, GENERATE_TARGETS));
 * ```
 */
export async function writeGeneratedFiles(outDir: string, files: readonly GeneratedFile[]): Promise<void> {
  for (const f of files) {
    const target = join(outDir, f.path);
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content, { mode: f.path.endsWith('.sh') ? 0o755 : 0o644 });
    } catch (cause) {
      throw new SvmError('FILE_UNREADABLE', `cannot write ${target}: ${(cause as Error).message}`, {
        file: target,
        cause,
      });
    }
  }
}

/**
 * Generated files as one text: a single file as it is, several each under a `# ==> path <==` header.
 *
 * @example
 * ```ts
 * process.stdout.write(renderGeneratedFiles(renderTargets(config, ['hcl', 'terraform'])));
 * ```
 */
export function renderGeneratedFiles(files: readonly GeneratedFile[]): string {
  if (files.length === 1) return (files[0] as GeneratedFile).content;
  return files.map((f) => `${f.path.endsWith('.json') ? '//' : '#'} ==> ${f.path} <==\n${f.content}`).join('\n');
}

/**
 * What `svm policy generate --out` says: how many policies and roles, and the files written under `out`.
 *
 * @example
 * ```ts
 * renderGenerateSummary(config, files, 'generated/');
 * // 'Generated 4 policies and 4 auth roles for 2 applications; wrote 9 files under generated/:\n  policies/…'
 * ```
 */
export function renderGenerateSummary(config: GeneratedConfig, files: readonly GeneratedFile[], out: string): string {
  const apps = new Set(config.policies.map((p) => p.app)).size;
  const lines = [
    `Generated ${config.policies.length} policies and ${config.roles.length} auth roles for ${apps} application${apps === 1 ? '' : 's'}${config.engines.length > 0 ? ` and ${config.engines.length} secrets-engine objects` : ''}; wrote ${files.length} files under ${out}:`,
  ];
  for (const f of files) lines.push(`  ${f.path}`);
  return lines.join('\n');
}

/**
 * What `svm policy generate --check` says: up to date, or which files are missing or different.
 *
 * @example
 * ```ts
 * renderStaleFiles(await staleGeneratedFiles('generated/', files), files.length, 'generated/');
 * ```
 */
export function renderStaleFiles(stale: readonly StaleFile[], total: number, out: string): string {
  if (stale.length === 0) return `${total} generated files under ${out} are up to date.`;
  return [
    `${stale.length} of ${total} generated files under ${out} are out of date (run svm policy generate with --out to update them):`,
    ...stale.map((x) => `  ${x.state === 'missing' ? 'missing  ' : 'different'} ${x.path}`),
  ].join('\n');
}
