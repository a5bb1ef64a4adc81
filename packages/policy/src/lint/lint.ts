import {
  type Finding,
  type Policy,
  type PolicyFlavor,
  Requirements,
  SvmError,
  compareSeverity,
  isSvmError,
  loadDocument,
  parseDocumentText,
} from '@svm/core';
import { parsePolicy } from '../parse/parse-policy.js';
import { engineRequests } from '../generate/engines.js';
import type { GeneratedConfig } from '../generate/types.js';
import { type EngineLintInput, lintEngineRequests } from './engine-checks.js';
import { type PolicyLintOptions, checkPolicy } from './policy-checks.js';
import { type AuthRoleInput, checkAuthRole } from './role-checks.js';
import { lintRule } from './rules.js';
import { findBlockedGrants } from './blocked.js';
import { findShadowedRules } from './shadowed.js';
import { isTerraformFile, readTerraform } from './terraform.js';

/**
 * Options for {@link lintSources} and {@link lintPolicies}.
 *
 * @example
 * ```ts
 * lintSources(sources, { kv2Mounts: ['secret', 'kv'], flavor: 'openbao' });
 * ```
 */
export interface LintOptions extends PolicyLintOptions {
  /** Engine flavor for shadowing analysis (default `vault`). */
  flavor?: PolicyFlavor | undefined;
}

/**
 * One input file: its name (used for the policy name and in findings) and its text.
 *
 * @example
 * ```ts
 * lintSources([{ file: 'web-read.hcl', text: readFileSync('web-read.hcl', 'utf8') }]);
 * ```
 */
export interface LintSource {
  file: string;
  text: string;
}

/**
 * What the linter found, plus what it looked at.
 *
 * @example
 * ```ts
 * const { findings, invalid } = lintSources(sources); // exit 2 when invalid > 0
 * ```
 */
export interface LintReport {
  findings: Finding[];
  files: number;
  policies: number;
  roles: number;
  /** Secrets-engine objects looked at (api-json engine requests, `engines:` of a requirements file). */
  engines: number;
  /** Inputs that did not parse (reported as `invalid` findings; the CLI exits 2). */
  invalid: number;
}

/**
 * Lint parsed policies: the per-rule checks plus shadowed rules (through the policy engine).
 *
 * @example
 * ```ts
 * lintPolicies([parsePolicy('path "*" { capabilities = ["read"] }', { name: 'x-read' })]);
 * ```
 */
export function lintPolicies(policies: readonly Policy[], options: LintOptions = {}): Finding[] {
  const findings: Finding[] = [];
  for (const policy of policies) {
    findings.push(...checkPolicy(policy, options));
    try {
      findings.push(...findShadowedRules(policy, { flavor: options.flavor }));
      findings.push(...findBlockedGrants(policy, { flavor: options.flavor }));
    } catch (error) {
      // A capability the chosen flavor rejects: reported by compile as POLICY_INVALID.
      if (!isSvmError(error)) throw error;
      findings.push(invalidFinding(error, policy.file));
    }
  }
  return sortFindings(findings);
}

/**
 * Lint auth roles.
 *
 * @example
 * ```ts
 * lintAuthRoles([{ method: 'kubernetes', name: 'web', body: { bound_service_account_names: ['*'] } }]);
 * ```
 */
export function lintAuthRoles(roles: readonly AuthRoleInput[]): Finding[] {
  return sortFindings(roles.flatMap((r) => checkAuthRole(r)));
}

/**
 * Lint files: `.hcl` and JSON policies (the policy name is the file name without its extension), and
 * JSON/YAML documents holding API requests (`{"requests": [{method, path, body}]}`, as `svm policy generate
 * --format api-json` writes them) or auth roles (`{"roles": [{path, method?, body}]}`). A file that does
 * not parse becomes an `invalid` finding with its line, never an exception.
 *
 * @example
 * ```ts
 * lintSources([{ file: 'app-read.hcl', text: 'path "secret/*" { policy = "write" }' }]).findings.map((f) => f.rule);
 * ```
 */
export function lintSources(sources: readonly LintSource[], options: LintOptions = {}): LintReport {
  return finish(collect(sources), sources.length, options);
}

/**
 * {@link lintSources} plus Terraform: `.tf` files are read with HashiCorp's HCL2 parser (loaded only then) for
 * `vault_policy`, `vault_policy_document` and the AppRole/Kubernetes/JWT role resources.
 *
 * @example
 * ```ts
 * const report = await lintFiles([{ file: 'vault.tf', text }, { file: 'app-read.hcl', text: hcl }]);
 * ```
 */
export async function lintFiles(sources: readonly LintSource[], options: LintOptions = {}): Promise<LintReport> {
  const collected = collect(sources.filter((s) => !isTerraformFile(s.file)));
  for (const source of sources.filter((s) => isTerraformFile(s.file))) {
    try {
      const tf = await readTerraform(source);
      collected.policies.push(...tf.policies);
      collected.roles.push(...tf.roles);
      collected.engines.push(...tf.engines);
      for (const error of tf.errors) {
        collected.invalid++;
        collected.findings.push(invalidFinding(error, source.file));
      }
    } catch (error) {
      if (!isSvmError(error)) throw error;
      collected.invalid++;
      collected.findings.push(invalidFinding(error, source.file));
    }
  }
  return finish(collected, sources.length, options);
}

interface Collected {
  policies: Policy[];
  roles: AuthRoleInput[];
  engines: EngineLintInput[];
  findings: Finding[];
  invalid: number;
}

function finish(c: Collected, files: number, options: LintOptions): LintReport {
  const findings = [
    ...c.findings,
    ...lintPolicies(c.policies, options),
    ...lintAuthRoles(c.roles),
    ...lintEngineRequests(c.engines),
  ];
  return {
    findings: sortFindings(findings),
    files,
    policies: c.policies.length,
    roles: c.roles.length,
    engines: c.engines.length,
    invalid: c.invalid,
  };
}

function collect(sources: readonly LintSource[]): Collected {
  const policies: Policy[] = [];
  const roles: AuthRoleInput[] = [];
  const engines: EngineLintInput[] = [];
  const findings: Finding[] = [];
  let invalid = 0;
  for (const source of sources) {
    if (isTerraformFile(source.file)) {
      invalid++;
      findings.push(
        invalidFinding(
          new SvmError('UNSUPPORTED', 'Terraform files are read by lintFiles (async), not lintSources', {
            file: source.file,
          }),
          source.file,
        ),
      );
      continue;
    }
    try {
      const kind = sourceKind(source);
      if (kind === 'policy') {
        policies.push(parsePolicy(source.text, { name: policyNameOf(source.file), file: source.file }));
        continue;
      }
      const doc = parseDocumentText(source.text, { file: source.file }) as Record<string, unknown>;
      if (Array.isArray(doc?.applications)) {
        engines.push(...fromRequirements(source));
        continue;
      }
      const { policies: p, roles: r, engines: e } = fromDocument(doc, source);
      policies.push(...p);
      roles.push(...r);
      engines.push(...e);
    } catch (error) {
      if (!isSvmError(error)) throw error;
      invalid++;
      findings.push(invalidFinding(error, source.file));
    }
  }
  return { policies, roles, engines, findings, invalid };
}

/** The `engines:` of a requirements file, each object pointed at by the line that names it. */
function fromRequirements(source: LintSource): EngineLintInput[] {
  const requirements = loadDocument(source.text, { file: source.file }, Requirements);
  return engineRequests(requirements.engines).map((r) => ({
    engine: r.engine,
    path: r.path,
    body: r.body,
    file: source.file,
    line: lineOf(source.text, `name: ${r.path.split('/').at(-1)}`) ?? lineOf(source.text, `${r.mount}`),
  }));
}

/**
 * Lint a generated configuration exactly as it would be written: each policy's HCL is parsed back, each
 * role body checked. The generator's promise is that this returns nothing at medium or above.
 *
 * @example
 * ```ts
 * lintGeneratedConfig(generateConfig(requirements)).filter((f) => f.severity !== 'low' && f.severity !== 'info'); // []
 * ```
 */
export function lintGeneratedConfig(config: GeneratedConfig, options: LintOptions = {}): Finding[] {
  const policies = config.policies.map((p) => parsePolicy(p.hcl, { name: p.name, file: `policies/${p.name}.hcl` }));
  const roles = config.roles.map((r) => ({
    method: r.method,
    mount: r.mount,
    name: r.name,
    body: r.body,
    file: `auth/${r.mount}/role/${r.name}`,
  }));
  const engines = config.engines.map((r) => ({ engine: r.engine, path: r.path, body: r.body, file: r.path }));
  return sortFindings([...lintPolicies(policies, options), ...lintAuthRoles(roles), ...lintEngineRequests(engines)]);
}

/**
 * Order findings by file, line, then severity (highest first) and rule id.
 *
 * @example
 * ```ts
 * sortFindings([...policyFindings, ...roleFindings]);
 * ```
 */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      compareSeverity(b.severity, a.severity) ||
      a.rule.localeCompare(b.rule) ||
      a.message.localeCompare(b.message),
  );
}

function sourceKind(source: LintSource): 'policy' | 'document' {
  const lower = source.file.toLowerCase();
  if (lower.endsWith('.hcl')) return 'policy';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'document';
  if (lower.endsWith('.json')) {
    // A JSON policy has a top-level "path" object; anything else is a requests/roles document.
    try {
      const parsed = JSON.parse(source.text) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'path' in parsed ? 'policy' : 'document';
    } catch {
      return 'policy'; // let the policy parser report where the JSON breaks
    }
  }
  return 'policy';
}

function fromDocument(
  doc: Record<string, unknown>,
  source: LintSource,
): { policies: Policy[]; roles: AuthRoleInput[]; engines: EngineLintInput[] } {
  const policies: Policy[] = [];
  const roles: AuthRoleInput[] = [];
  const engines: EngineLintInput[] = [];
  const items = Array.isArray(doc?.requests) ? doc.requests : Array.isArray(doc?.roles) ? doc.roles : undefined;
  if (!items) {
    throw new SvmError(
      'INPUT_INVALID',
      'expected a policy, {"requests": [...]} (svm policy generate --format api-json) or {"roles": [...]}',
      { file: source.file, line: 1 },
    );
  }
  items.forEach((raw: unknown, i: number) => {
    const item = (raw ?? {}) as Record<string, unknown>;
    const path = String(item.path ?? '').replace(/^\/?(v1\/)?/, '');
    const body = (item.body ?? item.data ?? {}) as Record<string, unknown>;
    const line = lineOf(source.text, path);
    if (typeof item.engine === 'string') {
      engines.push({ engine: item.engine, path, body, file: source.file, line });
      return;
    }
    const acl = /^sys\/polic(?:ies\/acl|y)\/(.+)$/.exec(path);
    if (acl && typeof body.policy === 'string') {
      try {
        const policy = parsePolicy(body.policy, { name: acl[1] as string, file: source.file });
        // Positions inside the embedded text mean nothing in this file: point at the request instead.
        for (const rule of policy.rules) rule.position = { line: line ?? 1, column: 1 };
        policies.push(policy);
      } catch (error) {
        if (isSvmError(error)) {
          const inner = error.location.line;
          throw new SvmError(
            error.code,
            `${acl[1]}: ${error.message}${inner ? ` (line ${inner} of the policy text)` : ''}`,
            { file: source.file, line },
          );
        }
        throw error;
      }
      return;
    }
    const role = /^auth\/(.+)\/role\/([^/]+)$/.exec(path);
    if (role) {
      // `method` is the HTTP verb in a requests document, the auth method in a roles document.
      const method =
        typeof item.authMethod === 'string'
          ? item.authMethod
          : typeof item.method === 'string' && !/^(GET|PUT|POST|PATCH|DELETE|LIST)$/i.test(item.method)
            ? item.method
            : undefined;
      roles.push({ method, mount: role[1], name: role[2] as string, body, file: source.file, line });
      return;
    }
    if (path === '')
      throw new SvmError('INPUT_INVALID', `item ${i} has no path`, {
        file: source.file,
        line,
        field: `${doc.requests ? 'requests' : 'roles'}[${i}].path`,
      });
  });
  return { policies, roles, engines };
}

function lineOf(text: string, needle: string): number | undefined {
  if (!needle) return undefined;
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  return index >= 0 ? index + 1 : undefined;
}

function invalidFinding(error: SvmError, file: string | undefined): Finding {
  const r = lintRule('invalid-policy');
  const f: Finding = { rule: r.id, category: r.category, severity: r.severity, message: error.message, fix: r.fix };
  const where = error.location.file ?? file;
  if (where) f.file = where;
  if (error.location.line) f.line = error.location.line;
  if (error.location.column) f.column = error.location.column;
  return f;
}

/**
 * The policy name for a file: its base name without `.hcl`/`.json`.
 *
 * @example
 * ```ts
 * policyNameOf('policies/web-read.hcl'); // 'web-read'
 * ```
 */
export function policyNameOf(file: string): string {
  const base = file.split(/[\\/]/).at(-1) ?? file;
  return base.replace(/\.(hcl|json)$/i, '');
}
