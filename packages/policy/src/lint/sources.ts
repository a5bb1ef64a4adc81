import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  type Finding,
  SEVERITIES,
  type Severity,
  type TextStyle,
  fileError,
  fullStyle,
  severityAtLeast,
} from '@svm/core';
import { findPolicyFiles } from '../parse/find-policy-files.js';
import type { LintReport, LintSource } from './lint.js';

const LINTABLE = /\.(hcl|json|ya?ml|tf)$/i;
const TERRAFORM_VAULT =
  /"vault_(policy|policy_document|approle_auth_backend_role|kubernetes_auth_backend_role|jwt_auth_backend_role|database_secret_backend_connection|database_secret_backend_role|pki_secret_backend_role|ssh_secret_backend_role|transit_secret_backend_key)"/;

/**
 * The lintable files under a directory, recursively: `.hcl` policies, and `.json`/`.yaml` files and Terraform
 * (`.tf`) only when they look like a policy, a requests/roles document or Vault Terraform resources. Each source is
 * named `shownAs` joined with its path inside the directory (default: the directory as given).
 *
 * @example
 * ```ts
 * const report = await lintFiles(await findLintSources('/repo/vault', { shownAs: 'vault' }));
 * ```
 */
export async function findLintSources(
  dir: string,
  options: { shownAs?: string | undefined } = {},
): Promise<LintSource[]> {
  const sources: LintSource[] = [];
  for (const file of await findPolicyFiles(dir, { recursive: true, match: LINTABLE })) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw fileError(cause, file);
    }
    // Inside a directory, a JSON/YAML file counts only when it looks like a policy or a requests/roles document.
    const skip = /\.tf$/i.test(file)
      ? !TERRAFORM_VAULT.test(text)
      : !/\.hcl$/i.test(file) && !/"?\b(path|requests|roles)"?\s*:/.test(text);
    if (!skip) sources.push({ file: join(options.shownAs ?? dir, relative(dir, file)), text });
  }
  return sources;
}

/**
 * The exit code of a lint run: 2 when an input was invalid, 1 when a finding reaches `failOn`, else 0.
 *
 * @example
 * ```ts
 * process.exitCode = lintExitCode(await lintFiles(sources), 'high');
 * ```
 */
export function lintExitCode(report: LintReport, failOn: Severity | 'none'): 0 | 1 | 2 {
  if (report.invalid > 0) return 2;
  return failOn !== 'none' && report.findings.some((f) => severityAtLeast(f.severity, failOn)) ? 1 : 0;
}

/**
 * A finding with exactly the fields of the lint JSON contract: rule, category, severity, message, file, line, fix?.
 *
 * @example
 * ```ts
 * JSON.stringify({ findings: report.findings.map(lintFindingJson) });
 * ```
 */
export function lintFindingJson(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = {
    rule: f.rule,
    category: f.category,
    severity: f.severity,
    message: f.message,
    file: f.file ?? null,
    line: f.line ?? null,
  };
  if (f.fix) out.fix = f.fix;
  return out;
}

/**
 * A lint report for a terminal: one line per finding (`file:line:column: severity rule: message`, the fix below)
 * and a closing count.
 *
 * @example
 * ```ts
 * console.log(renderLintText(await lintFiles(sources)));
 * // 'policies/app.hcl:3:1: high catch-all-path: …\n1 finding (1 high) in 1 file (1 policy, 0 auth roles).'
 * ```
 */
export function renderLintText(report: LintReport, style: TextStyle = {}): string {
  const c = fullStyle(style);
  const paint: Record<Severity, (s: string) => string> = {
    info: c.dim,
    low: c.cyan,
    medium: c.yellow,
    high: c.red,
    critical: (s) => c.bold(c.red(s)),
  };
  const lines: string[] = [];
  for (const f of report.findings) {
    const where = [f.file, f.line, f.column].filter((x) => x !== undefined).join(':');
    lines.push(`${where ? `${where}: ` : ''}${paint[f.severity](f.severity)} ${f.rule}: ${f.message}`);
    if (f.fix) lines.push(`  ${c.dim(`fix: ${f.fix}`)}`);
  }
  const counts = SEVERITIES.slice()
    .reverse()
    .map((s) => [s, report.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const scope = `${report.files} file${report.files === 1 ? '' : 's'} (${report.policies} polic${report.policies === 1 ? 'y' : 'ies'}, ${report.roles} auth role${report.roles === 1 ? '' : 's'}${report.engines ? `, ${report.engines} engine object${report.engines === 1 ? '' : 's'}` : ''})`;
  lines.push(
    report.findings.length === 0
      ? `No findings in ${scope}.`
      : `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} (${counts.join(', ')}) in ${scope}.`,
  );
  return lines.join('\n');
}
