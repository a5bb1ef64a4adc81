import { type Finding, parseDurationSeconds } from '@svm/core';
import { type LintRuleId, lintRule } from './rules.js';

/**
 * An auth role to lint: the API body of `auth/<mount>/role/<name>` and where it was found.
 *
 * @example
 * ```ts
 * checkAuthRole({ method: 'jwt', mount: 'jwt', name: 'ci', body: { bound_audiences: ['https://github.com/acme'] } });
 * ```
 */
export interface AuthRoleInput {
  /** `approle`, `kubernetes`, `jwt` or `oidc`; inferred from the body when absent. */
  method?: string | undefined;
  mount?: string | undefined;
  name: string;
  body: Record<string, unknown>;
  file?: string | undefined;
  line?: number | undefined;
}

const DAY = 86_400;

/**
 * Infer an auth method from a role body: AppRole has secret-id settings, Kubernetes binds service
 * accounts, JWT/OIDC roles have `role_type`, `user_claim` or audiences.
 *
 * @example
 * ```ts
 * inferAuthMethod({ bound_service_account_names: ['app'] }); // 'kubernetes'
 * ```
 */
export function inferAuthMethod(body: Record<string, unknown>): string | undefined {
  if ('bound_service_account_names' in body || 'bound_service_account_namespaces' in body) return 'kubernetes';
  if ('role_type' in body) return String(body.role_type) === 'oidc' ? 'oidc' : 'jwt';
  if ('user_claim' in body || 'bound_audiences' in body || 'allowed_redirect_uris' in body)
    return 'allowed_redirect_uris' in body ? 'oidc' : 'jwt';
  if (
    'secret_id_num_uses' in body ||
    'bind_secret_id' in body ||
    'secret_id_ttl' in body ||
    'secret_id_bound_cidrs' in body
  )
    return 'approle';
  return undefined;
}

/**
 * Lint one auth role: AppRole without CIDR binding or with unlimited/never-expiring SecretIDs, token TTLs
 * over 24h (max) and 30 days (ttl), Kubernetes roles bound to `*`, JWT roles without bound claims or
 * audiences, and GitHub Actions roles that do not bind the repository.
 *
 * @example
 * ```ts
 * checkAuthRole({ method: 'approle', name: 'ci', body: { secret_id_num_uses: 0 } }).map((f) => f.rule);
 * // ['approle-no-cidr', 'approle-unlimited-secret-id']
 * ```
 */
export function checkAuthRole(role: AuthRoleInput): Finding[] {
  const b = role.body;
  const method = role.method ?? inferAuthMethod(b);
  const label = `${method ?? 'auth'} role ${role.mount ? `${role.mount}/` : ''}${role.name}`;
  const findings: Finding[] = [];
  const add = (id: LintRuleId, message: string) => {
    const r = lintRule(id);
    const f: Finding = { rule: id, category: r.category, severity: r.severity, message, fix: r.fix };
    if (role.file) f.file = role.file;
    if (role.line) f.line = role.line;
    findings.push(f);
  };
  const list = (key: string): string[] => {
    const v = b[key];
    if (v === undefined || v === null || v === '') return [];
    return Array.isArray(v)
      ? v.map(String)
      : String(v)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  };
  const secs = (...keys: string[]): number | undefined => {
    for (const key of keys) {
      const v = b[key];
      if (v === undefined || v === null || v === '') continue;
      try {
        return parseDurationSeconds(v as string | number);
      } catch {
        return undefined;
      }
    }
    return undefined;
  };

  const maxTtl = secs('token_max_ttl', 'max_ttl');
  const ttl = secs('token_ttl', 'ttl');
  if (ttl !== undefined && ttl > 30 * DAY)
    add('token-ttl-over-30d', `${label}: token_ttl is ${ttl}s (${Math.round(ttl / DAY)} days)`);
  if (maxTtl !== undefined && maxTtl > DAY)
    add('token-max-ttl-over-24h', `${label}: token_max_ttl is ${maxTtl}s (${Math.round((maxTtl / 3600) * 10) / 10}h)`);

  switch (method) {
    case 'approle': {
      if (
        list('secret_id_bound_cidrs').length === 0 &&
        list('token_bound_cidrs').length === 0 &&
        list('bound_cidr_list').length === 0
      ) {
        add('approle-no-cidr', `${label} has neither secret_id_bound_cidrs nor token_bound_cidrs`);
      }
      const bind = b.bind_secret_id !== false;
      const uses = b.secret_id_num_uses === undefined ? 0 : Number(b.secret_id_num_uses);
      const idTtl = secs('secret_id_ttl') ?? 0;
      if (bind && (uses === 0 || idTtl === 0)) {
        add(
          'approle-unlimited-secret-id',
          `${label}: ${uses === 0 ? 'secret_id_num_uses is 0 (unlimited)' : ''}${uses === 0 && idTtl === 0 ? ' and ' : ''}${idTtl === 0 ? 'secret_id_ttl is 0 (never expires)' : ''}`,
        );
      }
      break;
    }
    case 'kubernetes': {
      const names = list('bound_service_account_names');
      const namespaces = list('bound_service_account_namespaces');
      const wild = [
        ...(names.includes('*') ? ['bound_service_account_names'] : []),
        ...(namespaces.includes('*') && !b.bound_service_account_namespace_selector
          ? ['bound_service_account_namespaces']
          : []),
      ];
      if (wild.length > 0)
        add('kubernetes-wildcard-binding', `${label}: ${wild.join(' and ')} ${wild.length > 1 ? 'are' : 'is'} "*"`);
      break;
    }
    case 'jwt':
    case 'oidc': {
      const claims =
        b.bound_claims && typeof b.bound_claims === 'object' ? (b.bound_claims as Record<string, unknown>) : {};
      const hasClaims = Object.keys(claims).length > 0 || Boolean(b.bound_subject);
      if (method === 'jwt') {
        if (!hasClaims) add('jwt-no-bound-claims', `${label} has no bound_claims or bound_subject`);
        if (list('bound_audiences').length === 0) add('jwt-no-bound-audiences', `${label} has no bound_audiences`);
      }
      const github =
        Object.keys(claims).some((k) =>
          [
            'repository',
            'repository_owner',
            'workflow_ref',
            'job_workflow_ref',
            'ref',
            'environment',
            'actor',
          ].includes(k),
        ) || list('bound_audiences').some((a) => a.startsWith('https://github.com/'));
      if (method === 'jwt' && github) {
        const glob = String(b.bound_claims_type ?? 'string') === 'glob';
        const bound = ['repository', 'repository_owner', 'sub', 'repository_id', 'repository_owner_id'].filter(
          (k) => claims[k] !== undefined,
        );
        const globbed = glob && bound.every((k) => [claims[k]].flat().some((v) => String(v).includes('*')));
        if (bound.length === 0 || globbed)
          add(
            'jwt-github-unbound-repository',
            `${label} ${bound.length === 0 ? 'binds no repository, repository_owner or sub claim' : `binds ${bound.join(', ')} only with a glob`}`,
          );
      }
      break;
    }
  }
  return findings;
}
