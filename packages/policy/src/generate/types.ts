import type { Capability, Policy, PolicyRule } from '@svm/core';
import type { EngineRequest } from './engines.js';

/**
 * Auth methods the generator configures.
 *
 * @example
 * ```ts
 * config.roles.filter((r) => r.method === 'jwt');
 * ```
 */
export type AuthMethodName = 'approle' | 'kubernetes' | 'oidc' | 'jwt';

/**
 * A generated path rule: the core rule plus a one-line reason, rendered as an HCL comment.
 *
 * @example
 * ```ts
 * config.policies[0]?.rules.map((r) => `${r.path}: ${r.description}`);
 * ```
 */
export interface GeneratedRule extends PolicyRule {
  description: string;
}

/**
 * One generated policy: least privilege for one application in one environment.
 *
 * @example
 * ```ts
 * for (const p of config.policies) writeFileSync(`${p.name}.hcl`, p.hcl);
 * ```
 */
export interface GeneratedPolicy extends Policy {
  rules: GeneratedRule[];
  app: string;
  environment: string;
  /** Vault namespace (environment layout `namespace`), else undefined. */
  namespace: string | undefined;
  /** The policy text exactly as written to the server and to `<name>.hcl`. */
  hcl: string;
}

/**
 * One generated auth role, as the body of `POST auth/<mount>/role/<name>` (durations in seconds).
 *
 * @example
 * ```ts
 * config.roles.map((r) => `auth/${r.mount}/role/${r.name}`);
 * ```
 */
export interface GeneratedRole {
  app: string;
  environment: string;
  method: AuthMethodName;
  mount: string;
  name: string;
  namespace: string | undefined;
  /** API body, keys sorted; never holds a secret. */
  body: Record<string, unknown>;
}

/**
 * A request the generated configuration must allow, used by the proofs and by `explain`.
 *
 * @example
 * ```ts
 * config.probes.every((p) => evaluate(acl, { path: p.path, operation: p.operation }).allowed);
 * ```
 */
export interface GrantProbe {
  app: string;
  environment: string;
  policy: string;
  path: string;
  operation: 'read' | 'create' | 'update' | 'patch' | 'delete' | 'list';
  /** What this probe stands for, e.g. `kv read api-keys`. */
  reason: string;
  /** The path is shared on purpose by the applications of one environment (KV scope `environment`). */
  shared: boolean;
}

/**
 * A KV secret an application reads, for the CI/CD glue (ESO, Vault Agent, GitHub Actions).
 *
 * @example
 * ```ts
 * config.kv.map((k) => `${k.mount}/data/${k.path}`);
 * ```
 */
export interface KvBinding {
  app: string;
  environment: string;
  mount: string;
  /** Logical path inside the mount (no `data/`), e.g. `production/payment-service/api-keys`. */
  path: string;
  folder: boolean;
  keys: string[] | undefined;
}

/**
 * A dynamic-secret endpoint an application reads (database creds, cloud creds).
 *
 * @example
 * ```ts
 * config.dynamic.filter((d) => d.kind === 'database').map((d) => d.path);
 * ```
 */
export interface DynamicBinding {
  app: string;
  environment: string;
  kind: 'database' | 'aws' | 'gcp' | 'azure' | 'pki';
  /** Full API path, e.g. `database/creds/payment-service-production-readonly`. */
  path: string;
  name: string;
}

/**
 * Everything the generator produces, before rendering. Pure data; deterministic for a given input.
 *
 * @example
 * ```ts
 * const { policies, roles, warnings } = generateConfig(requirements);
 * ```
 */
export interface GeneratedConfig {
  policies: GeneratedPolicy[];
  roles: GeneratedRole[];
  probes: GrantProbe[];
  kv: KvBinding[];
  dynamic: DynamicBinding[];
  /** Secrets-engine configuration from the requirements' `engines:` (empty without it), in write order. */
  engines: EngineRequest[];
  vaultAddress: string;
  /** Things worth a look (e.g. a name without `{env}` shared by several environments). Never secrets. */
  warnings: string[];
}

/**
 * Capabilities in the order the generator writes them.
 *
 * @example
 * ```ts
 * CAPABILITY_ORDER[0]; // 'create'
 * ```
 */
export const CAPABILITY_ORDER: readonly Capability[] = [
  'create',
  'read',
  'update',
  'patch',
  'delete',
  'list',
  'sudo',
  'deny',
];
