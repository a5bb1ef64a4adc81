import { z } from 'zod';
import { DurationInput } from './common.js';
import { EngineRequirements } from './engines.js';

// The application requirements file read by `svm policy generate`. Every string that names a Vault object
// (paths, roles, keys, mounts, Kubernetes namespaces, GitHub environments) may use the placeholders `{app}`
// and `{env}`, expanded per application and environment; that is how one entry yields isolated roles per
// environment (`role: "{app}-{env}"`).

const Cidr = z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, { message: 'expected a CIDR block such as 10.0.0.0/8' });
/** A Vault object name or path segment: no leading/trailing slash, no glob characters. */
const VaultName = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9_.{}-]+$/, {
    message: 'expected a name of letters, digits, `-`, `_`, `.` (placeholders {app} and {env} allowed)',
  });
const MountPath = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9_.{}-]+(\/[A-Za-z0-9_.{}-]+)*$/, {
    message: 'expected a mount path such as secret or kv/team-a (no leading or trailing /)',
  });
const ClaimValue = z.union([z.string(), z.array(z.string()).min(1)]);

const TokenSettings = {
  /** Token lifetime; each method has the guidance's default (AppRole/Kubernetes 1h, OIDC 8h, JWT 10m). */
  token_ttl: DurationInput.optional(),
  /** Longest lifetime after renewals (AppRole/Kubernetes 4h, OIDC 12h, JWT 15m). */
  token_max_ttl: DurationInput.optional(),
  token_bound_cidrs: z.array(Cidr).optional(),
  /** Extra policies attached to the role's tokens, besides the generated one. */
  token_policies: z.array(VaultName).optional(),
  token_type: z.enum(['service', 'batch', 'default']).optional(),
};

/**
 * How an application authenticates to Vault. `role` (default `{app}` or `{app}-{env}`) and `mount`
 * (default the method name) may use `{app}` and `{env}`.
 *
 * @example
 * ```ts
 * AuthRequirement.parse({ method: 'approle', secret_id_bound_cidrs: ['10.0.0.0/8'] });
 * ```
 */
export const AuthRequirement = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('approle'),
    role: VaultName.optional(),
    mount: MountPath.optional(),
    /** Default 1 (single-use SecretIDs). 0 means unlimited and is flagged by the linter. */
    secret_id_num_uses: z.number().int().nonnegative().optional(),
    /** Default 10m. */
    secret_id_ttl: DurationInput.optional(),
    secret_id_bound_cidrs: z.array(Cidr).optional(),
    ...TokenSettings,
  }),
  z.strictObject({
    method: z.literal('kubernetes'),
    role: VaultName.optional(),
    mount: MountPath.optional(),
    service_accounts: z.array(z.string().min(1)).min(1),
    namespaces: z.array(z.string().min(1)).min(1),
    audience: z.string().optional(),
    ...TokenSettings,
  }),
  z.strictObject({
    method: z.literal('oidc'),
    role: VaultName.optional(),
    mount: MountPath.optional(),
    /** Identity-provider groups allowed to log in (bound on the `groups_claim`). */
    groups: z.array(z.string().min(1)).optional(),
    groups_claim: z.string().optional(),
    bound_claims: z.record(z.string(), ClaimValue).optional(),
    redirect_uris: z.array(z.url()).min(1),
    /** Default `email`. */
    user_claim: z.string().optional(),
    audiences: z.array(z.string()).optional(),
    oidc_scopes: z.array(z.string()).optional(),
    ...TokenSettings,
  }),
  z.strictObject({
    method: z.literal('jwt'),
    role: VaultName.optional(),
    mount: MountPath.optional(),
    /** `github-actions` builds bound_claims from repository/ref/environment; `generic` uses bound_claims as given. */
    provider: z.enum(['github-actions', 'generic']).default('github-actions'),
    /** GitHub `owner/repo`. */
    repository: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: 'expected owner/repo' })
      .optional(),
    /** Git ref, e.g. `refs/heads/main`. */
    ref: z.string().optional(),
    /** GitHub deployment environment (may use `{env}`). */
    environment: z.string().optional(),
    audience: z.string().min(1),
    bound_claims: z.record(z.string(), ClaimValue).optional(),
    /** Default `repository` for GitHub Actions, `sub` otherwise. */
    user_claim: z.string().optional(),
    ...TokenSettings,
  }),
]);
export type AuthRequirement = z.infer<typeof AuthRequirement>;

/**
 * One thing an application needs from Vault. Names default to `{app}-{env}`-style values so that every
 * environment gets its own object; all may use `{app}` and `{env}`.
 *
 * @example
 * ```ts
 * SecretRequirement.parse({ kind: 'kv', path: 'api-keys', access: ['read'] });
 * ```
 */
export const SecretRequirement = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('kv'),
    /**
     * Secret path relative to `<env>/<app>/` (scope `app`, the default) or to `<env>/` (scope `environment`,
     * for secrets shared by the applications of one environment). A trailing `/*` asks for the whole folder.
     */
    path: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9_.{}-]+(\/[A-Za-z0-9_.{}-]+)*(\/\*)?$/, {
        message: 'expected a relative path such as api-keys or config/* (no leading /, `*` only as a last segment)',
      }),
    scope: z.enum(['app', 'environment']).default('app'),
    mount: MountPath.optional(),
    /**
     * `read` and `write` (create/update/patch) on `data/`; `delete` soft-deletes (`data/` delete, `delete/`);
     * `list` and `history` (version metadata) on `metadata/`; `destroy` removes versions for good (`destroy/`,
     * and `metadata/` delete, which drops all versions and history).
     */
    access: z.array(z.enum(['read', 'write', 'list', 'delete', 'history', 'destroy'])).min(1),
    /** Keys inside the secret, for the CI/CD glue (ESO, Vault Agent, GitHub Actions). Default: all keys. */
    keys: z.array(z.string().min(1)).optional(),
  }),
  z.strictObject({
    kind: z.literal('database'),
    /** Default `{app}-{env}-readonly` / `{app}-{env}-readwrite`. */
    role: VaultName.optional(),
    mount: MountPath.optional(),
    access: z.enum(['readonly', 'readwrite']).default('readonly'),
  }),
  z.strictObject({
    kind: z.literal('pki'),
    /** Default `{app}-{env}`. */ role: VaultName.optional(),
    mount: MountPath.optional(),
  }),
  z.strictObject({
    kind: z.literal('transit'),
    /** Default `{app}-{env}`. */
    key: VaultName.optional(),
    mount: MountPath.optional(),
    operations: z.array(z.enum(['encrypt', 'decrypt', 'sign', 'verify', 'rewrap', 'rotate', 'hmac', 'datakey'])).min(1),
  }),
  z.strictObject({
    kind: z.literal('ssh'),
    /** Default `{app}-{env}`. */ role: VaultName.optional(),
    mount: MountPath.optional(),
  }),
  z.strictObject({
    kind: z.enum(['aws', 'gcp', 'azure']),
    /** Default `{app}-{env}`. For gcp, a roleset name. */
    role: VaultName.optional(),
    mount: MountPath.optional(),
  }),
]);
export type SecretRequirement = z.infer<typeof SecretRequirement>;

/**
 * One application: its environments, how it logs in, what it needs.
 *
 * @example
 * ```ts
 * AppRequirement.parse({ name: 'payment-service', environments: ['production'], auth: [{ method: 'approle' }],
 *   secrets: [{ kind: 'kv', path: 'api-keys', access: ['read'] }] });
 * ```
 */
export const AppRequirement = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'expected a lower-case service name (letters, digits, dashes)' }),
  environments: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'expected a lower-case environment name' }))
    .min(1)
    .default(['production']),
  /** `path-prefix` puts each environment under `<env>/` in the mounts; `namespace` uses one Vault namespace per environment. */
  environment_layout: z.enum(['path-prefix', 'namespace']).default('path-prefix'),
  /** The `{access-level}` of the policy name; default `write` when anything writes, else `read`. */
  access_level: z
    .string()
    .regex(/^[a-z][a-z0-9]*$/, { message: 'expected a lower-case word such as read, write or admin' })
    .optional(),
  auth: z.array(AuthRequirement).min(1),
  secrets: z.array(SecretRequirement).min(1),
  /** Add an explicit `deny` on `sys/*` to every generated policy (default true). */
  deny_sys: z.boolean().default(true),
});
export type AppRequirement = z.infer<typeof AppRequirement>;

/**
 * The application requirements file.
 *
 * @example
 * ```ts
 * Requirements.parse({ applications: [] });
 * Requirements.parse({ version: 2, applications: [], engines: { transit: [{ keys: [{ name: 'app' }] }] } });
 * ```
 */
export const Requirements = z
  .strictObject({
    /** 1, or 2 when the file has `engines:` (secrets-engine configuration, added in version 2). */
    version: z.union([z.literal(1), z.literal(2)]).default(1),
    defaults: z
      .strictObject({
        kv_mount: MountPath.default('secret'),
        /** Vault address written into the CI/CD glue (ESO SecretStore, GitHub Actions step). */
        vault_address: z.url().default('https://vault.example.com:8200'),
      })
      .default({ kv_mount: 'secret', vault_address: 'https://vault.example.com:8200' }),
    applications: z.array(AppRequirement),
    /** Secrets-engine configuration (database, PKI, SSH CA, transit); needs `version: 2`. */
    engines: EngineRequirements.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.engines !== undefined && value.version !== 2)
      ctx.addIssue({
        code: 'custom',
        path: ['version'],
        message: 'engines need version: 2 (the version that added secrets-engine configuration)',
      });
  });
export type Requirements = z.infer<typeof Requirements>;
