import { randomBytes } from 'node:crypto';
import { Requirements } from '@svm/core';
import { requireService } from '@svm/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, planApply } from '../src/apply/apply.js';
import { createVaultClient } from '../src/apply/client.js';
import { generateConfig } from '../src/generate/plan.js';

// environment_layout: namespace against the real OpenBao server (namespaces are in OpenBao since 2.3):
// each environment is a namespace, apply sends X-Vault-Namespace, and a token from one namespace cannot read
// the other namespace's secrets.

const bao = requireService('openbao');
const run = `n${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const ENVS = [`dev${run}`, `prod${run}`];
const APP = `web-${run}`;

async function http(method: string, path: string, token: string, namespace?: string, body?: unknown) {
  const headers: Record<string, string> = { 'X-Vault-Token': token };
  if (namespace) headers['X-Vault-Namespace'] = namespace;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${bao?.addr}/v1/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}
async function root(method: string, path: string, namespace?: string, body?: unknown) {
  const r = await http(method, path, bao?.token ?? '', namespace, body);
  if (r.status >= 300) throw new Error(`${method} ${namespace ?? ''}/${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

describe.skipIf(!bao)('environment_layout: namespace, applied to OpenBao namespaces', () => {
  const config = generateConfig(
    Requirements.parse({
      applications: [
        {
          name: APP,
          environments: ENVS,
          environment_layout: 'namespace',
          auth: [{ method: 'approle' }],
          secrets: [{ kind: 'kv', path: 'api-keys', access: ['read'] }],
        },
      ],
    }),
  );
  const api = createVaultClient({ address: bao?.addr ?? '', token: bao?.token ?? '' });

  beforeAll(async () => {
    for (const ns of ENVS) {
      await root('POST', `sys/namespaces/${ns}`, undefined, {});
      await root('POST', 'sys/mounts/secret', ns, { type: 'kv', options: { version: '2' } });
      await root('POST', 'sys/auth/approle', ns, { type: 'approle' });
      await root('POST', `secret/data/${APP}/api-keys`, ns, { data: { key: `test-${ns}` } });
    }
  });

  afterAll(async () => {
    if (!bao) return;
    for (const ns of ENVS) {
      await http('DELETE', 'sys/auth/approle', bao.token, ns);
      await http('DELETE', 'sys/mounts/secret', bao.token, ns);
      await http('DELETE', `sys/namespaces/${ns}`, bao.token);
    }
  });

  it('applies one policy and role per namespace, idempotently', async () => {
    expect(config.policies.map((p) => [p.namespace, p.name])).toEqual(ENVS.map((ns) => [ns, `${APP}-read`]));
    const plan = await planApply(config, api);
    expect(plan.summary).toEqual({ create: 4, update: 0, unchanged: 0 });
    expect((await applyPlan(plan, api)).written).toBe(4);
    expect((await planApply(config, api)).summary).toEqual({ create: 0, update: 0, unchanged: 4 });
    // Nothing leaked into the root namespace.
    expect((await http('GET', `sys/policies/acl/${APP}-read`, bao?.token ?? '')).status).toBe(404);
  });

  it('a token from the dev namespace reads dev and is refused in prod', async () => {
    const [dev, prod] = ENVS as [string, string];
    const roleId = (await root('GET', `auth/approle/role/${APP}/role-id`, dev)).data.role_id as string;
    const secretId = (await root('POST', `auth/approle/role/${APP}/secret-id`, dev, {})).data.secret_id as string;
    const login = await http('POST', 'auth/approle/login', '', dev, { role_id: roleId, secret_id: secretId });
    expect(login.status).toBe(200);
    const token = login.json.auth.client_token as string;
    expect((await http('GET', `secret/data/${APP}/api-keys`, token, dev)).status).toBe(200);
    expect((await http('GET', `secret/data/${APP}/api-keys`, token, prod)).status).toBe(403);
    expect((await http('GET', 'sys/mounts', token, dev)).status).toBe(403);
  });
});
