// One real write-then-read per server started by scripts/services.sh.
// Each SDK is imported inside its own test: a skipped server costs nothing, and an SDK
// that fails to load fails only its own server's test.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { requireService, type ServiceName, type Services } from '../src/index.ts';

// requireService throws under CI when a server is missing. Catch it here so that error
// fails only that server's test instead of the whole file's collection.
function lookup<N extends ServiceName>(name: N): { svc?: Services[N]; error?: unknown } {
  try {
    return { svc: requireService(name) };
  } catch (error) {
    return { error };
  }
}
function need<T>(s: { svc?: T; error?: unknown }): T {
  if (s.svc === undefined) throw s.error;
  return s.svc;
}
const absent = (s: { svc?: unknown; error?: unknown }) => s.svc === undefined && s.error === undefined;

const id = `svm-roundtrip-${randomUUID().slice(0, 8)}`;
const value = `value-${randomUUID()}`;

const bao = lookup('openbao');
describe.skipIf(absent(bao))('openbao', () => {
  it('KV v2: write then read', async () => {
    const { addr, token, kvMount } = need(bao);
    const url = `${addr}/v1/${kvMount}/data/${id}`;
    const headers = { 'X-Vault-Token': token, 'Content-Type': 'application/json' };
    const put = await fetch(url, { method: 'PUT', headers, body: JSON.stringify({ data: { value } }) });
    expect(put.status).toBe(200);
    const got = await fetch(url, { headers });
    expect(got.status).toBe(200);
    const body = (await got.json()) as { data: { data: { value: string }; metadata: { version: number } } };
    expect(body.data.data.value).toBe(value);
    expect(body.data.metadata.version).toBe(1);
  });
});

const moto = lookup('moto');
describe.skipIf(absent(moto))('moto (AWS Secrets Manager)', () => {
  it('CreateSecret then GetSecretValue', async () => {
    const m = need(moto);
    const { CreateSecretCommand, DeleteSecretCommand, GetSecretValueCommand, SecretsManagerClient } = await import(
      '@aws-sdk/client-secrets-manager'
    );
    const client = new SecretsManagerClient({
      endpoint: m.endpoint,
      region: m.region,
      credentials: { accessKeyId: m.accessKeyId, secretAccessKey: m.secretAccessKey },
    });
    try {
      await client.send(new CreateSecretCommand({ Name: id, SecretString: value }));
      const out = await client.send(new GetSecretValueCommand({ SecretId: id }));
      expect(out.SecretString).toBe(value);
      expect(out.VersionStages).toContain('AWSCURRENT');
      await client.send(new DeleteSecretCommand({ SecretId: id, ForceDeleteWithoutRecovery: true }));
    } finally {
      client.destroy();
    }
  });
});

const lowkey = lookup('lowkey');
describe.skipIf(absent(lowkey))('lowkey-vault (Azure Key Vault)', () => {
  it('setSecret then getSecret', async () => {
    const l = need(lowkey);
    const { SecretClient } = await import('@azure/keyvault-secrets');
    // lowkey-vault accepts any bearer token; the SDK only needs something to send.
    const credential: TokenCredential = {
      getToken: async (): Promise<AccessToken> => ({ token: 'dummy', expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    const client = new SecretClient(l.url, credential, {
      // the challenge's resource is not *.vault.azure.net
      disableChallengeResourceVerification: true,
      // trust lowkey's self-signed certificate instead of turning verification off
      tlsOptions: { ca: readFileSync(l.caFile, 'utf8') },
    });
    await client.setSecret(id, value);
    const got = await client.getSecret(id);
    expect(got.value).toBe(value);
  });
});

const gcp = lookup('gcp');
describe.skipIf(absent(gcp))('GCP Secret Manager on drongo (REST)', () => {
  it('createSecret + addSecretVersion then accessSecretVersion', async () => {
    const g = need(gcp);
    const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager');
    const { OAuth2Client } = await import('google-auth-library');
    // drongo serves REST only: google-gax's fallback transport over plain HTTP, with a fixed token.
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'drongo', expiry_date: Date.now() + 3_600_000 });
    const client = new SecretManagerServiceClient({
      apiEndpoint: g.host,
      port: g.port,
      protocol: 'http',
      fallback: true,
      authClient,
    });
    try {
      const [secret] = await client.createSecret({
        parent: `projects/${g.project}`,
        secretId: id,
        secret: { replication: { automatic: {} } },
      });
      await client.addSecretVersion({ parent: secret.name!, payload: { data: Buffer.from(value) } });
      const [version] = await client.accessSecretVersion({ name: `${secret.name}/versions/latest` });
      expect(Buffer.from(version.payload!.data as Uint8Array).toString()).toBe(value);
    } finally {
      await client.close();
    }
  });
});

const postgres = lookup('postgres');
describe.skipIf(absent(postgres))('postgres', () => {
  it('create table, insert, select', async () => {
    const url = need(postgres).url;
    // Not `import pg from 'pg'`: the root vitest config runs Node with `--conditions import`,
    // under which pg's CommonJS entry `require('pg-pool')` gets pg-pool's ESM build and throws
    // "Class extends value [object Module]". pg/lib/client.js (an exported subpath) has no pg-pool.
    const clientModule = 'pg/lib/client.js';
    const { default: Client } = (await import(clientModule)) as { default: typeof import('pg').Client };
    const client = new Client({ connectionString: url });
    await client.connect();
    const table = id.replaceAll('-', '_');
    try {
      await client.query(`CREATE TABLE ${table} (k text PRIMARY KEY, v text NOT NULL)`);
      await client.query(`INSERT INTO ${table} (k, v) VALUES ($1, $2)`, ['x', value]);
      const res = await client.query<{ v: string }>(`SELECT v FROM ${table} WHERE k = $1`, ['x']);
      expect(res.rows).toEqual([{ v: value }]);
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.end();
    }
  });
});
