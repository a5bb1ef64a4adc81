import { X509Certificate, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Requirements, loadDocument } from '@svm/core';
import { openStore } from '@svm/providers';
import { requireService } from '@svm/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// Issue 15's proof: `svm policy apply` the example requirements (engines and all) to the harness's OpenBao,
// backed by the harness's PostgreSQL. The connection's admin is a dedicated role made for this run (root
// rotation must never touch the shared `svm` user); its password sits in an encrypted file store, read at
// apply time. Mounts, auth mount, roles and schema get a unique suffix so parallel runs never collide.

const bao = requireService('openbao');
const postgres = requireService('postgres');
const run = `e${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const MOUNTS = { database: `db-${run}`, pki: `pki-${run}`, ssh: `ssh-${run}`, transit: `transit-${run}` };
const APPROLE = `approle-${run}`;
const APP = `pay-${run}`;
const ADMIN = `eng_admin_${run}`;
const STATIC_USER = `eng_static_${run}`;
const SCHEMA = `eng_${run}`;
const ADMIN_PASSWORD = randomBytes(18).toString('base64url');
const dir = mkdtempSync(join(tmpdir(), 'svm-engines-'));
const STORE = `file://${join(dir, 'secrets.svm')}`;
const env = {
  PATH: process.env.PATH,
  VAULT_ADDR: bao?.addr,
  VAULT_TOKEN: bao?.token,
  SVM_FILE_PASSPHRASE: 'engines proof passphrase',
  SVM_FILE_SCRYPT_COST: '16384',
};

async function http(
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${bao?.addr}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function root(method: string, path: string, body?: unknown): Promise<any> {
  const r = await http(method, path, bao?.token ?? '', body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

async function pgAs(user: string, password: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({
    host: postgres?.host,
    port: postgres?.port,
    database: postgres?.database,
    user,
    password,
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

async function pgError(user: string, password: string, sql: string): Promise<string> {
  try {
    await pgAs(user, password, sql);
    return 'no error';
  } catch (error) {
    return String((error as { code?: string }).code ?? (error as Error).message);
  }
}

const superuser = (sql: string) => pgAs(postgres?.user ?? '', postgres?.password ?? '', sql);

/** The example requirements, pointed at this run's mounts, database, store and auth mount. */
function exampleRequirements(): Requirements {
  const file = new URL('../../../examples/quickstart/data/requirements.yaml', import.meta.url);
  const example = loadDocument(readFileSync(file, 'utf8'), { file: 'requirements.yaml' }, Requirements);
  const payments = example.applications.find((a) => a.name === 'payment-service');
  const engines = example.engines;
  if (!payments || !engines) throw new Error('the example lost payment-service or its engines');
  const schema = (s: string) => s.replaceAll('SCHEMA payments', `SCHEMA ${SCHEMA}`);
  for (const db of engines.databases) {
    db.mount = MOUNTS.database;
    db.connection_url = `postgresql://{{username}}:{{password}}@${postgres?.host}:${postgres?.port}/${postgres?.database}?sslmode=disable`;
    db.username = ADMIN;
    db.password = { store: STORE, name: 'payments-pg-admin' };
    for (const r of db.roles) {
      r.creation_statements = r.creation_statements.map(schema);
      r.revocation_statements = r.revocation_statements?.map(schema);
    }
    for (const s of db.static_roles) s.username = STATIC_USER;
  }
  for (const p of engines.pki) p.mount = MOUNTS.pki;
  for (const s of engines.ssh) s.mount = MOUNTS.ssh;
  for (const t of engines.transit) t.mount = MOUNTS.transit;
  const secrets = payments.secrets.map((s) => {
    // The example's names come from {app}; this run's app has its own name, so name the engine objects.
    if (s.kind === 'database') return { ...s, mount: MOUNTS.database, role: 'payment-service-{env}-readonly' };
    if (s.kind === 'pki') return { ...s, mount: MOUNTS.pki, role: 'payment-service-{env}' };
    if (s.kind === 'transit') return { ...s, mount: MOUNTS.transit, key: 'payment-service-{env}' };
    return s;
  });
  secrets.push({ kind: 'ssh', mount: MOUNTS.ssh, role: 'platform-oncall-production' });
  // AppRole only (the example's CIDR bindings would refuse a login from 127.0.0.1).
  const auth = [{ method: 'approle' as const, mount: APPROLE }];
  return { ...example, applications: [{ ...payments, name: APP, auth, secrets }], engines };
}

/** An OpenSSH ed25519 public key line for a fresh key. */
function sshPublicKey(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')}`;
}

/** valid_after and valid_before (seconds since the epoch) of an ed25519 OpenSSH user certificate. */
function sshValidity(signed: string): { after: number; before: number } {
  const buf = Buffer.from(signed.trim().split(/\s+/)[1] ?? '', 'base64');
  let at = 0;
  const skipString = () => {
    at += 4 + buf.readUInt32BE(at);
  };
  skipString(); // type
  skipString(); // nonce
  skipString(); // ed25519 public key
  at += 8 + 4; // serial, type
  skipString(); // key id
  skipString(); // principals
  const after = Number(buf.readBigUInt64BE(at));
  const before = Number(buf.readBigUInt64BE(at + 8));
  return { after, before };
}

describe.skipIf(!bao || !postgres)('svm policy apply configures engines from the example requirements', () => {
  const file = join(dir, 'requirements.json');
  const app = { token: '' };

  beforeAll(async () => {
    await superuser(`CREATE ROLE ${ADMIN} WITH LOGIN CREATEROLE PASSWORD '${ADMIN_PASSWORD}'`);
    await superuser(`CREATE SCHEMA ${SCHEMA} AUTHORIZATION ${ADMIN}`);
    await pgAs(
      ADMIN,
      ADMIN_PASSWORD,
      `CREATE TABLE ${SCHEMA}.orders (id int); INSERT INTO ${SCHEMA}.orders VALUES (1)`,
    );
    await superuser(`CREATE ROLE ${STATIC_USER} WITH LOGIN PASSWORD 'initial-${run}'`);
    const store = await openStore(STORE, { env });
    await store.put('payments-pg-admin', ADMIN_PASSWORD);
    await store.close();
    await root('POST', `sys/auth/${APPROLE}`, { type: 'approle' });
    writeFileSync(file, JSON.stringify({ ...exampleRequirements(), version: 2 }));
  }, 60_000);

  afterAll(async () => {
    for (const m of Object.values(MOUNTS)) await root('DELETE', `sys/mounts/${m}`).catch(() => undefined);
    await root('DELETE', `sys/auth/${APPROLE}`).catch(() => undefined);
    for (const env of ['staging', 'production'])
      await root('DELETE', `sys/policies/acl/${APP}-${env}-read`).catch(() => undefined);
    await superuser(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await superuser(`DROP OWNED BY ${ADMIN}; DROP ROLE IF EXISTS ${ADMIN}`).catch(() => undefined);
    await superuser(`DROP ROLE IF EXISTS ${STATIC_USER}`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('the plugin names the generator writes are built-in database plugins of the server', async () => {
    for (const plugin of ['postgresql-database-plugin', 'mysql-database-plugin'])
      expect((await root('GET', `sys/plugins/catalog/database/${plugin}`)).data).toMatchObject({ builtin: true });
  });

  it('--dry-run shows the plan and writes nothing', async () => {
    const r = await runCli(['policy', 'apply', file, '--dry-run', '--json'], { env });
    expect(r.stderr).not.toContain(ADMIN_PASSWORD);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.written).toBe(0);
    expect(out.summary.update).toBe(0);
    const engines = out.items.filter((i: { kind: string }) => i.kind === 'engine');
    expect(engines.map((i: { engine: string }) => i.engine)).toContain('database-rotate-root');
    expect(engines.every((i: { action: string }) => i.action === 'create')).toBe(true);
    expect((await http('GET', `sys/mounts/${MOUNTS.database}`, bao?.token ?? '')).status).toBe(400);
  });

  it('applies: engines first, the admin password read from the store and rotated away', async () => {
    const r = await runCli(['policy', 'apply', file, '--json'], { env });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(ADMIN_PASSWORD);
    const out = JSON.parse(r.stdout);
    expect(out.written).toBe(out.summary.create);
    // The password in the store no longer logs in: Vault rotated it right after creating the connection.
    expect(await pgError(ADMIN, ADMIN_PASSWORD, 'SELECT 1')).toBe('28P01');
  });

  it('a second apply writes nothing', async () => {
    const r = await runCli(['policy', 'apply', file, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.written).toBe(0);
    expect(out.summary).toMatchObject({ create: 0, update: 0 });
    const text = await runCli(['policy', 'apply', file], { env });
    expect(text.stdout).toContain('Nothing to do: the server already matches.');
  });

  it('a dynamic credential read through the generated AppRole can SELECT, cannot write, and dies with its lease', async () => {
    const roleId = (await root('GET', `auth/${APPROLE}/role/${APP}-production/role-id`)).data.role_id;
    const secretId = (await root('POST', `auth/${APPROLE}/role/${APP}-production/secret-id`)).data.secret_id;
    const login = await http('POST', `auth/${APPROLE}/login`, '', { role_id: roleId, secret_id: secretId });
    expect(login.status).toBe(200);
    app.token = login.json.auth.client_token;
    const creds = await http('GET', `${MOUNTS.database}/creds/payment-service-production-readonly`, app.token);
    expect(creds.status).toBe(200);
    expect(creds.json.lease_duration).toBe(3600);
    const { username, password } = creds.json.data as { username: string; password: string };
    expect((await pgAs(username, password, `SELECT id FROM ${SCHEMA}.orders`)).rows).toEqual([{ id: 1 }]);
    expect(await pgError(username, password, `INSERT INTO ${SCHEMA}.orders VALUES (2)`)).toBe('42501');
    // The other environment's credentials and the static role are not this token's.
    expect((await http('GET', `${MOUNTS.database}/creds/payment-service-staging-readonly`, app.token)).status).toBe(
      403,
    );
    expect((await http('GET', `${MOUNTS.database}/static-creds/payments-reporting`, app.token)).status).toBe(403);
    await root('PUT', 'sys/leases/revoke', { lease_id: creds.json.lease_id });
    expect(await pgError(username, password, 'SELECT 1')).toBe('28P01'); // PostgreSQL's answer for a dropped role too
    const left = await superuser(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = '${username}'`);
    expect(left.rows).toEqual([{ n: 0 }]);
  });

  it('the static role rotates and its new password logs in', async () => {
    const first = (await root('GET', `${MOUNTS.database}/static-creds/payments-reporting`)).data;
    expect(first.username).toBe(STATIC_USER);
    expect(first.rotation_period).toBe(86_400);
    expect((await pgAs(STATIC_USER, first.password, 'SELECT current_user AS u')).rows).toEqual([{ u: STATIC_USER }]);
    await root('POST', `${MOUNTS.database}/rotate-role/payments-reporting`);
    const second = (await root('GET', `${MOUNTS.database}/static-creds/payments-reporting`)).data;
    expect(second.password).not.toBe(first.password);
    expect((await pgAs(STATIC_USER, second.password, 'SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    expect(await pgError(STATIC_USER, first.password, 'SELECT 1')).toBe('28P01');
  });

  it('PKI and SSH certificates are issued with the configured TTLs (72h, 30m)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const issued = await http('POST', `${MOUNTS.pki}/issue/payment-service-production`, app.token, {
      common_name: 'payment-service.production.svc.acme.internal',
    });
    expect(issued.status, JSON.stringify(issued.json)).toBe(200);
    const cert = new X509Certificate(issued.json.data.certificate);
    const notAfter = Math.floor(Date.parse(cert.validTo) / 1000);
    expect(Math.abs(notAfter - now - 72 * 3600)).toBeLessThan(120);
    const other = await http('POST', `${MOUNTS.pki}/issue/payment-service-production`, app.token, {
      common_name: 'evil.example.com',
    });
    expect(other.status).toBe(400);

    const signed = await http('POST', `${MOUNTS.ssh}/sign/platform-oncall-production`, app.token, {
      public_key: sshPublicKey(),
      valid_principals: 'oncall',
    });
    expect(signed.status, JSON.stringify(signed.json)).toBe(200);
    const { before } = sshValidity(signed.json.data.signed_key);
    expect(Math.abs(before - now - 30 * 60)).toBeLessThan(120);
    const key = (await root('GET', `${MOUNTS.transit}/keys/payment-service-production`)).data;
    expect([key.type, key.auto_rotate_period]).toEqual(['aes256-gcm96', 90 * 86_400]);
  });
});
