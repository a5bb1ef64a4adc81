import { EngineRequirements, Requirements, isSvmError } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { generateConfig } from '../generate/plan.js';
import { applyPlan, planApply } from './apply.js';
import type { VaultApi } from './client.js';

/** An in-memory server: objects by path, `sys/mounts`, and the writes it received. */
function fakeServer(objects: Record<string, Record<string, unknown>>) {
  const writes: Array<{ path: string; body: Record<string, unknown> }> = [];
  const api: VaultApi = {
    async read(path) {
      return objects[path];
    },
    async write(_method, path, body) {
      writes.push({ path, body });
    },
  };
  return { api, writes };
}

const config = (engines: unknown) =>
  generateConfig(Requirements.parse({ version: 2, applications: [], engines: EngineRequirements.parse(engines) }));
const db = {
  name: 'pg',
  plugin: 'postgresql',
  connection_url: 'postgresql://{{username}}:{{password}}@db/app',
  username: 'admin',
  password: { store: 'file://./s.svm', name: 'pg-admin' },
};

describe('planApply and applyPlan for engines', () => {
  it('creates everything under a new mount without reading it, reads the password only then, rotates root after', async () => {
    const { api, writes } = fakeServer({ 'sys/mounts': { 'secret/': { type: 'kv' } } });
    const plan = await planApply(config({ databases: [db] }), api);
    expect(plan.items.map((i) => [i.request.engine, i.action])).toEqual([
      ['mount', 'create'],
      ['database-connection', 'create'],
      ['database-rotate-root', 'create'],
    ]);
    await expect(applyPlan(plan, api)).rejects.toMatchObject({ code: 'CREDENTIALS_MISSING' });
    expect(writes).toEqual([]); // nothing written before the store was read
    const asked: string[] = [];
    await applyPlan(plan, api, {
      resolveSecret: async (ref) => {
        asked.push(`${ref.store} ${ref.name}`);
        return 'from-the-store';
      },
    });
    expect(asked).toEqual(['file://./s.svm pg-admin']);
    expect(writes.map((w) => w.path)).toEqual(['sys/mounts/database', 'database/config/pg', 'database/rotate-root/pg']);
    expect(writes[1]?.body.password).toBe('from-the-store');
    expect(plan.items[1]?.changes.map((c) => c.field)).not.toContain('password');
  });

  it('an existing connection is compared on what the server echoes, never re-sent the password, never re-rotated', async () => {
    const { api, writes } = fakeServer({
      'sys/mounts': { 'database/': { type: 'database' } },
      'database/config/pg': {
        plugin_name: 'postgresql-database-plugin',
        allowed_roles: [],
        connection_details: { connection_url: db.connection_url, username: 'old_admin' },
        root_credentials_rotate_statements: [],
      },
    });
    const plan = await planApply(config({ databases: [db] }), api);
    expect(plan.items.map((i) => [i.request.engine, i.action])).toEqual([
      ['mount', 'unchanged'],
      ['database-connection', 'update'],
      ['database-rotate-root', 'unchanged'],
    ]);
    expect(plan.items[1]?.changes).toEqual([{ field: 'username', from: 'old_admin', to: 'admin' }]);
    await applyPlan(plan, api); // no store reader needed: nothing is created
    expect(writes.map((w) => w.path)).toEqual(['database/config/pg']);
    expect(writes[0]?.body).not.toHaveProperty('password');
  });

  it('a transit key changes its rotation through keys/<name>/config; its type cannot change', async () => {
    const key = { type: 'aes256-gcm96', auto_rotate_period: 0, latest_version: 3 };
    const { api, writes } = fakeServer({ 'sys/mounts': { 'transit/': { type: 'transit' } }, 'transit/keys/k': key });
    const plan = await planApply(config({ transit: [{ keys: [{ name: 'k' }] }] }), api);
    await applyPlan(plan, api);
    expect(writes).toEqual([{ path: 'transit/keys/k/config', body: { auto_rotate_period: 7_776_000 } }]);
    const other = fakeServer({
      'sys/mounts': { 'transit/': { type: 'transit' } },
      'transit/keys/k': { ...key, type: 'rsa-2048' },
    });
    const error = await planApply(config({ transit: [{ keys: [{ name: 'k' }] }] }), other.api).catch((e) => e);
    expect(isSvmError(error) && error.code).toBe('CONFLICT');
    expect(String(error.message)).toContain('type is "rsa-2048" on the server, "aes256-gcm96" in the requirements');
  });

  it('a CA is only generated when missing, and a mount of another type is a conflict', async () => {
    const withCa = fakeServer({
      'sys/mounts': { 'ssh/': { type: 'ssh' } },
      'ssh/config/ca': { public_key: 'ssh-ed25519 AAAA' },
    });
    const plan = await planApply(config({ ssh: [{}] }), withCa.api);
    expect(plan.items.map((i) => i.action)).toEqual(['unchanged', 'unchanged']);
    const wrong = fakeServer({ 'sys/mounts': { 'ssh/': { type: 'kv' } } });
    await expect(planApply(config({ ssh: [{}] }), wrong.api)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('SQL statements compare in order: the same statements reordered are an update', async () => {
    const role = { name: 'ro', creation_statements: ['CREATE ROLE "{{name}}";', 'GRANT SELECT ON t TO "{{name}}";'] };
    const echoed = {
      db_name: 'pg',
      creation_statements: [...role.creation_statements],
      revocation_statements: [],
      renew_statements: [],
      rollback_statements: [],
      default_ttl: 3600,
      max_ttl: 86_400,
      credential_type: 'password',
    };
    const server = (creation: string[]) =>
      fakeServer({
        'sys/mounts': { 'database/': { type: 'database' } },
        'database/config/pg': {
          plugin_name: 'postgresql-database-plugin',
          allowed_roles: ['ro'],
          connection_details: { connection_url: db.connection_url, username: 'admin' },
        },
        'database/roles/ro': { ...echoed, creation_statements: creation },
      });
    const wanted = config({ databases: [{ ...db, roles: [role] }] });
    const same = await planApply(wanted, server(role.creation_statements).api);
    expect(same.items.map((i) => i.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    const reordered = await planApply(wanted, server([...role.creation_statements].reverse()).api);
    expect(reordered.items[3]).toMatchObject({
      action: 'update',
      changes: [{ field: 'creation_statements', to: role.creation_statements }],
    });
  });
});
