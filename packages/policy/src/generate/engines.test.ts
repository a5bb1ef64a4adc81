import { EngineRequirements, Requirements, isSvmError } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { lintEngineRequests } from '../lint/engine-checks.js';
import { lintSources } from '../lint/lint.js';
import { engineRequests } from './engines.js';
import { generateConfig } from './plan.js';

const password = { store: 'file://./secrets.svm', name: 'pg-admin' };
const db = {
  name: 'pg',
  plugin: 'postgresql' as const,
  connection_url: 'postgresql://{{username}}:{{password}}@db:5432/app',
  username: 'vault_admin',
  password,
  roles: [{ name: 'app-ro', creation_statements: ['CREATE ROLE "{{name}}";'] }],
  static_roles: [{ name: 'report', username: 'report' }],
};

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (isSvmError(error)) return error.location.field;
    throw error;
  }
  return undefined;
}

describe('engineRequests', () => {
  it('applies the guidance defaults: 1h/24h roles, root rotation, 30m SSH, 90d transit, 90d PKI leaves', () => {
    const requests = engineRequests(
      EngineRequirements.parse({
        databases: [db],
        pki: [{ roles: [{ name: 'web', allowed_domains: ['svc.internal'] }] }],
        ssh: [{ roles: [{ name: 'ops', allowed_users: ['deploy'] }] }],
        transit: [{ keys: [{ name: 'app' }] }],
      }),
    );
    const by = (path: string) => requests.find((r) => r.path === path);
    expect(requests.map((r) => r.engine)).toEqual([
      'mount',
      'database-connection',
      'database-rotate-root',
      'database-role',
      'database-static-role',
      'mount',
      'mount-tune',
      'pki-role',
      'mount',
      'ssh-ca',
      'ssh-role',
      'mount',
      'transit-key',
    ]);
    expect(by('database/config/pg')?.body).toEqual({
      plugin_name: 'postgresql-database-plugin',
      connection_url: db.connection_url,
      username: 'vault_admin',
      allowed_roles: ['app-ro', 'report'],
      verify_connection: true,
    });
    // The password is a reference to read at apply time, never a body field.
    expect(by('database/config/pg')?.secretFields).toEqual({ password });
    expect(by('database/rotate-root/pg')?.after).toBe('database/config/pg');
    expect(by('database/roles/app-ro')?.body).toMatchObject({ default_ttl: 3600, max_ttl: 86_400, db_name: 'pg' });
    expect(by('database/static-roles/report')?.body).toMatchObject({ rotation_period: 86_400, username: 'report' });
    expect(by('pki/roles/web')?.body).toMatchObject({ ttl: 7_776_000, max_ttl: 7_776_000 });
    expect(by('sys/mounts/pki/tune')?.body).toEqual({ max_lease_ttl: 7_776_000 });
    expect(by('ssh/roles/ops')?.body).toMatchObject({
      key_type: 'ca',
      allowed_users: 'deploy',
      default_user: 'deploy',
      allowed_extensions: 'permit-pty',
      default_extensions: { 'permit-pty': '' },
      ttl: 1800,
      max_ttl: 1800,
    });
    expect(by('transit/keys/app')?.body).toEqual({ type: 'aes256-gcm96', auto_rotate_period: 7_776_000 });
    // Defaults lint clean.
    expect(lintEngineRequests(requests)).toEqual([]);
  });

  it('refuses what the server would refuse or silently change, naming the field', () => {
    const parse = (e: unknown) => () => engineRequests(EngineRequirements.parse(e));
    expect(fieldOf(parse({ databases: [{ ...db, roles: [{ ...db.roles[0], default_ttl: '48h' }] }] }))).toBe(
      'engines.databases[0].roles[0].default_ttl',
    );
    expect(fieldOf(parse({ databases: [{ ...db, plugin: 'mysql', password_authentication: 'scram-sha-256' }] }))).toBe(
      'engines.databases[0].password_authentication',
    );
    expect(fieldOf(parse({ transit: [{ keys: [{ name: 'k', auto_rotate_period: '10m' }] }] }))).toBe(
      'engines.transit[0].keys[0].auto_rotate_period',
    );
    expect(fieldOf(parse({ ssh: [{ roles: [{ name: 'r', allowed_users: ['a'], default_user: 'root' }] }] }))).toBe(
      'engines.ssh[0].roles[0].default_user',
    );
    expect(fieldOf(parse({ ssh: [{ mount: 'x' }], transit: [{ mount: 'x' }] }))).toBe('engines.transit[0].mount');
    expect(fieldOf(parse({ transit: [{ keys: [{ name: 'k' }, { name: 'k' }] }] }))).toBe(
      'engines.transit[0].keys[1].name',
    );
  });

  it('the schema refuses passwords in the URL and engines without version 2', () => {
    const url = EngineRequirements.safeParse({
      databases: [{ ...db, connection_url: 'postgresql://admin:pw@db/app' }],
    });
    expect(url.success).toBe(false);
    expect(JSON.stringify(url.error?.issues)).toContain('{{username}} and {{password}}');
    const v1 = Requirements.safeParse({ applications: [], engines: {} });
    expect(v1.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['version', 'engines need version: 2 (the version that added secrets-engine configuration)'],
    ]);
    expect(Requirements.safeParse({ version: 2, applications: [], engines: {} }).success).toBe(true);
    expect(EngineRequirements.safeParse({ databases: [{ ...db, password: 'hunter2' }] }).success).toBe(false);
  });

  it('the generator warns when an application reads a database role the engines do not define', () => {
    const config = generateConfig(
      Requirements.parse({
        version: 2,
        applications: [{ name: 'web', auth: [{ method: 'approle' }], secrets: [{ kind: 'database' }] }],
        engines: { databases: [db] },
      }),
    );
    expect(config.warnings).toEqual([
      'web (production) reads database/creds/web-production-readonly, but engines.databases defines no role web-production-readonly on database',
    ]);
  });
});

describe('lintEngineRequests', () => {
  const r = (engine: string, path: string, body: Record<string, unknown> = {}) => ({ engine, path, body });
  it('flags each departure from the guidance, and only that', () => {
    const rules = (inputs: ReturnType<typeof r>[]) => lintEngineRequests(inputs).map((f) => [f.rule, f.message]);
    expect(rules([r('database-connection', 'db/config/pg')])).toEqual([
      ['database-root-not-rotated', "db/config/pg: the admin user's password is never rotated by Vault"],
    ]);
    expect(rules([r('database-connection', 'db/config/pg'), r('database-rotate-root', 'db/rotate-root/pg')])).toEqual(
      [],
    );
    expect(rules([r('database-role', 'db/roles/a', { max_ttl: 86_400 })])).toEqual([]);
    expect(rules([r('database-role', 'db/roles/a', { max_ttl: '25h' })])).toEqual([
      ['database-role-max-ttl-over-24h', 'db/roles/a: max_ttl is 25h'],
    ]);
    expect(rules([r('database-role', 'db/roles/a', { max_ttl: 0 })])[0]?.[1]).toBe(
      'db/roles/a: max_ttl is 0 (the system maximum)',
    );
    expect(rules([r('pki-role', 'pki/roles/w', { allowed_domains: ['svc.internal'] })])).toEqual([]);
    expect(rules([r('pki-role', 'pki/roles/w', { allowed_domains: '*.svc.internal,a.b' })])).toEqual([
      ['pki-wildcard-allowed-domains', 'pki/roles/w: allowed_domains has "*.svc.internal"'],
    ]);
    expect(rules([r('pki-role', 'pki/roles/w', { allowed_domains: ['a.b'], allow_any_name: true })])[0]?.[0]).toBe(
      'pki-wildcard-allowed-domains',
    );
    expect(rules([r('ssh-role', 'ssh/roles/o', { ttl: '30m', max_ttl: '1h' })])).toEqual([]);
    expect(rules([r('ssh-role', 'ssh/roles/o', { ttl: '30m', max_ttl: '8h' })])).toEqual([
      ['ssh-cert-ttl-over-1h', 'ssh/roles/o: max_ttl is 8h'],
    ]);
    expect(rules([r('transit-key', 't/keys/k', { auto_rotate_period: '90d' })])).toEqual([]);
    expect(rules([r('transit-key', 't/keys/k', {})])).toEqual([
      ['transit-key-no-auto-rotation', 't/keys/k: auto_rotate_period is unset (never rotates)'],
    ]);
  });
});

describe('linting a requirements file', () => {
  it('reports engine findings on the line that names the object', () => {
    const text = [
      'version: 2',
      'applications: []',
      'engines:',
      '  databases:',
      '    - name: pg',
      '      plugin: postgresql',
      "      connection_url: 'postgresql://{{username}}:{{password}}@db/app'",
      '      username: admin',
      '      password: { store: "file://./s.svm", name: pg-admin }',
      '      rotate_root: false',
      '  transit:',
      '    - keys:',
      '        - name: app-key',
      '          auto_rotate_period: 0',
      '',
    ].join('\n');
    const report = lintSources([{ file: 'requirements.yaml', text }]);
    expect(report.findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['database-root-not-rotated', 'requirements.yaml', 5],
      ['transit-key-no-auto-rotation', 'requirements.yaml', 13],
    ]);
    expect(report.engines).toBe(4);
  });
});
