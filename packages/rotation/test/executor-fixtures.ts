// Shared set-up for the executor's integration tests: a pair of PostgreSQL roles with unique names on the shared
// test server, and an encrypted file store (key file) holding the app secret and an admin secret.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type PostgresService, requireService } from '@svm/test-harness';
import { openStore, type SecretStore } from '@svm/providers';

export const postgres = requireService('postgres');

export interface DualAccountFixture {
  dir: string;
  storeUri: string;
  keyFile: string;
  store: SecretStore;
  roles: [string, string];
  secret: string;
  admin: string;
  item: Record<string, unknown> & { id: string };
  cleanup(): Promise<void>;
}

export async function adminQuery(svc: PostgresService, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({
    host: svc.host,
    port: svc.port,
    user: svc.user,
    password: svc.password,
    database: svc.database,
  });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

/** Try a login; true when it works. */
export async function canLogin(svc: PostgresService, user: string, password: string): Promise<boolean> {
  const c = new pg.Client({
    host: svc.host,
    port: svc.port,
    user,
    password,
    database: svc.database,
    connectionTimeoutMillis: 10_000,
  });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function dualAccountFixture(
  svc: PostgresService,
  options: { grace?: string; tag?: string } = {},
): Promise<DualAccountFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'svm-exec-'));
  const keyFile = join(dir, 'store.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const storeUri = `file://${join(dir, 'secrets.svm')}`;
  const store = await openStore(storeUri, { file: { keyFile, lockStaleMs: 2000 } });
  const tag = options.tag ?? randomBytes(4).toString('hex');
  const roles: [string, string] = [`svm_exec_${tag}_a`, `svm_exec_${tag}_b`];
  const first = randomBytes(18).toString('base64url');
  for (const role of roles) {
    await adminQuery(svc, `DROP ROLE IF EXISTS ${role}`);
    await adminQuery(
      svc,
      `CREATE ROLE ${role} LOGIN PASSWORD '${role === roles[0] ? first : randomBytes(18).toString('base64url')}'`,
    );
  }
  const conn = { host: svc.host, port: svc.port, database: svc.database };
  const secret = `prod/${tag}/db`;
  const admin = `prod/${tag}/db-admin`;
  await store.put(admin, JSON.stringify({ ...conn, username: svc.user, password: svc.password }));
  await store.put(secret, JSON.stringify({ ...conn, username: roles[0], password: first }));
  const item = {
    id: `orders-db-${tag}`,
    name: secret,
    type: 'database',
    store: storeUri,
    rotation: { accounts: roles, admin_secret: admin, grace: options.grace ?? '0s' },
  };
  return {
    dir,
    storeUri,
    keyFile,
    store,
    roles,
    secret,
    admin,
    item,
    async cleanup() {
      await store.close();
      for (const role of roles) await adminQuery(svc, `DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    },
  };
}
