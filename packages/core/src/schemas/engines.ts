import { z } from 'zod';
import { parseStoreUri } from './store-ref.js';
import { DurationInput } from './common.js';

// Secrets-engine definitions of the requirements file (`engines:`, requirements version 2): what `svm policy
// generate` renders and `svm policy apply` configures besides policies and auth roles. Passwords never appear
// here: a connection names a store reference, read at apply time.

/** A Vault object name: letters, digits, `-`, `_`, `.` (no placeholders: engines are shared by applications). */
const EngineName = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9_.-]+$/, { message: 'expected a name of letters, digits, `-`, `_` or `.`' });
const MountPath = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, {
    message: 'expected a mount path such as database or db/payments (no leading or trailing /)',
  });
const Statements = z.array(z.string().min(1));

/**
 * Where a credential lives: a store URI (`file://…`, `aws-sm://…`, `vault://…`, `gcp-sm://…`, `azure-kv://…`),
 * the secret's name in it, and optionally a field when the value is a JSON object. Read at apply time; the value
 * never appears in the requirements or the generated files.
 *
 * @example
 * ```ts
 * SecretReference.parse({ store: 'file://./secrets.svm', name: 'payments-pg-admin' });
 * ```
 */
export const SecretReference = z.strictObject({
  store: z.string().superRefine((value, ctx) => {
    try {
      parseStoreUri(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
  name: z.string().min(1),
  /** A field of a JSON value, e.g. `password` for `{"username": …, "password": …}`. */
  key: z.string().min(1).optional(),
});
export type SecretReference = z.infer<typeof SecretReference>;

/**
 * A dynamic database role (`<mount>/roles/<name>`): statements run by the plugin and lease TTLs, by default
 * the guidance's 1h / 24h.
 *
 * @example
 * ```ts
 * DatabaseRoleRequirement.parse({ name: 'app-readonly',
 *   creation_statements: ['CREATE ROLE "{{name}}" WITH LOGIN PASSWORD \'{{password}}\' VALID UNTIL \'{{expiration}}\';'] });
 * ```
 */
export const DatabaseRoleRequirement = z.strictObject({
  name: EngineName,
  creation_statements: Statements.min(1),
  revocation_statements: Statements.optional(),
  renew_statements: Statements.optional(),
  rollback_statements: Statements.optional(),
  /** Default 1h. */
  default_ttl: DurationInput.default('1h'),
  /** Default 24h; the linter flags more than 24h. */
  max_ttl: DurationInput.default('24h'),
});
export type DatabaseRoleRequirement = z.infer<typeof DatabaseRoleRequirement>;

/**
 * A static database role (`<mount>/static-roles/<name>`): an existing database user whose password Vault rotates.
 *
 * @example
 * ```ts
 * DatabaseStaticRoleRequirement.parse({ name: 'reporting', username: 'reporting', rotation_period: '24h' });
 * ```
 */
export const DatabaseStaticRoleRequirement = z.strictObject({
  name: EngineName,
  /** The existing database user. */
  username: z.string().min(1),
  /** Default 24h. */
  rotation_period: DurationInput.default('24h'),
  rotation_statements: Statements.optional(),
});
export type DatabaseStaticRoleRequirement = z.infer<typeof DatabaseStaticRoleRequirement>;

/**
 * A database connection (`<mount>/config/<name>`) with its roles. The connection URL is a template with
 * `{{username}}` and `{{password}}`; the admin password comes from `password` (a store reference) and is
 * rotated by Vault right after setup (`rotate_root`, default true), so only Vault knows it afterwards.
 *
 * @example
 * ```ts
 * DatabaseEngineRequirement.parse({ name: 'payments', plugin: 'postgresql', username: 'vault_admin',
 *   connection_url: 'postgresql://{{username}}:{{password}}@db:5432/app',
 *   password: { store: 'aws-sm://eu-west-1', name: 'payments/pg-admin' } });
 * ```
 */
export const DatabaseEngineRequirement = z.strictObject({
  /** Connection name (`<mount>/config/<name>`), referenced by the roles as `db_name`. */
  name: EngineName,
  /** Default `database`. */
  mount: MountPath.default('database'),
  /** `postgresql` (postgresql-database-plugin) or `mysql` (mysql-database-plugin). */
  plugin: z.enum(['postgresql', 'mysql']),
  connection_url: z
    .string()
    .min(1)
    .refine((url) => url.includes('{{username}}') && url.includes('{{password}}'), {
      message:
        'expected a connection URL template with {{username}} and {{password}} (the credentials are never written in the URL)',
    }),
  /** The admin user Vault connects as. */
  username: z.string().min(1),
  /** Where the admin password is read at apply time. */
  password: SecretReference,
  /** PostgreSQL only: how Vault sends new passwords (`scram-sha-256` hashes them client-side). */
  password_authentication: z.enum(['password', 'scram-sha-256']).optional(),
  /** Default: the roles and static roles defined here. */
  allowed_roles: z.array(EngineName).optional(),
  /** Rotate the admin password right after the connection is created (default true). */
  rotate_root: z.boolean().default(true),
  root_rotation_statements: Statements.optional(),
  /** Default true: Vault checks the connection when it is written. */
  verify_connection: z.boolean().default(true),
  roles: z.array(DatabaseRoleRequirement).default([]),
  static_roles: z.array(DatabaseStaticRoleRequirement).default([]),
});
export type DatabaseEngineRequirement = z.infer<typeof DatabaseEngineRequirement>;

/**
 * A PKI role (`<mount>/roles/<name>`).
 *
 * @example
 * ```ts
 * PkiRoleRequirement.parse({ name: 'web', allowed_domains: ['svc.internal'], allow_subdomains: true });
 * ```
 */
export const PkiRoleRequirement = z.strictObject({
  name: EngineName,
  /** Exact domains; a `*` in one is flagged by the linter. */
  allowed_domains: z.array(z.string().min(1)).min(1),
  allow_subdomains: z.boolean().default(false),
  allow_bare_domains: z.boolean().default(false),
  allow_glob_domains: z.boolean().default(false),
  /** Certificate lifetime; default 90 days (the guidance's leaf certificates). */
  ttl: DurationInput.default('2160h'),
  /** Default: `ttl`. */
  max_ttl: DurationInput.optional(),
  key_type: z.enum(['rsa', 'ec', 'ed25519']).optional(),
  key_bits: z.number().int().positive().optional(),
});
export type PkiRoleRequirement = z.infer<typeof PkiRoleRequirement>;

/**
 * A PKI mount: optionally a generated internal root CA (only when the mount has no issuer yet), and roles.
 *
 * @example
 * ```ts
 * PkiEngineRequirement.parse({ root_ca: { common_name: 'acme internal root' },
 *   roles: [{ name: 'web', allowed_domains: ['svc.internal'], allow_subdomains: true }] });
 * ```
 */
export const PkiEngineRequirement = z.strictObject({
  /** Default `pki`. */
  mount: MountPath.default('pki'),
  /** Generate an internal root CA when the mount has none (production setups usually import an intermediate). */
  root_ca: z
    .strictObject({
      common_name: z.string().min(1),
      /** Default 10 years. */
      ttl: DurationInput.default('87600h'),
    })
    .optional(),
  /** The mount's max lease TTL; default the longest TTL below (root CA, roles), so nothing is silently capped. */
  max_lease_ttl: DurationInput.optional(),
  roles: z.array(PkiRoleRequirement).default([]),
});
export type PkiEngineRequirement = z.infer<typeof PkiEngineRequirement>;

/**
 * An SSH CA role (`<mount>/roles/<name>`, `key_type=ca`): user certificates for the listed users, 30 minutes
 * by default.
 *
 * @example
 * ```ts
 * SshRoleRequirement.parse({ name: 'oncall', allowed_users: ['deploy'] });
 * ```
 */
export const SshRoleRequirement = z.strictObject({
  name: EngineName,
  allowed_users: z.array(z.string().min(1)).min(1),
  /** Default: the first allowed user. */
  default_user: z.string().min(1).optional(),
  /** Default `[permit-pty]`. */
  allowed_extensions: z.array(z.string().min(1)).default(['permit-pty']),
  /** Default `{permit-pty: ""}`. */
  default_extensions: z.record(z.string(), z.string()).default({ 'permit-pty': '' }),
  /** Default 30m (the guidance's interactive certificates); the linter flags more than 1h. */
  ttl: DurationInput.default('30m'),
  /** Default: `ttl`. */
  max_ttl: DurationInput.optional(),
  allow_host_certificates: z.boolean().default(false),
});
export type SshRoleRequirement = z.infer<typeof SshRoleRequirement>;

/**
 * An SSH secrets engine used as a certificate authority.
 *
 * @example
 * ```ts
 * SshEngineRequirement.parse({ roles: [{ name: 'oncall', allowed_users: ['deploy'] }] });
 * ```
 */
export const SshEngineRequirement = z.strictObject({
  /** Default `ssh`. */
  mount: MountPath.default('ssh'),
  /** Generate the CA signing key when the mount has none (default true). */
  generate_ca: z.boolean().default(true),
  roles: z.array(SshRoleRequirement).default([]),
});
export type SshEngineRequirement = z.infer<typeof SshEngineRequirement>;

/**
 * A transit key with automatic rotation.
 *
 * @example
 * ```ts
 * TransitKeyRequirement.parse({ name: 'payments', auto_rotate_period: '90d' });
 * ```
 */
export const TransitKeyRequirement = z.strictObject({
  name: EngineName,
  type: z
    .enum([
      'aes128-gcm96',
      'aes256-gcm96',
      'chacha20-poly1305',
      'ed25519',
      'ecdsa-p256',
      'ecdsa-p384',
      'ecdsa-p521',
      'rsa-2048',
      'rsa-3072',
      'rsa-4096',
      'hmac',
    ])
    .default('aes256-gcm96'),
  /** Default 90d (the guidance); 0 turns rotation off and is flagged by the linter. Vault's minimum is 1h. */
  auto_rotate_period: DurationInput.default('2160h'),
});
export type TransitKeyRequirement = z.infer<typeof TransitKeyRequirement>;

/**
 * A transit mount and its keys.
 *
 * @example
 * ```ts
 * TransitEngineRequirement.parse({ keys: [{ name: 'payments' }] });
 * ```
 */
export const TransitEngineRequirement = z.strictObject({
  /** Default `transit`. */
  mount: MountPath.default('transit'),
  keys: z.array(TransitKeyRequirement).default([]),
});
export type TransitEngineRequirement = z.infer<typeof TransitEngineRequirement>;

/**
 * The `engines:` section of the requirements file (version 2).
 *
 * @example
 * ```ts
 * EngineRequirements.parse({ transit: [{ keys: [{ name: 'payments' }] }] });
 * ```
 */
export const EngineRequirements = z.strictObject({
  databases: z.array(DatabaseEngineRequirement).default([]),
  pki: z.array(PkiEngineRequirement).default([]),
  ssh: z.array(SshEngineRequirement).default([]),
  transit: z.array(TransitEngineRequirement).default([]),
});
export type EngineRequirements = z.infer<typeof EngineRequirements>;
