// Vault Kubernetes and JWT logins against the real OpenBao dev server. JWT: the auth method trusts a public key
// generated here, and the test signs the login JWT (RS256) with its private key. Kubernetes: the auth method's
// "Kubernetes API" is a tiny TokenReview endpoint served by this test on loopback, which authenticates exactly
// the service-account token the test hands the store (as a token file). Own mounts, so parallel runs never meet.
import { createSign, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireService } from '@svm/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';

const bao = requireService('openbao');

async function api(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${bao!.addr}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': bao!.token, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok && res.status !== 204) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

const b64url = (x: object | Buffer): string =>
  (Buffer.isBuffer(x) ? x : Buffer.from(JSON.stringify(x))).toString('base64url');
function signJwt(claims: object, privateKey: string): string {
  const head = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(privateKey).toString('base64url')}`;
}

describe.skipIf(!bao)('vault kubernetes and jwt logins on OpenBao', () => {
  const tag = randomBytes(3).toString('hex');
  const jwtMount = `svm-jwt-${tag}`;
  const k8sMount = `svm-k8s-${tag}`;
  const policy = `svm-k8s-jwt-${tag}`;
  const prefix = `svm-k8s-jwt-${Date.now().toString(36)}`;
  const uri = (): string => `vault+http://${bao!.addr.replace(/^https?:\/\//, '')}/${bao!.kvMount}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  // The service account the fake Kubernetes API vouches for.
  const sa = { namespace: 'svm-ns', name: 'svm-app', uid: randomUUID() };
  const saToken = signJwt(
    {
      iss: 'kubernetes/serviceaccount',
      sub: `system:serviceaccount:${sa.namespace}:${sa.name}`,
      'kubernetes.io/serviceaccount/namespace': sa.namespace,
      'kubernetes.io/serviceaccount/service-account.name': sa.name,
      'kubernetes.io/serviceaccount/service-account.uid': sa.uid,
      'kubernetes.io/serviceaccount/secret.name': `${sa.name}-token`,
    },
    privateKey,
  );
  const reviews: string[] = [];
  let kube: Server;

  beforeAll(async () => {
    kube = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.method !== 'POST' || !req.url?.startsWith('/apis/authentication.k8s.io/v1/tokenreviews')) {
          res.writeHead(404).end();
          return;
        }
        const review = JSON.parse(body) as { spec?: { token?: string } };
        reviews.push(req.headers.authorization ?? '');
        const ok = review.spec?.token === saToken;
        res.writeHead(201, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenReview',
            status: ok
              ? {
                  authenticated: true,
                  user: {
                    username: `system:serviceaccount:${sa.namespace}:${sa.name}`,
                    uid: sa.uid,
                    groups: ['system:serviceaccounts'],
                  },
                }
              : { authenticated: false, error: 'invalid token' },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => kube.listen(0, '127.0.0.1', resolve));
    const kubeUrl = `http://127.0.0.1:${(kube.address() as AddressInfo).port}`;

    await api('PUT', `sys/policies/acl/${policy}`, {
      policy: `path "${bao!.kvMount}/*" { capabilities = ["create", "read", "update", "delete", "list"] }`,
    });
    await api('POST', `sys/auth/${jwtMount}`, { type: 'jwt' });
    await api('POST', `auth/${jwtMount}/config`, {
      jwt_validation_pubkeys: [publicKey],
      bound_issuer: 'https://ci.svm.test',
    });
    await api('POST', `auth/${jwtMount}/role/ci`, {
      role_type: 'jwt',
      user_claim: 'sub',
      bound_audiences: ['svm'],
      bound_claims: { repository: 'svm/app' },
      token_policies: [policy],
      token_ttl: '1h',
    });
    await api('POST', `sys/auth/${k8sMount}`, { type: 'kubernetes' });
    // The plugin insists on a CA certificate outside a pod; the fake API is plain HTTP, so any certificate will do.
    const dir = mkdtempSync(join(tmpdir(), 'svm-k8s-ca-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=svm-test-kube',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.pem'),
      ],
      { stdio: 'ignore' },
    );
    await api('POST', `auth/${k8sMount}/config`, {
      kubernetes_host: kubeUrl,
      kubernetes_ca_cert: readFileSync(join(dir, 'c.pem'), 'utf8'),
      token_reviewer_jwt: 'svm-reviewer-token',
      disable_local_ca_jwt: true,
    });
    await api('POST', `auth/${k8sMount}/role/app`, {
      bound_service_account_names: [sa.name],
      bound_service_account_namespaces: [sa.namespace],
      token_policies: [policy],
      token_ttl: '1h',
    });
  });
  afterAll(async () => {
    await api('DELETE', `sys/auth/${jwtMount}`).catch(() => undefined);
    await api('DELETE', `sys/auth/${k8sMount}`).catch(() => undefined);
    await api('DELETE', `sys/policies/acl/${policy}`).catch(() => undefined);
    await new Promise((resolve) => kube?.close(resolve));
  });

  const ciJwt = (claims: object = {}): string =>
    signJwt(
      {
        iss: 'https://ci.svm.test',
        sub: 'repo:svm/app:ref:refs/heads/main',
        aud: 'svm',
        repository: 'svm/app',
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 300,
        ...claims,
      },
      privateKey,
    );

  it('logs in with JWT from VAULT_JWT_ROLE / VAULT_JWT / VAULT_JWT_MOUNT and reads and writes', async () => {
    const store = await openStore(uri(), {
      env: { VAULT_JWT_ROLE: 'ci', VAULT_JWT: ciJwt(), VAULT_JWT_MOUNT: jwtMount },
    });
    await store.put(`${prefix}/jwt`, 'jwt-value');
    expect((await store.get(`${prefix}/jwt`)).value).toBe('jwt-value');
    await store.destroy(`${prefix}/jwt`);
    await store.close();
  });

  it('a JWT with the wrong audience, a wrong bound claim or a foreign key is refused (ACCESS_DENIED)', async () => {
    const { privateKey: foreign } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    for (const jwt of [
      ciJwt({ aud: 'other' }),
      ciJwt({ repository: 'evil/app' }),
      signJwt(
        {
          iss: 'https://ci.svm.test',
          sub: 'x',
          aud: 'svm',
          repository: 'svm/app',
          exp: Math.floor(Date.now() / 1000) + 300,
        },
        foreign,
      ),
    ]) {
      const attempt = openStore(uri(), {
        vault: { auth: { method: 'jwt', role: 'ci', jwt, mount: jwtMount } },
        env: {},
        retry: { retries: 0 },
      }).then((s) => s.get(`${prefix}/x`));
      await expect(attempt).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    }
  });

  it('logs in with Kubernetes from VAULT_K8S_ROLE and a token file; OpenBao asks the TokenReview API', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'svm-k8s-')), 'token');
    writeFileSync(file, `${saToken}\n`, { mode: 0o600 });
    const before = reviews.length;
    const store = await openStore(uri(), {
      env: { VAULT_K8S_ROLE: 'app', VAULT_K8S_TOKEN_FILE: file, VAULT_K8S_MOUNT: k8sMount },
    });
    await store.put(`${prefix}/k8s`, 'k8s-value');
    expect((await store.get(`${prefix}/k8s`)).value).toBe('k8s-value');
    expect(reviews.length).toBeGreaterThan(before);
    expect(reviews.at(-1)).toBe('Bearer svm-reviewer-token');
    await store.destroy(`${prefix}/k8s`);
    await store.close();
  });

  it('a service-account token the Kubernetes API does not vouch for is refused', async () => {
    const other = signJwt(
      {
        iss: 'kubernetes/serviceaccount',
        sub: `system:serviceaccount:${sa.namespace}:${sa.name}`,
        'kubernetes.io/serviceaccount/namespace': sa.namespace,
        'kubernetes.io/serviceaccount/service-account.name': sa.name,
        'kubernetes.io/serviceaccount/service-account.uid': sa.uid,
        nonce: 'x',
      },
      privateKey,
    );
    const attempt = openStore(uri(), {
      vault: { auth: { method: 'kubernetes', role: 'app', jwt: other, mount: k8sMount } },
      env: {},
      retry: { retries: 0 },
    }).then((s) => s.get(`${prefix}/x`));
    await expect(attempt).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
  });
});
