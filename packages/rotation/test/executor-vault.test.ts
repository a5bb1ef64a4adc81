// The Vault / OpenBao strategies end to end on the real OpenBao dev server (and PostgreSQL behind its database
// engine), each on its own mount so parallel runs do not collide.
import { X509Certificate, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '@svm/core';
import { type SecretStore, openStore } from '@svm/providers';
import { requireService } from '@svm/test-harness';
import { type RotationJournal, openFileJournal, rotate } from '../src/index.js';
import { adminQuery, canLogin, postgres } from './executor-fixtures.js';

const bao = requireService('openbao');
const tag = randomBytes(4).toString('hex');
const HOOK = resolve(import.meta.dirname, '../../../examples/rotation-hooks/vault-token-hook.mjs');

async function v(
  method: string,
  path: string,
  body?: unknown,
  token = bao!.token,
): Promise<{ status: number; data: any }> {
  const res = await fetch(`${bao!.addr}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : {};
  if (res.status >= 400 && token === bao!.token && method !== 'GET')
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.errors)}`);
  return { status: res.status, data: json.data ?? json };
}

let dir = '';
let store: SecretStore;
let journal: RotationJournal;
const target = () => ({
  vault: { addr: bao!.addr, token: bao!.token },
  env: { ...process.env, VAULT_ADDR: bao!.addr, VAULT_TOKEN: bao!.token },
});
const mounts: string[] = [];

beforeAll(async () => {
  if (!bao) return;
  // Module hooks run in this process and read its environment, as they would under `svm rotation run`.
  process.env.VAULT_ADDR = bao.addr;
  process.env.VAULT_TOKEN = bao.token;
  dir = mkdtempSync(join(tmpdir(), 'svm-exec-vault-'));
  const keyFile = join(dir, 'store.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'));
  store = await openStore(`file://${join(dir, 'secrets.svm')}`, { file: { keyFile } });
  journal = await openFileJournal(join(dir, 'journal.jsonl'));
});

afterAll(async () => {
  if (!bao) return;
  await store?.close();
  for (const m of mounts) await v('DELETE', `sys/mounts/${m}`).catch(() => undefined);
});

describe.skipIf(!bao)('Vault / OpenBao strategies (real server)', () => {
  it('transit: rotates the key, rewraps every listed ciphertext, then raises min_decryption_version', async () => {
    const mount = `transit-svm-exec-${tag}`;
    await v('POST', `sys/mounts/${mount}`, { type: 'transit' });
    mounts.push(mount);
    await v('POST', `${mount}/keys/orders`, {});
    const plaintexts = ['one', 'two', 'three'].map((p) => Buffer.from(p).toString('base64'));
    const enc = await v('POST', `${mount}/encrypt/orders`, {
      batch_input: plaintexts.map((plaintext) => ({ plaintext })),
    });
    const list = (enc.data.batch_results as Array<{ ciphertext: string }>).map((r) => r.ciphertext);
    expect(list.every((c) => c.startsWith('vault:v1:'))).toBe(true);
    await store.put('orders/ciphertexts', JSON.stringify(list));
    const item = {
      id: `orders-key-${tag}`,
      type: 'encryption-key',
      name: 'orders/ciphertexts',
      rotation: { transit_mount: mount, key: 'orders', ciphertexts_secret: 'orders/ciphertexts' },
    };

    const run = await rotate(item, { store, journal, target: target() });
    expect(run?.outcome).toBe('rotated');
    expect(run?.steps.map((s) => s.status)).toEqual(['done', 'done', 'done']);
    const rewrapped = JSON.parse((await store.get('orders/ciphertexts')).value) as string[];
    expect(rewrapped.every((c) => c.startsWith('vault:v2:'))).toBe(true);
    const key = await v('GET', `${mount}/keys/orders`);
    expect(key.data.min_decryption_version).toBe(2);
    const dec = await v('POST', `${mount}/decrypt/orders`, {
      batch_input: rewrapped.map((ciphertext) => ({ ciphertext })),
    });
    expect((dec.data.batch_results as Array<{ plaintext: string }>).map((r) => r.plaintext)).toEqual(plaintexts);
    // The old ciphertexts no longer decrypt: that is what raising the minimum is for.
    const old = await v('POST', `${mount}/decrypt/orders`, { ciphertext: list[0] }).catch((e: Error) => e);
    expect(old).toBeInstanceOf(Error);
  });

  it('PKI: issues a certificate from a role, stores certificate and key, keeps the old one as previous', async () => {
    const mount = `pki-svm-exec-${tag}`;
    await v('POST', `sys/mounts/${mount}`, { type: 'pki', config: { max_lease_ttl: '48h' } });
    mounts.push(mount);
    await v('POST', `${mount}/root/generate/internal`, { common_name: 'svm executor test root', ttl: '48h' });
    await v('POST', `${mount}/roles/web`, { allowed_domains: 'example.test', allow_subdomains: true, max_ttl: '2h' });
    const item = {
      id: `api-tls-${tag}`,
      type: 'tls-certificate',
      name: `tls/${tag}/api`,
      renew_before: '1d',
      rotation: { pki_mount: mount, role: 'web', common_name: 'api.example.test', ttl: '1h' },
    };

    const first = await rotate(item, { store, journal, target: target() });
    expect(first?.outcome).toBe('rotated');
    const firstCert = new X509Certificate(JSON.parse((await store.get(item.name)).value).certificate);
    expect(firstCert.subject).toContain('CN=api.example.test');
    // A 1h certificate is always within the 1-day renew-before window: the next run re-issues.
    const second = await rotate(item, { store, journal, target: target() });
    expect(second?.outcome).toBe('rotated');
    const current = JSON.parse((await store.get(item.name)).value) as { certificate: string; private_key: string };
    const previous = JSON.parse((await store.get(item.name, { stage: 'previous' })).value) as { certificate: string };
    expect(new X509Certificate(previous.certificate).serialNumber).toBe(firstCert.serialNumber);
    expect(new X509Certificate(current.certificate).serialNumber).not.toBe(firstCert.serialNumber);
    // Not due yet with a short renew-before window: the run waits.
    const waiting = await rotate(
      { ...item, renew_before: '1h' },
      { store, journal, target: target(), clock: fixedClock(Date.now() - 3_600_000) },
    );
    expect(waiting?.outcome).toBe('waiting');
  });

  it.skipIf(!postgres)(
    'database static role: rotate-role, then the new credentials log in (PostgreSQL behind OpenBao)',
    async () => {
      const mount = `database-svm-exec-${tag}`;
      const role = `svm_exec_${tag}_static`;
      await adminQuery(postgres!, `DROP ROLE IF EXISTS ${role}`);
      await adminQuery(postgres!, `CREATE ROLE ${role} LOGIN PASSWORD 'initial-${tag}'`);
      try {
        await v('POST', `sys/mounts/${mount}`, { type: 'database' });
        mounts.push(mount);
        await v('POST', `${mount}/config/pg`, {
          plugin_name: 'postgresql-database-plugin',
          connection_url: `postgresql://{{username}}:{{password}}@${postgres!.host}:${postgres!.port}/${postgres!.database}?sslmode=disable`,
          username: postgres!.user,
          password: postgres!.password,
          allowed_roles: '*',
        });
        await v('POST', `${mount}/static-roles/app`, { db_name: 'pg', username: role, rotation_period: '24h' });
        const before = (await v('GET', `${mount}/static-creds/app`)).data as { password: string };
        const item = {
          id: `reports-db-${tag}`,
          name: `prod/${tag}/reports-db`,
          strategy: 'static-role',
          rotation: {
            db_mount: mount,
            static_role: 'app',
            host: postgres!.host,
            port: postgres!.port,
            database: postgres!.database,
            publish: true,
          },
        };
        const run = await rotate(item, { store, journal, target: target() });
        expect(run?.outcome).toBe('rotated');
        const after = (await v('GET', `${mount}/static-creds/app`)).data as { password: string };
        expect(after.password).not.toBe(before.password);
        expect(await canLogin(postgres!, role, after.password)).toBe(true);
        expect(await canLogin(postgres!, role, before.password)).toBe(false);
        const published = JSON.parse((await store.get(item.name)).value) as { username: string; password: string };
        expect(published.username).toBe(role);
        expect(await canLogin(postgres!, published.username, published.password)).toBe(true);
      } finally {
        await v('DELETE', `sys/mounts/${mount}`).catch(() => undefined);
        await adminQuery(postgres!, `DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
      }
    },
  );

  it('API-key overlap through the example hook: pending → test → current, previous kept for the window, then revoked (audit log respected)', async () => {
    const name = `vendor/${tag}/api-key`;
    const first = await import(HOOK).then((m) => m.create({ action: 'create', item: { id: 'seed', secret: name } }));
    await store.put(name, first.value);
    const item = { id: `vendor-key-${tag}`, type: 'api-key', name, rotation: { hook: HOOK, overlap: '1h' } };
    const lookup = async (token: string) => (await v('GET', 'auth/token/lookup-self', undefined, token)).status;

    const run1 = await rotate(item, { store, journal, target: target() });
    expect(run1?.outcome).toBe('rotated');
    expect(run1?.steps.map((s) => s.id)).toEqual(['revoke-previous', 'create-pending', 'test-pending', 'promote']);
    const k2 = await store.get(name);
    expect(await lookup(k2.value)).toBe(200);
    expect(await lookup(first.value)).toBe(200); // previous still works during the overlap window

    const waiting = await rotate(item, { store, journal, target: target() });
    expect(waiting?.outcome).toBe('waiting');
    expect(await lookup(first.value)).toBe(200);

    // After the window (the command form of the hook this time), the previous key is revoked, then replaced.
    const later = fixedClock(Date.now() + 2 * 3_600_000);
    const command = { ...item, rotation: { ...item.rotation, hook: `node ${HOOK}` } };
    const run2 = await rotate(command, { store, journal, target: target(), clock: later });
    expect(run2?.outcome).toBe('rotated');
    expect(await lookup(first.value)).toBe(403);
    expect(await lookup(k2.value)).toBe(200);
    expect((await store.get(name, { stage: 'previous' })).version).toBe(k2.version);

    // An audit log showing the (now previous) k2 key in use after the switch holds its revocation back.
    const keyId = run1!.steps.find((s) => s.id === 'create-pending')!.facts!.keyId as string;
    const log = join(dir, 'usage.jsonl');
    const usedAt = new Date(later.now().getTime() + 30 * 60_000);
    writeFileSync(log, `${JSON.stringify({ time: usedAt.toISOString(), accessor: keyId, path: 'orders/charge' })}\n`);
    const withLog = { ...item, rotation: { ...item.rotation, audit_log: log } };
    const held = await rotate(withLog, {
      store,
      journal,
      target: target(),
      clock: fixedClock(later.now().getTime() + 70 * 60_000),
    });
    expect(held?.outcome).toBe('waiting');
    expect(held?.message).toContain('audit log');
    expect(await lookup(k2.value)).toBe(200);
    // Without that use, the same moment is past the window: k2 is revoked.
    const freed = await rotate(item, {
      store,
      journal,
      target: target(),
      clock: fixedClock(later.now().getTime() + 70 * 60_000),
    });
    expect(freed?.outcome).toBe('rotated');
    expect(await lookup(k2.value)).toBe(403);
  });

  it('API-key overlap: a key the hook cannot use is revoked again and current stays as it was', async () => {
    const name = `vendor/${tag}/broken-key`;
    await store.put(name, 'initial');
    const hookFile = join(dir, 'failing-hook.mjs');
    writeFileSync(
      hookFile,
      `export const create = async () => ({ value: 'k-' + Math.random(), keyId: 'id-1' });\nexport const test = async () => ({ ok: false });\nexport const revoke = async () => { globalThis.__svmRevoked = (globalThis.__svmRevoked ?? 0) + 1; return { ok: true }; };\n`,
    );
    const before = await store.get(name);
    const run = await rotate(
      { id: `broken-${tag}`, type: 'api-key', name, rotation: { hook: hookFile } },
      { store, journal, target: target() },
    );
    expect(run?.outcome).toBe('rolled-back');
    expect(run?.error?.code).toBe('VERIFICATION_FAILED');
    expect((await store.get(name)).version).toBe(before.version);
    expect((globalThis as { __svmRevoked?: number }).__svmRevoked).toBe(1);
  });
});
