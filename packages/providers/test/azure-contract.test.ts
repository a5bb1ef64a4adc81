// The Azure adapter and SDK against the specification contract server: the challenge, update of attributes and
// tags, restore of a soft-deleted secret, purge, and proof that the server refuses requests the specification
// does not allow (so the conformance run would fail if the adapter sent one).
import { request } from 'node:https';
import { SecretClient } from '@azure/keyvault-secrets';
import { type AzureKvContractServer, startAzureKvContractServer } from '@svm/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';

/** An @azure/core-rest-pipeline policy (typed here: that package is not a direct dependency). */
interface PipelinePolicy {
  name: string;
  sendRequest(req: { url: string; body?: unknown }, next: (req: any) => Promise<any>): Promise<any>;
}

let kv: AzureKvContractServer;
beforeAll(async () => {
  kv = await startAzureKvContractServer({ pageSize: 2 });
});
afterAll(async () => {
  await kv.close();
});

const client = (policy?: PipelinePolicy, serviceVersion = kv.apiVersion): SecretClient =>
  new SecretClient(kv.url, kv.credential, {
    serviceVersion: serviceVersion as never,
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: kv.caPem },
    retryOptions: { maxRetries: 0 },
    ...(policy ? { additionalPolicies: [{ policy, position: 'perRetry' as const }] } : {}),
  } as never);
const store = () =>
  openStore(`azure-kv://contract?url=${encodeURIComponent(kv.url)}`, {
    env: {},
    azure: { credential: kv.credential, caCert: kv.caPem, serviceVersion: kv.apiVersion },
    retry: { retries: 0 },
  });

describe('azure key vault contract server', () => {
  it('answers an unauthenticated request with 401 and the Key Vault bearer challenge', async () => {
    const res = await new Promise<{ status: number; challenge: string }>((resolve, reject) => {
      const req = request(`${kv.url}/secrets?api-version=${kv.apiVersion}`, { ca: kv.caPem }, (r) => {
        r.resume();
        resolve({ status: r.statusCode ?? 0, challenge: String(r.headers['www-authenticate']) });
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(401);
    expect(res.challenge).toMatch(
      /^Bearer authorization="https:\/\/login\.microsoftonline\.com\/[^"]+", resource="https:\/\/vault\.azure\.net"$/,
    );
  });

  it('updates attributes and tags of a version; a disabled version cannot be read', async () => {
    const c = client();
    const set = await c.setSecret('contract-update', 'v', { tags: { team: 'a' } });
    await c.updateSecretProperties('contract-update', set.properties.version as string, {
      tags: { team: 'b', env: 'prod' },
      enabled: false,
    });
    const props = [];
    for await (const p of c.listPropertiesOfSecretVersions('contract-update')) props.push(p);
    expect(props.map((p) => [p.tags, p.enabled])).toEqual([[{ team: 'b', env: 'prod' }, false]]);
    await expect(c.getSecret('contract-update')).rejects.toMatchObject({ statusCode: 403 });
    expect(kv.violations).toEqual([]);
  });

  it('restores a soft-deleted secret with its versions through the adapter; a put on a deleted name is a conflict', async () => {
    const s = await store();
    const v1 = await s.put('contract-restore', 'one');
    const v2 = await s.put('contract-restore', 'two');
    await s.delete('contract-restore');
    await expect(s.get('contract-restore')).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
    await expect(s.put('contract-restore', 'three')).rejects.toMatchObject({ code: 'CONFLICT' });
    await s.restore!('contract-restore');
    expect((await s.get('contract-restore')).value).toBe('two');
    expect((await s.versions('contract-restore')).map((v) => v.version)).toEqual([v2.version, v1.version]);
    await s.destroy('contract-restore'); // delete + purge
    await expect(s.restore!('contract-restore')).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
    expect(kv.violations).toEqual([]);
    await s.close();
  });

  describe('refuses requests the specification does not allow', () => {
    const refused = async (c: SecretClient, reason: RegExp): Promise<void> => {
      const before = kv.violations.length;
      await expect(c.setSecret('contract-bad', 'x')).rejects.toMatchObject({
        statusCode: 400,
        code: 'ContractViolation',
      });
      expect(kv.violations.slice(before).join('\n')).toMatch(reason);
      kv.violations.length = before; // these were on purpose
    };

    it('a request without api-version', async () => {
      // The SDK re-adds a missing api-version after every client policy, so this request is sent by hand.
      const before = kv.violations.length;
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          `${kv.url}/secrets/contract-bad`,
          {
            method: 'PUT',
            ca: kv.caPem,
            headers: { authorization: `Bearer ${kv.token}`, 'content-type': 'application/json' },
          },
          (r) => {
            let body = '';
            r.on('data', (c) => (body += c));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ value: 'x' }));
      });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error.code).toBe('ContractViolation');
      expect(kv.violations.slice(before).join('\n')).toMatch(/required query parameter 'api-version' is missing/);
      kv.violations.length = before;
    });

    it('another api-version than the specification’s', async () => {
      await refused(client(undefined, '7.4'), /api-version '7\.4' is not the specification's 2025-07-01/);
    });

    it('a body field the schema does not declare, or declares readOnly', async () => {
      const body = (extra: object): PipelinePolicy => ({
        name: 'extra-field',
        sendRequest: (req, next) => (
          (req.body = JSON.stringify({ ...JSON.parse(String(req.body)), ...extra })), next(req)
        ),
      });
      await refused(client(body({ bogus: 1 })), /must NOT have additional properties 'bogus'/);
      await refused(
        client(body({ attributes: { created: 1 } })),
        /body\/attributes must NOT have additional properties 'created'/,
      );
    });

    it('a secret name outside the path pattern, and an unknown route', async () => {
      const before = kv.violations.length;
      await expect(client().setSecret('bad_name', 'x')).rejects.toMatchObject({ statusCode: 400 });
      await expect(
        client({
          name: 'wrong-route',
          sendRequest: (req, next) => ((req.url = req.url.replace('/secrets/', '/secretz/')), next(req)),
        }).getSecret('x'),
      ).rejects.toMatchObject({ statusCode: 404, code: 'ContractViolation' });
      expect(kv.violations.slice(before).join('\n')).toMatch(
        /does not match \^\[0-9a-zA-Z-\]\+\$[\s\S]*no operation of the specification matches \/secretz\/x/,
      );
      kv.violations.length = before;
    });
  });
});
