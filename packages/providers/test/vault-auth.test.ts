// Vault logins against the real OpenBao dev server: AppRole from the environment, and a fresh login when
// the token is revoked under the store (403 → login again → retry).
import { randomBytes } from 'node:crypto';
import { requireService } from '@svm/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';

const bao = requireService('openbao');

async function api(method: string, path: string, token: string, body?: unknown): Promise<any> {
  const res = await fetch(`${bao!.addr}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok && res.status !== 204) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

describe.skipIf(!bao)('vault auth on OpenBao', () => {
  const mount = `approle-${randomBytes(3).toString('hex')}`;
  const policy = `svm-test-${randomBytes(3).toString('hex')}`;
  const prefix = `svm-auth-${Date.now().toString(36)}`;
  let roleId = '';
  let secretId = '';

  beforeAll(async () => {
    const root = bao!.token;
    await api('POST', `sys/auth/${mount}`, root, { type: 'approle' });
    await api('PUT', `sys/policies/acl/${policy}`, root, {
      policy: `path "${bao!.kvMount}/*" { capabilities = ["create", "read", "update", "delete", "list"] }`,
    });
    await api('POST', `auth/${mount}/role/svm`, root, { token_policies: [policy], token_ttl: '1h' });
    roleId = (await api('GET', `auth/${mount}/role/svm/role-id`, root)).data.role_id;
    secretId = (await api('POST', `auth/${mount}/role/svm/secret-id`, root)).data.secret_id;
  });
  afterAll(async () => {
    await api('DELETE', `sys/auth/${mount}`, bao!.token).catch(() => undefined);
    await api('DELETE', `sys/policies/acl/${policy}`, bao!.token).catch(() => undefined);
  });

  const uri = (): string => `vault+http://${bao!.addr.replace(/^https?:\/\//, '')}/${bao!.kvMount}`;

  it('logs in with AppRole from VAULT_ROLE_ID / VAULT_SECRET_ID and reads and writes', async () => {
    const store = await openStore(uri(), {
      env: { VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: secretId, VAULT_APPROLE_MOUNT: mount },
    });
    await store.put(`${prefix}/a`, 'approle-value');
    expect((await store.get(`${prefix}/a`)).value).toBe('approle-value');
    await store.destroy(`${prefix}/a`);
    await store.close();
  });

  it('logs in again when its token is revoked, and the call succeeds', async () => {
    const store = await openStore(uri(), { vault: { auth: { method: 'approle', roleId, secretId, mount } }, env: {} });
    await store.put(`${prefix}/b`, 'before');
    // Revoke every token of the role: the store's token now answers 403.
    await api('PUT', `sys/leases/revoke-prefix/auth/${mount}/login`, bao!.token);
    const oldToken = (store as unknown as { client: { token: string } }).client.token;
    await expect(api('GET', 'auth/token/lookup-self', oldToken)).rejects.toThrow(/403/);
    expect((await store.get(`${prefix}/b`)).value).toBe('before');
    expect((store as unknown as { client: { token: string } }).client.token).not.toBe(oldToken);
    await store.destroy(`${prefix}/b`);
    await store.close();
  });

  it('a wrong token is ACCESS_DENIED; no credentials is CREDENTIALS_MISSING', async () => {
    const wrong = await openStore(uri(), { env: { VAULT_TOKEN: 'not-a-token' } });
    await expect(wrong.get(`${prefix}/x`)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await expect(openStore(uri(), { env: {} })).rejects.toMatchObject({ code: 'CREDENTIALS_MISSING' });
  });
});
