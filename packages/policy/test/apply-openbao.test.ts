import { randomBytes } from 'node:crypto';
import { Requirements } from '@svm/core';
import { requireService } from '@svm/test-harness';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, planApply } from '../src/apply/apply.js';
import { createVaultClient } from '../src/apply/client.js';
import { generateConfig } from '../src/generate/plan.js';
import { lintGeneratedConfig } from '../src/lint/lint.js';

// Apply a generated multi-app configuration to the real OpenBao server, log in through AppRole and JWT
// (a test JWT signed with a local key; the JWT auth method trusts its public key), and check that allowed
// reads succeed and denied ones get 403. Mounts and names are unique per run so reruns start clean.

const bao = requireService('openbao');
const run = `t${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const KV = `kv-${run}`;
const APPROLE = `approle-${run}`;
const JWT = `jwt-${run}`;
const BILLING = `billing-${run}`;
const DEPLOYER = `deployer-${run}`;
const ISSUER = 'https://token.actions.githubusercontent.com';
const AUDIENCE = 'https://github.com/acme';

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

async function root(method: string, path: string, body?: unknown) {
  const r = await http(method, path, bao?.token ?? '', body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

const requirements = Requirements.parse({
  defaults: { kv_mount: KV },
  applications: [
    {
      name: BILLING,
      environments: ['staging', 'production'],
      auth: [{ method: 'approle', mount: APPROLE }],
      secrets: [
        { kind: 'kv', path: 'api-keys', access: ['read'] },
        { kind: 'kv', path: 'config/*', access: ['read', 'list'] },
      ],
    },
    {
      name: DEPLOYER,
      environments: ['staging', 'production'],
      access_level: 'deploy',
      auth: [
        {
          method: 'jwt',
          mount: JWT,
          repository: 'acme/platform',
          ref: 'refs/heads/main',
          environment: '{env}',
          audience: AUDIENCE,
        },
      ],
      secrets: [{ kind: 'kv', path: 'deploy-token', access: ['read', 'write'] }],
    },
  ],
});

describe.skipIf(!bao)('svm policy apply against the real OpenBao server', () => {
  const config = generateConfig(requirements);
  const api = createVaultClient({ address: bao?.addr ?? '', token: bao?.token ?? '' });
  let privateKey: CryptoKey;

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256');
    privateKey = keys.privateKey as CryptoKey;
    await root('POST', `sys/mounts/${KV}`, { type: 'kv', options: { version: '2' } });
    await root('POST', `sys/auth/${APPROLE}`, { type: 'approle' });
    await root('POST', `sys/auth/${JWT}`, { type: 'jwt' });
    await root('POST', `auth/${JWT}/config`, {
      jwt_validation_pubkeys: [await exportSPKI(keys.publicKey)],
      bound_issuer: ISSUER,
    });
    for (const env of ['staging', 'production']) {
      await root('POST', `${KV}/data/${env}/${BILLING}/api-keys`, { data: { stripe: `test-${env}` } });
      await root('POST', `${KV}/data/${env}/${BILLING}/config/app`, { data: { level: 'info' } });
      await root('POST', `${KV}/data/${env}/${DEPLOYER}/deploy-token`, { data: { token: `test-${env}` } });
    }
  });

  afterAll(async () => {
    if (!bao) return;
    for (const m of [`sys/auth/${APPROLE}`, `sys/auth/${JWT}`, `sys/mounts/${KV}`]) await http('DELETE', m, bao.token);
    for (const p of config.policies) await http('DELETE', `sys/policies/acl/${p.name}`, bao.token);
  });

  it('the configuration lints clean at medium and above', () => {
    expect(lintGeneratedConfig(config).filter((f) => !['info', 'low'].includes(f.severity))).toEqual([]);
  });

  it('shows the difference first, applies it, and a second apply changes nothing', async () => {
    const first = await planApply(config, api);
    expect(first.summary).toEqual({ create: config.policies.length + config.roles.length, update: 0, unchanged: 0 });
    const dry = await planApply(config, api); // a dry run writes nothing
    expect(dry.summary.create).toBe(first.summary.create);
    const applied = await applyPlan(first, api);
    expect(applied.written).toBe(8);
    const second = await planApply(config, api);
    expect(second.items.filter((i) => i.action !== 'unchanged').map((i) => [i.request.path, i.changes])).toEqual([]);
    expect((await applyPlan(second, api)).written).toBe(0);
  });

  it('stops before writing anything when an auth mount is missing, and says how to enable it', async () => {
    const missing = generateConfig(
      Requirements.parse({
        applications: [
          { name: `x-${run}`, auth: [{ method: 'approle', mount: `nope-${run}` }], secrets: [{ kind: 'pki' }] },
        ],
      }),
    );
    await expect(planApply(missing, api)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `no auth method is enabled at auth/nope-${run}/: enable it first (vault auth enable -path=nope-${run} approle); nothing was written`,
    });
    expect((await http('GET', `sys/policies/acl/x-${run}-read`, bao?.token ?? '')).status).toBe(404);
  });

  it('detects drift on the server and repairs it', async () => {
    const role = `auth/${APPROLE}/role/${BILLING}-production`;
    await root('POST', role, { token_ttl: 7200, secret_id_num_uses: 0 });
    const drift = await planApply(config, api);
    const item = drift.items.find((i) => i.request.path === role);
    expect(item?.action).toBe('update');
    expect(item?.changes.map((c) => [c.field, c.from, c.to])).toEqual([
      ['secret_id_num_uses', 0, 1],
      ['token_ttl', 7200, 3600],
    ]);
    expect((await applyPlan(drift, api)).written).toBe(1);
    expect((await planApply(config, api)).summary.update).toBe(0);
  });

  it('AppRole login: reads its own secrets, is refused (403) elsewhere', async () => {
    const roleName = `${BILLING}-production`;
    const roleId = (await root('GET', `auth/${APPROLE}/role/${roleName}/role-id`)).data.role_id as string;
    const secretId = (await root('POST', `auth/${APPROLE}/role/${roleName}/secret-id`, {})).data.secret_id as string;
    const login = await http('POST', `auth/${APPROLE}/login`, '', { role_id: roleId, secret_id: secretId });
    expect(login.status).toBe(200);
    const token = login.json.auth.client_token as string;
    expect(login.json.auth.policies).toContain(`${BILLING}-production-read`);
    expect(login.json.auth.lease_duration).toBe(3600);

    expect((await http('GET', `${KV}/data/production/${BILLING}/api-keys`, token)).status).toBe(200);
    expect((await http('GET', `${KV}/data/production/${BILLING}/config/app`, token)).status).toBe(200);
    expect((await http('LIST', `${KV}/metadata/production/${BILLING}/config/`, token)).status).toBe(200);
    // The explicit sys/* deny does not break `vault kv get`: its mount preflight still answers.
    expect((await http('GET', `sys/internal/ui/mounts/${KV}/production/${BILLING}/api-keys`, token)).status).toBe(200);
    // Nor token self-service from the default policy (exact paths win over the sys/* prefix).
    expect(
      (await http('POST', 'sys/capabilities-self', token, { paths: [`${KV}/data/production/${BILLING}/api-keys`] }))
        .json.capabilities,
    ).toEqual(['read']);
    for (const path of [
      `${KV}/data/staging/${BILLING}/api-keys`, // another environment
      `${KV}/data/production/${DEPLOYER}/deploy-token`, // another application
      'sys/mounts', // sys/
      `sys/policies/acl/${BILLING}-production-read`,
    ]) {
      expect((await http('GET', path, token)).status, path).toBe(403);
    }
    expect((await http('LIST', `${KV}/metadata/`, token)).status).toBe(403); // the KV mount root
    expect((await http('POST', `${KV}/data/production/${BILLING}/api-keys`, token, { data: { x: '1' } })).status).toBe(
      403,
    ); // read-only
    // secret_id_num_uses = 1: the SecretID is spent.
    expect(
      (await http('POST', `auth/${APPROLE}/login`, '', { role_id: roleId, secret_id: secretId })).status,
    ).toBeGreaterThanOrEqual(400);
  });

  async function githubJwt(environment: string, overrides: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT({
      repository: 'acme/platform',
      ref: 'refs/heads/main',
      environment,
      repository_owner: 'acme',
      ...overrides,
    })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(`repo:acme/platform:environment:${environment}`)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  }

  it('GitHub Actions JWT login: the environment and repository are bound, reads are scoped', async () => {
    const login = await http('POST', `auth/${JWT}/login`, '', {
      role: `${DEPLOYER}-production`,
      jwt: await githubJwt('production'),
    });
    expect(login.status).toBe(200);
    const token = login.json.auth.client_token as string;
    expect(login.json.auth.lease_duration).toBe(600);
    expect((await http('GET', `${KV}/data/production/${DEPLOYER}/deploy-token`, token)).status).toBe(200);
    expect(
      (await http('POST', `${KV}/data/production/${DEPLOYER}/deploy-token`, token, { data: { token: 'rotated' } }))
        .status,
    ).toBe(200);
    expect((await http('GET', `${KV}/data/staging/${DEPLOYER}/deploy-token`, token)).status).toBe(403);
    expect((await http('GET', `${KV}/data/production/${BILLING}/api-keys`, token)).status).toBe(403);
    expect((await http('GET', 'sys/auth', token)).status).toBe(403);

    // A staging job cannot log in to the production role; neither can another repository.
    // OpenBao answers a claim mismatch with 400 ("error validating claims"); either way no token is issued.
    const staging = await http('POST', `auth/${JWT}/login`, '', {
      role: `${DEPLOYER}-production`,
      jwt: await githubJwt('staging'),
    });
    expect([400, 403]).toContain(staging.status);
    expect(staging.json.auth ?? null).toBeNull();
    const fork = await githubJwt('production', { repository: 'evil/platform' });
    const forked = await http('POST', `auth/${JWT}/login`, '', { role: `${DEPLOYER}-production`, jwt: fork });
    expect([400, 403]).toContain(forked.status);
    expect(forked.json.auth ?? null).toBeNull();
  });
});
