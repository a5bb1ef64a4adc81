import { type EngineRequirements, type SecretReference, SvmError, parseDurationSeconds } from '@svm/core';

/**
 * What an engine request configures.
 *
 * @example
 * ```ts
 * const kind: EngineObjectKind = 'database-role';
 * ```
 */
export type EngineObjectKind =
  | 'mount'
  | 'mount-tune'
  | 'database-connection'
  | 'database-rotate-root'
  | 'database-role'
  | 'database-static-role'
  | 'pki-root-ca'
  | 'pki-role'
  | 'ssh-ca'
  | 'ssh-role'
  | 'transit-key';

/**
 * One secrets-engine write, as `apply` sends it and the `api-json` target lists it. Durations are seconds.
 *
 * @example
 * ```ts
 * // { method: 'POST', path: 'database/roles/app-readonly', kind: 'engine', engine: 'database-role', mount: 'database', body: {…} }
 * engineRequests(requirements.engines).map((r) => r.path);
 * ```
 */
export interface EngineRequest {
  method: 'POST';
  path: string;
  kind: 'engine';
  engine: EngineObjectKind;
  /** The mount the object lives in (for `mount`, the mount itself). */
  mount: string;
  body: Record<string, unknown>;
  /** Body fields read from a store at apply time (the admin password); never written to a file. */
  secretFields?: Record<string, SecretReference> | undefined;
  /** Where the current state is read, when not `path`. */
  readPath?: string | undefined;
  /** Where an existing object is changed, when not `path` (transit keys: `keys/<name>/config`). */
  updatePath?: string | undefined;
  /** Fields that cannot change once the object exists (a transit key's `type`). */
  createOnly?: string[] | undefined;
  /** A one-time action sent right after the object at this path is created (rotate-root after its connection). */
  after?: string | undefined;
  /** Created when missing and never compared (a CA): `readPath` only tells whether it exists. */
  ensureOnly?: boolean | undefined;
}

const PLUGIN_NAMES = { postgresql: 'postgresql-database-plugin', mysql: 'mysql-database-plugin' } as const;

/**
 * The writes that configure the requirements' secrets engines, in dependency order: mount, tuning, database
 * connection, its root rotation, roles and static roles; PKI root CA and roles; SSH CA and roles; transit keys.
 * Validates what the schema cannot (TTL order, allowed users, plugin-specific fields) with the field path.
 *
 * @example
 * ```ts
 * import { EngineRequirements } from '@svm/core';
 * engineRequests(EngineRequirements.parse({ transit: [{ keys: [{ name: 'payments' }] }] }))
 *   .map((r) => `${r.engine} ${r.path}`);
 * // ['mount sys/mounts/transit', 'transit-key transit/keys/payments']
 * ```
 */
export function engineRequests(engines: EngineRequirements | undefined): EngineRequest[] {
  if (!engines) return [];
  const out: EngineRequest[] = [];
  const mounts = new Map<string, string>();
  const mount = (path: string, type: string, field: string, maxLeaseTtl?: number) => {
    const seen = mounts.get(path);
    if (seen && seen !== type)
      throw new SvmError('INPUT_INVALID', `mount ${path} is used by a ${seen} engine and a ${type} engine`, {
        field: `${field}.mount`,
      });
    if (!seen) {
      mounts.set(path, type);
      out.push(req('mount', path, `sys/mounts/${path}`, { type }, { readPath: 'sys/mounts' }));
    }
    if (maxLeaseTtl !== undefined)
      out.push(req('mount-tune', path, `sys/mounts/${path}/tune`, { max_lease_ttl: maxLeaseTtl }));
  };
  const names = new Set<string>();
  const unique = (key: string, field: string) => {
    if (names.has(key)) throw new SvmError('INPUT_INVALID', `${key} is defined twice`, { field });
    names.add(key);
  };

  engines.databases.forEach((db, i) => {
    const field = `engines.databases[${i}]`;
    mount(db.mount, 'database', field);
    unique(`${db.mount}/config/${db.name}`, `${field}.name`);
    if (db.password_authentication && db.plugin !== 'postgresql')
      throw new SvmError('INPUT_INVALID', 'password_authentication is a PostgreSQL setting', {
        field: `${field}.password_authentication`,
      });
    const defined = [...db.roles.map((r) => r.name), ...db.static_roles.map((r) => r.name)];
    const config = `${db.mount}/config/${db.name}`;
    const body: Record<string, unknown> = {
      plugin_name: PLUGIN_NAMES[db.plugin],
      connection_url: db.connection_url,
      username: db.username,
      allowed_roles: db.allowed_roles ?? defined,
      verify_connection: db.verify_connection,
    };
    if (db.password_authentication) body.password_authentication = db.password_authentication;
    if (db.root_rotation_statements) body.root_rotation_statements = db.root_rotation_statements;
    out.push(req('database-connection', db.mount, config, body, { secretFields: { password: db.password } }));
    if (db.rotate_root)
      out.push(req('database-rotate-root', db.mount, `${db.mount}/rotate-root/${db.name}`, {}, { after: config }));
    db.roles.forEach((role, j) => {
      const f = `${field}.roles[${j}]`;
      unique(`${db.mount}/roles/${role.name}`, `${f}.name`);
      const ttl = seconds(role.default_ttl, `${f}.default_ttl`);
      const max = seconds(role.max_ttl, `${f}.max_ttl`);
      if (max > 0 && ttl > max)
        throw new SvmError('INPUT_INVALID', `default_ttl (${ttl}s) cannot be greater than max_ttl (${max}s)`, {
          field: `${f}.default_ttl`,
        });
      out.push(
        req('database-role', db.mount, `${db.mount}/roles/${role.name}`, {
          db_name: db.name,
          creation_statements: role.creation_statements,
          revocation_statements: role.revocation_statements ?? [],
          renew_statements: role.renew_statements ?? [],
          rollback_statements: role.rollback_statements ?? [],
          default_ttl: ttl,
          max_ttl: max,
        }),
      );
    });
    db.static_roles.forEach((role, j) => {
      const f = `${field}.static_roles[${j}]`;
      unique(`${db.mount}/static-roles/${role.name}`, `${f}.name`);
      const period = seconds(role.rotation_period, `${f}.rotation_period`);
      if (period < 5)
        throw new SvmError('INPUT_INVALID', `rotation_period must be at least 5s, got ${period}s`, {
          field: `${f}.rotation_period`,
        });
      out.push(
        req('database-static-role', db.mount, `${db.mount}/static-roles/${role.name}`, {
          db_name: db.name,
          username: role.username,
          rotation_period: period,
          rotation_statements: role.rotation_statements ?? [],
        }),
      );
    });
  });

  engines.pki.forEach((pki, i) => {
    const field = `engines.pki[${i}]`;
    const roles = pki.roles.map((role, j) => {
      const f = `${field}.roles[${j}]`;
      const ttl = seconds(role.ttl, `${f}.ttl`);
      const max = role.max_ttl === undefined ? ttl : seconds(role.max_ttl, `${f}.max_ttl`);
      if (max > 0 && ttl > max)
        throw new SvmError('INPUT_INVALID', `ttl (${ttl}s) cannot be greater than max_ttl (${max}s)`, {
          field: `${f}.ttl`,
        });
      return { role, ttl, max, f };
    });
    const rootTtl = pki.root_ca ? seconds(pki.root_ca.ttl, `${field}.root_ca.ttl`) : 0;
    const maxLease =
      pki.max_lease_ttl !== undefined
        ? seconds(pki.max_lease_ttl, `${field}.max_lease_ttl`)
        : Math.max(rootTtl, ...roles.map((r) => r.max));
    mount(pki.mount, 'pki', field, maxLease > 0 ? maxLease : undefined);
    if (pki.root_ca)
      out.push(
        req(
          'pki-root-ca',
          pki.mount,
          `${pki.mount}/root/generate/internal`,
          { common_name: pki.root_ca.common_name, ttl: rootTtl },
          { readPath: `${pki.mount}/cert/ca`, ensureOnly: true },
        ),
      );
    for (const { role, ttl, max, f } of roles) {
      unique(`${pki.mount}/roles/${role.name}`, `${f}.name`);
      const body: Record<string, unknown> = {
        allowed_domains: role.allowed_domains,
        allow_subdomains: role.allow_subdomains,
        allow_bare_domains: role.allow_bare_domains,
        allow_glob_domains: role.allow_glob_domains,
        ttl,
        max_ttl: max,
      };
      if (role.key_type) body.key_type = role.key_type;
      if (role.key_bits) body.key_bits = role.key_bits;
      out.push(req('pki-role', pki.mount, `${pki.mount}/roles/${role.name}`, body));
    }
  });

  engines.ssh.forEach((ssh, i) => {
    const field = `engines.ssh[${i}]`;
    mount(ssh.mount, 'ssh', field);
    if (ssh.generate_ca)
      out.push(
        req(
          'ssh-ca',
          ssh.mount,
          `${ssh.mount}/config/ca`,
          { generate_signing_key: true },
          { readPath: `${ssh.mount}/config/ca`, ensureOnly: true },
        ),
      );
    ssh.roles.forEach((role, j) => {
      const f = `${field}.roles[${j}]`;
      unique(`${ssh.mount}/roles/${role.name}`, `${f}.name`);
      const ttl = seconds(role.ttl, `${f}.ttl`);
      const max = role.max_ttl === undefined ? ttl : seconds(role.max_ttl, `${f}.max_ttl`);
      if (max > 0 && ttl > max)
        throw new SvmError('INPUT_INVALID', `ttl (${ttl}s) cannot be greater than max_ttl (${max}s)`, {
          field: `${f}.ttl`,
        });
      const defaultUser = role.default_user ?? (role.allowed_users[0] as string);
      if (!role.allowed_users.includes(defaultUser) && !role.allowed_users.includes('*'))
        throw new SvmError('INPUT_INVALID', `default_user ${defaultUser} is not in allowed_users`, {
          field: `${f}.default_user`,
        });
      out.push(
        req('ssh-role', ssh.mount, `${ssh.mount}/roles/${role.name}`, {
          key_type: 'ca',
          allow_user_certificates: true,
          allow_host_certificates: role.allow_host_certificates,
          allowed_users: role.allowed_users.join(','),
          default_user: defaultUser,
          allowed_extensions: role.allowed_extensions.join(','),
          default_extensions: role.default_extensions,
          ttl,
          max_ttl: max,
        }),
      );
    });
  });

  engines.transit.forEach((transit, i) => {
    const field = `engines.transit[${i}]`;
    mount(transit.mount, 'transit', field);
    transit.keys.forEach((key, j) => {
      const f = `${field}.keys[${j}]`;
      unique(`${transit.mount}/keys/${key.name}`, `${f}.name`);
      const period = seconds(key.auto_rotate_period, `${f}.auto_rotate_period`);
      if (period > 0 && period < 3600)
        throw new SvmError('INPUT_INVALID', `auto_rotate_period must be 0 (off) or at least 1h, got ${period}s`, {
          field: `${f}.auto_rotate_period`,
        });
      out.push(
        req(
          'transit-key',
          transit.mount,
          `${transit.mount}/keys/${key.name}`,
          { type: key.type, auto_rotate_period: period },
          { updatePath: `${transit.mount}/keys/${key.name}/config`, createOnly: ['type'] },
        ),
      );
    });
  });
  return out;
}

function req(
  engine: EngineObjectKind,
  mount: string,
  path: string,
  body: Record<string, unknown>,
  extra: Partial<
    Pick<EngineRequest, 'secretFields' | 'readPath' | 'updatePath' | 'createOnly' | 'after' | 'ensureOnly'>
  > = {},
): EngineRequest {
  const r: EngineRequest = { method: 'POST', path, kind: 'engine', engine, mount, body };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (r as unknown as Record<string, unknown>)[k] = v;
  return r;
}

function seconds(value: string | number, field: string): number {
  try {
    return parseDurationSeconds(value);
  } catch (cause) {
    throw new SvmError('INPUT_INVALID', `expected a duration such as 30m, 1h or 24h, got ${JSON.stringify(value)}`, {
      field,
      cause,
    });
  }
}
