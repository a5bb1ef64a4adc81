// Runs the shared conformance suite against the file store and every adapter on its real server
// (scripts/services.sh up). A server that is not running is skipped locally and fails under CI=true.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { type AzureKvContractServer, requireService, startAzureKvContractServer } from '@svm/test-harness';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';
import { conformance } from './conformance.ts';

/**
 * requireService, but a missing server under CI=true fails only its own suite (one failing test saying
 * why) instead of the whole file, so the other adapters still report.
 */
function service<N extends Parameters<typeof requireService>[0]>(name: N): ReturnType<typeof requireService<N>> {
  try {
    return requireService(name);
  } catch (error) {
    describe(`${name} server`, () => {
      it('is running (required under CI=true)', () => {
        throw error;
      });
    });
    return undefined;
  }
}

conformance('file store (passphrase)', () =>
  openStore(`file://${join(mkdtempSync(join(tmpdir(), 'svm-conf-')), 'store.svm')}`, {
    env: {},
    file: { passphrase: 'conformance passphrase', scryptCost: 2 ** 14 },
  }),
);

const bao = service('openbao');
describe.skipIf(!bao)('openbao', () => {
  conformance(`vault kv v2 on OpenBao ${bao?.version}`, () =>
    openStore(`vault+http://${bao!.addr.replace(/^https?:\/\//, '')}/${bao!.kvMount}`, {
      env: { VAULT_TOKEN: bao!.token },
    }),
  );
});

const moto = service('moto');
describe.skipIf(!moto)('moto', () => {
  conformance(`aws secrets manager on moto ${moto?.version}`, () =>
    openStore(`aws-sm://${moto!.region}?endpoint=${encodeURIComponent(moto!.endpoint)}`, {
      env: {},
      aws: { credentials: { accessKeyId: moto!.accessKeyId, secretAccessKey: moto!.secretAccessKey } },
    }),
  );
});

const gcp = service('gcp');
describe.skipIf(!gcp)('gcp on drongo', () => {
  // REST transport (drongo has no gRPC), fixed-token OAuth2Client: see the GCP section of the README.
  conformance(`gcp secret manager on drongo ${gcp?.version} (REST)`, () =>
    openStore(`gcp-sm://${gcp!.project}?endpoint=${encodeURIComponent(gcp!.restUrl)}`, { env: {} }),
  );
});

/** lowkey-vault accepts any bearer token: a fixed one stands in for Entra ID. */
const emulatorCredential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({
    token: 'lowkey-vault-accepts-any-token',
    expiresOnTimestamp: Date.now() + 3_600_000,
  }),
};

const lowkey = service('lowkey');
describe.skipIf(!lowkey)('lowkey-vault', () => {
  conformance(`azure key vault on lowkey-vault ${lowkey?.version}`, () =>
    openStore(`azure-kv://localhost?url=${encodeURIComponent(lowkey!.url)}&ca=${encodeURIComponent(lowkey!.caFile)}`, {
      env: {},
      azure: { credential: emulatorCredential },
    }),
  );
});

// Azure Key Vault: proven against the published data-plane specification, not a running Key Vault. The contract
// server (@svm/test-harness) keeps real state and refuses any request the specification does not allow; the
// last case fails the suite if the adapter sent one.
describe('azure key vault on the specification contract server', () => {
  let kv: AzureKvContractServer | undefined;
  afterAll(async () => {
    await kv?.close();
  });
  conformance('azure key vault on the contract server (spec 2025-07-01)', async () => {
    kv = await startAzureKvContractServer({ pageSize: 2 });
    return openStore(`azure-kv://contract?url=${encodeURIComponent(kv.url)}`, {
      env: {},
      azure: { credential: kv.credential, caCert: kv.caPem, serviceVersion: kv.apiVersion },
    });
  });
  it('sent only requests the specification allows, and paged through nextLink', () => {
    expect(kv?.violations).toEqual([]);
    expect(kv?.requests.some((r) => /[?&](\$|%24)skiptoken=/.test(r))).toBe(true);
  });
});
