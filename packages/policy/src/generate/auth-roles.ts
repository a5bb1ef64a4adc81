import { type AuthRequirement, SvmError, parseDurationSeconds } from '@svm/core';
import { expand } from './expand.js';

/**
 * The guidance's defaults per auth method, in seconds. Every one is overridable in the requirements file.
 *
 * @example
 * ```ts
 * AUTH_DEFAULTS.approle.secret_id_ttl; // 600
 * ```
 */
export const AUTH_DEFAULTS = {
  approle: { token_ttl: 3600, token_max_ttl: 14_400, secret_id_num_uses: 1, secret_id_ttl: 600 },
  kubernetes: { token_ttl: 3600, token_max_ttl: 14_400 },
  oidc: { token_ttl: 28_800, token_max_ttl: 43_200 },
  jwt: { token_ttl: 600, token_max_ttl: 900 },
} as const;

const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * Inputs of {@link roleBody} besides the requirement.
 *
 * @example
 * ```ts
 * roleBody({ method: 'approle' }, { app: 'web', env: 'prod', policies: ['web-read'], field: 'applications[0].auth[0]' });
 * ```
 */
export interface RoleContext {
  app: string;
  env: string;
  policies: string[];
  /** Field path of the requirement, for errors (e.g. `applications[0].auth[1]`). */
  field: string;
}

/**
 * The API body of one auth role (`POST auth/<mount>/role/<name>`), with the guidance's defaults,
 * durations in seconds and keys sorted, so that renderers and `apply` compare like with like.
 *
 * @example
 * ```ts
 * roleBody({ method: 'approle' }, { app: 'web', env: 'prod', policies: ['web-read'], field: 'auth[0]' }).token_ttl; // 3600
 * ```
 */
export function roleBody(auth: AuthRequirement, ctx: RoleContext): Record<string, unknown> {
  const x = (s: string) => expand(s, ctx.app, ctx.env);
  const defaults = AUTH_DEFAULTS[auth.method];
  const ttl = seconds(auth.token_ttl, defaults.token_ttl, `${ctx.field}.token_ttl`);
  const maxTtl = seconds(auth.token_max_ttl, defaults.token_max_ttl, `${ctx.field}.token_max_ttl`);
  if (maxTtl > 0 && ttl > maxTtl) {
    throw new SvmError('INPUT_INVALID', `token_ttl (${ttl}s) cannot be greater than token_max_ttl (${maxTtl}s)`, {
      field: `${ctx.field}.token_ttl`,
    });
  }
  const policies = [...ctx.policies, ...(auth.token_policies ?? []).map(x)];
  const body: Record<string, unknown> = { token_policies: policies, token_ttl: ttl, token_max_ttl: maxTtl };
  if (auth.token_bound_cidrs) body.token_bound_cidrs = auth.token_bound_cidrs;
  if (auth.token_type) body.token_type = auth.token_type;
  switch (auth.method) {
    case 'approle':
      body.bind_secret_id = true;
      body.secret_id_num_uses = auth.secret_id_num_uses ?? AUTH_DEFAULTS.approle.secret_id_num_uses;
      body.secret_id_ttl = seconds(
        auth.secret_id_ttl,
        AUTH_DEFAULTS.approle.secret_id_ttl,
        `${ctx.field}.secret_id_ttl`,
      );
      if (auth.secret_id_bound_cidrs) body.secret_id_bound_cidrs = auth.secret_id_bound_cidrs;
      break;
    case 'kubernetes':
      body.bound_service_account_names = auth.service_accounts.map(x);
      body.bound_service_account_namespaces = auth.namespaces.map(x);
      if (auth.audience) body.audience = auth.audience;
      break;
    case 'oidc': {
      body.role_type = 'oidc';
      body.allowed_redirect_uris = auth.redirect_uris;
      body.user_claim = auth.user_claim ?? 'email';
      body.oidc_scopes = auth.oidc_scopes ?? ['openid', 'profile', 'email'];
      if (auth.audiences) body.bound_audiences = auth.audiences;
      const claims: Record<string, string | string[]> = { ...(auth.bound_claims ?? {}) };
      if (auth.groups?.length) {
        const claim = auth.groups_claim ?? 'groups';
        body.groups_claim = claim;
        claims[claim] = auth.groups;
      }
      if (Object.keys(claims).length > 0) body.bound_claims = sortKeys(claims);
      break;
    }
    case 'jwt': {
      body.role_type = 'jwt';
      body.bound_audiences = [auth.audience];
      body.bound_claims_type = 'string';
      const claims: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(auth.bound_claims ?? {})) claims[k] = Array.isArray(v) ? v.map(x) : x(v);
      if (auth.provider === 'github-actions') {
        if (!auth.repository && !claims.repository && !claims.sub) {
          throw new SvmError(
            'INPUT_INVALID',
            'a GitHub Actions role needs `repository` (or a `sub`/`repository` bound claim): otherwise any repository could log in',
            {
              field: `${ctx.field}.repository`,
            },
          );
        }
        if (auth.repository) claims.repository = auth.repository;
        if (auth.ref) claims.ref = x(auth.ref);
        if (auth.environment) claims.environment = x(auth.environment);
      } else if (Object.keys(claims).length === 0) {
        throw new SvmError('INPUT_INVALID', 'a JWT role needs bound_claims', { field: `${ctx.field}.bound_claims` });
      }
      body.bound_claims = sortKeys(claims);
      body.user_claim = auth.user_claim ?? (auth.provider === 'github-actions' ? 'repository' : 'sub');
      break;
    }
  }
  return sortKeys(body);
}

/**
 * The issuer a GitHub Actions JWT role expects (for docs and the auth method config).
 *
 * @example
 * ```ts
 * // vault write auth/jwt/config bound_issuer=${GITHUB_ACTIONS_ISSUER} oidc_discovery_url=${GITHUB_ACTIONS_ISSUER}
 * ```
 */
export const GITHUB_ACTIONS_ISSUER = GITHUB_ISSUER;

function seconds(value: string | number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  try {
    return parseDurationSeconds(value);
  } catch (cause) {
    throw new SvmError('INPUT_INVALID', `expected a duration such as 10m or 1h, got ${JSON.stringify(value)}`, {
      field,
      cause,
    });
  }
}

/** A copy of `obj` with keys in sorted order (deterministic output). */
export function sortKeys<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}
