import { z } from 'zod';
import { DurationInput } from './common.js';

const Cidr = z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, { message: 'expected a CIDR block such as 10.0.0.0/8' });
const TokenSettings = {
  token_ttl: DurationInput.optional(),
  token_max_ttl: DurationInput.optional(),
  token_bound_cidrs: z.array(Cidr).optional(),
};

/**
 * How an application authenticates to Vault.
 *
 * @example
 * ```ts
 * AuthRequirement.parse({ method: 'approle', secret_id_bound_cidrs: ['10.0.0.0/8'] });
 * ```
 */
export const AuthRequirement = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('approle'),
    role: z.string().optional(),
    secret_id_num_uses: z.number().int().nonnegative().optional(),
    secret_id_ttl: DurationInput.optional(),
    secret_id_bound_cidrs: z.array(Cidr).optional(),
    ...TokenSettings,
  }),
  z.strictObject({
    method: z.literal('kubernetes'),
    role: z.string().optional(),
    mount: z.string().optional(),
    service_accounts: z.array(z.string().min(1)).min(1),
    namespaces: z.array(z.string().min(1)).min(1),
    audience: z.string().optional(),
    ...TokenSettings,
  }),
  z.strictObject({
    method: z.literal('oidc'),
    role: z.string().optional(),
    mount: z.string().optional(),
    groups: z.array(z.string()).optional(),
    bound_claims: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    redirect_uris: z.array(z.string().url()).min(1),
    user_claim: z.string().optional(),
    audiences: z.array(z.string()).optional(),
    ...TokenSettings,
  }),
  z.strictObject({
    method: z.literal('jwt'),
    role: z.string().optional(),
    mount: z.string().optional(),
    /** GitHub Actions shorthand: builds bound_claims from repository/ref/environment. */
    provider: z.enum(['github-actions', 'generic']).default('github-actions'),
    repository: z.string().optional(),
    ref: z.string().optional(),
    environment: z.string().optional(),
    audience: z.string().min(1),
    bound_claims: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    user_claim: z.string().optional(),
    ...TokenSettings,
  }),
]);
export type AuthRequirement = z.infer<typeof AuthRequirement>;

/**
 * One thing an application needs from Vault.
 *
 * @example
 * ```ts
 * SecretRequirement.parse({ kind: 'kv', path: 'payment/api-keys', access: ['read'] });
 * ```
 */
export const SecretRequirement = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('kv'),
    /** Path under the environment prefix; a trailing `/*` asks for the whole folder. */
    path: z.string().min(1),
    mount: z.string().optional(),
    access: z.array(z.enum(['read', 'write', 'list', 'delete', 'history'])).min(1),
  }),
  z.strictObject({ kind: z.literal('database'), role: z.string().min(1), mount: z.string().optional(), access: z.enum(['readonly', 'readwrite']).default('readonly') }),
  z.strictObject({ kind: z.literal('pki'), role: z.string().min(1), mount: z.string().optional() }),
  z.strictObject({
    kind: z.literal('transit'),
    key: z.string().min(1),
    mount: z.string().optional(),
    operations: z.array(z.enum(['encrypt', 'decrypt', 'sign', 'verify', 'rewrap', 'rotate', 'hmac', 'datakey'])).min(1),
  }),
  z.strictObject({ kind: z.literal('ssh'), role: z.string().min(1), mount: z.string().optional() }),
  z.strictObject({ kind: z.enum(['aws', 'gcp', 'azure']), role: z.string().min(1), mount: z.string().optional() }),
]);
export type SecretRequirement = z.infer<typeof SecretRequirement>;

/**
 * One application: its environments, how it logs in, what it needs.
 *
 * @example
 * ```ts
 * AppRequirement.parse({ name: 'payment-service', environments: ['production'], auth: [{ method: 'approle' }],
 *   secrets: [{ kind: 'kv', path: 'payment/api-keys', access: ['read'] }] });
 * ```
 */
export const AppRequirement = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'expected a lower-case service name (letters, digits, dashes)' }),
  environments: z.array(z.string().min(1)).min(1).default(['production']),
  /** `path-prefix` puts each environment under `<env>/` in the mounts; `namespace` uses one Vault namespace per environment. */
  environment_layout: z.enum(['path-prefix', 'namespace']).default('path-prefix'),
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
 * ```
 */
export const Requirements = z.strictObject({
  version: z.literal(1).default(1),
  defaults: z
    .strictObject({
      kv_mount: z.string().default('secret'),
    })
    .default({ kv_mount: 'secret' }),
  applications: z.array(AppRequirement),
});
export type Requirements = z.infer<typeof Requirements>;
