import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Requirements } from '@svm/core';
import { requireService, servicesDir } from '@svm/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planApply } from '../src/apply/apply.js';
import { createVaultClient } from '../src/apply/client.js';
import { generateConfig } from '../src/generate/plan.js';
import { renderTargets } from '../src/generate/targets.js';

// The generated `bao` script, run with the real bao CLI against the real server, must produce exactly what the
// API bodies describe: afterwards `apply` finds every policy and role unchanged (AppRole, Kubernetes, JWT with
// bound_claims through JSON on stdin, OIDC).

const bao = requireService('openbao');
const baoBin = bao ? join(servicesDir(), 'venv', 'bin', 'bao') : '';
const run = `s${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const MOUNTS = { approle: `approle-${run}`, kubernetes: `k8s-${run}`, jwt: `jwt-${run}`, oidc: `oidc-${run}` };

async function root(method: string, path: string, body?: unknown) {
  const res = await fetch(`${bao?.addr}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': bao?.token ?? '', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

describe.skipIf(!bao || !existsSync(baoBin))('the generated bao script, run with the real bao CLI', () => {
  const config = generateConfig(
    Requirements.parse({
      applications: [
        {
          name: `pay-${run}`,
          environments: ['staging', 'production'],
          auth: [
            {
              method: 'approle',
              mount: MOUNTS.approle,
              secret_id_bound_cidrs: ['10.0.0.0/8', '192.168.0.0/16'],
              token_ttl: '30m',
            },
            {
              method: 'kubernetes',
              mount: MOUNTS.kubernetes,
              service_accounts: ['{app}', 'worker'],
              namespaces: ['pay-{env}'],
            },
          ],
          secrets: [{ kind: 'kv', path: 'api-keys', access: ['read', 'list'] }, { kind: 'database' }],
        },
        {
          name: `ci-${run}`,
          environments: ['production'],
          auth: [
            {
              method: 'jwt',
              mount: MOUNTS.jwt,
              repository: 'acme/platform',
              ref: 'refs/heads/main',
              audience: 'https://github.com/acme',
            },
          ],
          secrets: [{ kind: 'aws' }],
        },
        {
          name: `oncall-${run}`,
          auth: [
            {
              method: 'oidc',
              mount: MOUNTS.oidc,
              groups: ['oncall', 'sre'],
              redirect_uris: ['https://vault.example.com/ui/vault/auth/oidc/oidc/callback'],
            },
          ],
          secrets: [{ kind: 'ssh' }],
        },
      ],
    }),
  );

  beforeAll(async () => {
    await root('POST', `sys/auth/${MOUNTS.approle}`, { type: 'approle' });
    await root('POST', `sys/auth/${MOUNTS.kubernetes}`, { type: 'kubernetes' });
    await root('POST', `sys/auth/${MOUNTS.jwt}`, { type: 'jwt' });
    await root('POST', `sys/auth/${MOUNTS.oidc}`, { type: 'oidc' });
  });

  afterAll(async () => {
    for (const m of Object.values(MOUNTS)) await root('DELETE', `sys/auth/${m}`).catch(() => undefined);
    for (const p of config.policies) await root('DELETE', `sys/policies/acl/${p.name}`).catch(() => undefined);
  });

  it('writes exactly the configuration apply would write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-script-'));
    const script = join(dir, 'setup-bao.sh');
    writeFileSync(script, renderTargets(config, ['bao-script'])[0]?.content ?? '', { mode: 0o755 });
    execFileSync('bash', [script], {
      env: {
        PATH: `${join(servicesDir(), 'venv', 'bin')}:${process.env.PATH}`,
        BAO_ADDR: bao?.addr,
        BAO_TOKEN: bao?.token,
        HOME: dir,
      },
      stdio: 'pipe',
    });
    const plan = await planApply(config, createVaultClient({ address: bao?.addr ?? '', token: bao?.token ?? '' }));
    expect(plan.items.filter((i) => i.action !== 'unchanged').map((i) => [i.request.path, i.changes])).toEqual([]);
    expect(plan.summary.unchanged).toBe(config.policies.length + config.roles.length);
  });
});

describe.skipIf(!bao || !existsSync(baoBin))('the generated bao script configures PKI, SSH and transit engines', () => {
  const ENGINES = { pki: `pki-${run}`, ssh: `ssh-${run}`, transit: `transit-${run}` };
  const config = generateConfig(
    Requirements.parse({
      version: 2,
      applications: [],
      engines: {
        pki: [
          {
            mount: ENGINES.pki,
            root_ca: { common_name: 'svm script test root', ttl: '720h' },
            roles: [{ name: 'web', allowed_domains: ['web.svc.internal'], allow_subdomains: true, ttl: '72h' }],
          },
        ],
        ssh: [{ mount: ENGINES.ssh, roles: [{ name: 'oncall', allowed_users: ['oncall', 'deploy'] }] }],
        transit: [
          {
            mount: ENGINES.transit,
            keys: [
              { name: 'app', auto_rotate_period: '30d' },
              { name: 'sig', type: 'ed25519' },
            ],
          },
        ],
      },
    }),
  );

  afterAll(async () => {
    for (const m of Object.values(ENGINES)) await root('DELETE', `sys/mounts/${m}`).catch(() => undefined);
  });

  it('writes what apply would write, and a second run changes nothing (the CA is not regenerated)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-script-engines-'));
    const script = join(dir, 'setup-bao.sh');
    writeFileSync(script, renderTargets(config, ['bao-script'])[0]?.content ?? '', { mode: 0o755 });
    const runScript = () =>
      execFileSync('bash', [script], {
        env: {
          PATH: `${join(servicesDir(), 'venv', 'bin')}:${process.env.PATH}`,
          BAO_ADDR: bao?.addr,
          BAO_TOKEN: bao?.token,
          HOME: dir,
        },
        stdio: 'pipe',
      });
    const api = createVaultClient({ address: bao?.addr ?? '', token: bao?.token ?? '' });
    expect((await planApply(config, api)).summary.unchanged).toBe(0);
    runScript();
    const caPath = `${ENGINES.ssh}/config/ca`;
    const ca = await api.read(caPath);
    const plan = await planApply(config, api);
    expect(plan.items.filter((i) => i.action !== 'unchanged').map((i) => [i.request.path, i.changes])).toEqual([]);
    expect(plan.summary.unchanged).toBe(config.engines.length);
    runScript();
    expect((await api.read(caPath))?.public_key).toBe(ca?.public_key);
    expect((await planApply(config, api)).summary.unchanged).toBe(config.engines.length);
  });
});
