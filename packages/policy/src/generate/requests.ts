import type { SecretReference } from '@svm/core';
import type { EngineObjectKind } from './engines.js';
import type { GeneratedConfig } from './types.js';

/**
 * One Vault/OpenBao HTTP API write: what `apply` sends and the `api-json` target lists.
 *
 * @example
 * ```ts
 * // { method: 'PUT', path: 'sys/policies/acl/web-read', kind: 'policy', body: { policy: '…' } }
 * configRequests(config)[0]?.path;
 * ```
 */
export interface ApiRequest {
  method: 'PUT' | 'POST';
  /** Path under `/v1/`, without a leading slash. */
  path: string;
  /** `X-Vault-Namespace`, when the environment layout is one namespace per environment. */
  namespace?: string | undefined;
  /** What is written: `policy`, `auth-role` or `engine` (secrets-engine configuration). */
  kind: 'policy' | 'auth-role' | 'engine';
  /** For auth roles: the method, so the linter and apply know what the body means. */
  authMethod?: string | undefined;
  body: Record<string, unknown>;
  /** For engine requests: what is configured (see {@link EngineRequest}). */
  engine?: EngineObjectKind | undefined;
  /** For engine requests: the mount the object lives in. */
  mount?: string | undefined;
  /** Body fields read from a store at apply time (never in a file): field → store reference. */
  secretFields?: Record<string, SecretReference> | undefined;
  readPath?: string | undefined;
  updatePath?: string | undefined;
  createOnly?: string[] | undefined;
  after?: string | undefined;
  ensureOnly?: boolean | undefined;
}

/**
 * The API writes that create a generated configuration, in dependency order (secrets engines, then policies,
 * then the roles that name them). Bodies are exactly what the server stores (durations in seconds).
 *
 * @example
 * ```ts
 * configRequests(config).map((r) => `${r.method} /v1/${r.path}`);
 * ```
 */
export function configRequests(config: GeneratedConfig): ApiRequest[] {
  const requests: ApiRequest[] = [...config.engines];
  for (const p of config.policies) {
    requests.push({
      method: 'PUT',
      path: `sys/policies/acl/${p.name}`,
      namespace: p.namespace,
      kind: 'policy',
      body: { policy: p.hcl },
    });
  }
  for (const r of config.roles) {
    requests.push({
      method: 'POST',
      path: `auth/${r.mount}/role/${r.name}`,
      namespace: r.namespace,
      kind: 'auth-role',
      authMethod: r.method,
      body: r.body,
    });
  }
  return requests;
}
