import { type Policy, type PolicyRule, SvmError, isSvmError } from '@svm/core';
import { parsePolicy } from '../parse/parse-policy.js';
import type { EngineLintInput } from './engine-checks.js';
import type { AuthRoleInput } from './role-checks.js';

/** What a Terraform file holds for the linter. */
export interface TerraformExtract {
  policies: Policy[];
  roles: AuthRoleInput[];
  /** Secrets-engine resources (database connections and roles, PKI/SSH roles, transit keys). */
  engines: EngineLintInput[];
  /** Policies that do not parse, as `invalid-policy` errors (file and line in the .tf). */
  errors: SvmError[];
}

const ROLE_RESOURCES: Record<string, string | undefined> = {
  vault_approle_auth_backend_role: 'approle',
  vault_kubernetes_auth_backend_role: 'kubernetes',
  vault_jwt_auth_backend_role: undefined, // jwt or oidc, from role_type
};

const ENGINE_RESOURCES: Record<string, [engine: string, segment: string]> = {
  vault_database_secret_backend_connection: ['database-connection', 'config'],
  vault_database_secret_backend_role: ['database-role', 'roles'],
  vault_pki_secret_backend_role: ['pki-role', 'roles'],
  vault_ssh_secret_backend_role: ['ssh-role', 'roles'],
  vault_transit_secret_backend_key: ['transit-key', 'keys'],
};

type Blocks = Record<string, Record<string, Array<Record<string, unknown>>>>;

/**
 * Read the Vault objects of a Terraform file with HashiCorp's HCL2 parser (`@cdktf/hcl2json`, loaded only
 * when a `.tf` file is linted): `vault_policy` (literal `policy` text or heredoc), `vault_policy_document`
 * rules, and AppRole/Kubernetes/JWT role resources. Lines point into the `.tf` file. A policy built from
 * an expression (`file(…)`, a variable) is skipped, since its text is not in the file.
 *
 * @example
 * ```ts
 * const { policies, roles } = await readTerraform({ file: 'vault.tf', text });
 * ```
 */
export async function readTerraform(source: { file: string; text: string }): Promise<TerraformExtract> {
  const { parse } = await import('@cdktf/hcl2json');
  let doc: { resource?: Blocks; data?: Blocks };
  try {
    doc = (await parse(source.file, source.text)) as typeof doc;
  } catch (cause) {
    const message = (cause as Error)?.message ?? String(cause);
    const at = /:(\d+),(\d+)(?:-[\d,]+)?: (.*?)\]?$/.exec(message);
    throw new SvmError('INPUT_PARSE', `invalid Terraform: ${at ? at[3] : message}`, {
      file: source.file,
      line: at ? Number(at[1]) : undefined,
      column: at ? Number(at[2]) : undefined,
      cause,
    });
  }
  const lines = source.text.split('\n');
  const out: TerraformExtract = { policies: [], roles: [], engines: [], errors: [] };

  for (const [id, blocks] of Object.entries(doc.resource?.vault_policy ?? {})) {
    const block = blocks[0] ?? {};
    const text = block.policy;
    if (typeof text !== 'string' || text.includes('${')) continue;
    const name = typeof block.name === 'string' && !block.name.includes('${') ? block.name : id;
    const start = blockLine(lines, 'resource', 'vault_policy', id);
    const textStart = attributeLine(lines, start, 'policy');
    try {
      const policy = parsePolicy(text, { name, file: source.file });
      // Heredoc bodies start on the line after `policy = <<EOT`; a quoted string sits on the attribute's line.
      const offset = /<<-?\w+\s*$/.test(lines[textStart - 1] ?? '') ? textStart : textStart - 1;
      for (const rule of policy.rules)
        if (rule.position) rule.position = { line: rule.position.line + offset, column: rule.position.column };
      out.policies.push(policy);
    } catch (error) {
      if (!isSvmError(error)) throw error;
      out.errors.push(
        new SvmError(error.code, `vault_policy.${id}: ${error.message}`, {
          file: source.file,
          line: error.location.line ? error.location.line + textStart : textStart,
        }),
      );
    }
  }

  for (const [id, blocks] of Object.entries(doc.data?.vault_policy_document ?? {})) {
    const start = blockLine(lines, 'data', 'vault_policy_document', id);
    const rules: PolicyRule[] = [];
    let from = start;
    for (const rule of (blocks[0]?.rule as Array<Record<string, unknown>> | undefined) ?? []) {
      const line = findLine(
        lines,
        from,
        (l) => /^\s*path\s*=/.test(l) && l.includes(JSON.stringify(String(rule.path ?? ''))),
      );
      from = line;
      rules.push({
        path: String(rule.path ?? ''),
        capabilities: ((rule.capabilities as string[] | undefined) ?? []) as PolicyRule['capabilities'],
        position: { line, column: 1 },
      });
    }
    out.policies.push({ name: id.replaceAll('_', '-'), file: source.file, rules });
  }

  for (const [type, fixed] of Object.entries(ROLE_RESOURCES)) {
    for (const [id, blocks] of Object.entries(doc.resource?.[type] ?? {})) {
      const body = { ...(blocks[0] ?? {}) } as Record<string, unknown>;
      const method = fixed ?? (String(body.role_type ?? 'oidc') === 'jwt' ? 'jwt' : 'oidc');
      out.roles.push({
        method,
        mount: typeof body.backend === 'string' ? body.backend : method,
        name: typeof body.role_name === 'string' ? body.role_name : id,
        body,
        file: source.file,
        line: blockLine(lines, 'resource', type, id),
      });
    }
  }
  for (const [type, [engine, segment]] of Object.entries(ENGINE_RESOURCES)) {
    for (const [id, blocks] of Object.entries(doc.resource?.[type] ?? {})) {
      const body = { ...(blocks[0] ?? {}) } as Record<string, unknown>;
      const mountRef = /^\$\{vault_mount\.([A-Za-z0-9_-]+)\.path\}$/.exec(String(body.backend ?? ''));
      const backend =
        literal(body.backend) ?? literal(doc.resource?.vault_mount?.[mountRef?.[1] ?? '']?.[0]?.path) ?? id;
      const name = literal(body.name) ?? id;
      const path = `${backend}/${segment}/${name}`;
      const line = blockLine(lines, 'resource', type, id);
      out.engines.push({ engine, path, body, file: source.file, line });
      // Terraform has no rotate-root resource: svm renders a terraform_data step calling `rotate-root/<name>`.
      if (engine === 'database-connection' && source.text.includes(`rotate-root/${name}`))
        out.engines.push({ engine: 'database-rotate-root', path: `${backend}/rotate-root/${name}`, body: {}, line });
    }
  }
  return out;
}

/** A literal string attribute, or undefined for an expression (`vault_mount.db.path` reads `${…}`). */
function literal(value: unknown): string | undefined {
  return typeof value === 'string' && !value.includes('${') ? value : undefined;
}

function blockLine(lines: string[], kind: string, type: string, id: string): number {
  const re = new RegExp(`^\\s*${kind}\\s+"${type}"\\s+"${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`);
  return findLine(lines, 1, (l) => re.test(l));
}

function attributeLine(lines: string[], from: number, attribute: string): number {
  return findLine(lines, from, (l) => new RegExp(`^\\s*${attribute}\\s*=`).test(l));
}

function findLine(lines: string[], from: number, test: (line: string) => boolean): number {
  for (let i = Math.max(from - 1, 0); i < lines.length; i++) if (test(lines[i] as string)) return i + 1;
  return from;
}

/**
 * Whether a file is Terraform (`.tf`), read by {@link readTerraform}.
 *
 * @example
 * ```ts
 * isTerraformFile('vault.tf'); // true
 * ```
 */
export function isTerraformFile(file: string): boolean {
  return /\.tf$/i.test(file);
}
