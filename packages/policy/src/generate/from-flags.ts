import { type AuthRequirement, Requirements, type SecretRequirement, SvmError } from '@svm/core';

/**
 * The secret types of the original `vault_config_generator.py`, with the requirement each one means.
 *
 * @example
 * ```ts
 * Object.keys(SEED_SECRET_TYPES); // ['db-creds', 'db-admin', 'api-key', 'tls-cert', 'encryption', 'ssh-cert', 'config']
 * ```
 */
export const SEED_SECRET_TYPES: Readonly<Record<string, SecretRequirement>> = {
  'db-creds': { kind: 'database', role: '{app}-readonly', access: 'readonly' },
  'db-admin': { kind: 'database', role: '{app}-readwrite', access: 'readwrite' },
  'api-key': { kind: 'kv', path: 'api-keys', scope: 'app', access: ['read'] },
  'tls-cert': { kind: 'pki', role: '{app}-cert' },
  encryption: { kind: 'transit', key: '{app}-key', operations: ['encrypt', 'decrypt'] },
  'ssh-cert': { kind: 'ssh', role: '{app}-role' },
  config: { kind: 'kv', path: 'config', scope: 'app', access: ['read'] },
};

/**
 * The flag form of the original script: `--app-name --auth-method --secrets [--environment] [--namespace]`.
 *
 * @example
 * ```ts
 * requirementsFromFlags({ appName: 'web', authMethod: 'kubernetes', secrets: 'config', namespace: 'edge' });
 * ```
 */
export interface SeedFlags {
  appName: string;
  authMethod: string;
  /** Comma-separated seed secret types (`db-creds,api-key`). */
  secrets: string;
  environment?: string | undefined;
  /** Kubernetes namespace of the service account (default `default`). */
  namespace?: string | undefined;
}

/**
 * Build a requirements document from the original script's flags. Unlike the script, an unknown secret
 * type is an error (exit 2, also with `--json`), duplicates are merged, and the policy follows the
 * `{service}-{access-level}` convention instead of `{app}-policy`.
 *
 * @example
 * ```ts
 * requirementsFromFlags({ appName: 'payment-service', authMethod: 'approle', secrets: 'db-creds,api-key' });
 * ```
 */
export function requirementsFromFlags(flags: SeedFlags): Requirements {
  const types = [
    ...new Set(
      flags.secrets
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = types.filter((t) => !(t in SEED_SECRET_TYPES));
  const available = Object.keys(SEED_SECRET_TYPES).join(', ');
  if (types.length === 0)
    throw new SvmError('USAGE', `--secrets is empty; available types: ${available}`, { field: '--secrets' });
  if (unknown.length > 0) {
    throw new SvmError(
      'USAGE',
      `unknown secret type${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}; available: ${available}`,
      { field: '--secrets' },
    );
  }
  let auth: AuthRequirement;
  switch (flags.authMethod) {
    case 'approle':
      auth = { method: 'approle' };
      break;
    case 'kubernetes':
      auth = { method: 'kubernetes', service_accounts: [flags.appName], namespaces: [flags.namespace ?? 'default'] };
      break;
    case 'oidc':
      auth = {
        method: 'oidc',
        redirect_uris: ['https://vault.example.com/ui/vault/auth/oidc/oidc/callback'],
        audiences: ['vault'],
        user_claim: 'email',
      };
      break;
    default:
      throw new SvmError('USAGE', `--auth-method must be approle, kubernetes or oidc, got '${flags.authMethod}'`, {
        field: '--auth-method',
      });
  }
  const parsed = Requirements.safeParse({
    applications: [
      {
        name: flags.appName,
        environments: [flags.environment ?? 'production'],
        auth: [auth],
        secrets: types.map((t) => SEED_SECRET_TYPES[t]),
      },
    ],
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    const flag = where.includes('name')
      ? '--app-name'
      : where.includes('environments')
        ? '--environment'
        : where.includes('namespaces')
          ? '--namespace'
          : '--app-name';
    throw new SvmError('USAGE', `${flag}: ${issue?.message ?? 'invalid value'}`, { field: flag });
  }
  return parsed.data;
}

/** The source flags of `svm policy generate` / `apply`: a requirements file, or the shortcut flag form. */
export interface RequirementsSourceFlags {
  appName?: string | undefined;
  authMethod?: string | undefined;
  secrets?: string | undefined;
  environment?: string | undefined;
  namespace?: string | undefined;
}

/**
 * Decide where requirements come from: the shortcut flags (`--app-name --auth-method --secrets`, converted by
 * {@link requirementsFromFlags}) or the requirements file. Returns the requirements for the shortcut and
 * `undefined` when the file is to be read; throws `USAGE` for a missing or mixed form.
 *
 * @example
 * ```ts
 * requirementsFromShortcut(undefined, { appName: 'web', authMethod: 'approle', secrets: 'config' }); // Requirements
 * requirementsFromShortcut('requirements.yaml', {}); // undefined: read the file
 * ```
 */
export function requirementsFromShortcut(
  file: string | undefined,
  flags: RequirementsSourceFlags,
): Requirements | undefined {
  const shortcut = flags.appName !== undefined || flags.authMethod !== undefined || flags.secrets !== undefined;
  if (file !== undefined && shortcut)
    throw new SvmError(
      'USAGE',
      'give a requirements file or the --app-name/--auth-method/--secrets shortcut, not both',
    );
  if (shortcut) {
    const missing = [
      ['--app-name', flags.appName],
      ['--auth-method', flags.authMethod],
      ['--secrets', flags.secrets],
    ]
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    if (missing.length > 0) throw new SvmError('USAGE', `the shortcut needs ${missing.join(', ')}`);
    return requirementsFromFlags({
      appName: flags.appName as string,
      authMethod: flags.authMethod as string,
      secrets: flags.secrets as string,
      environment: flags.environment,
      namespace: flags.namespace,
    });
  }
  if (file === undefined)
    throw new SvmError('USAGE', 'missing requirements file (or use --app-name, --auth-method and --secrets)');
  if (flags.environment !== undefined || flags.namespace !== undefined)
    throw new SvmError(
      'USAGE',
      '--environment and --namespace belong to the shortcut form; set environments in the requirements file',
    );
  return undefined;
}
