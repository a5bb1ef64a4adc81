// Every remote adapter loads its SDK, builds its client and maps a refused connection to a typed,
// value-free error. (The servers themselves are exercised by conformance.test.ts.)
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { isSvmError } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/index.ts';

const VALUE = 'UNREACHABLE-CANARY-VALUE';
const retry = { retries: 1, baseDelayMs: 1, timeoutMs: 8000 };
const credential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }),
};

const cases: Array<[string, string, Parameters<typeof openStore>[1]]> = [
  ['vault', 'vault+http://127.0.0.1:1/secret', { env: { VAULT_TOKEN: 't' }, retry }],
  [
    'aws',
    'aws-sm://us-east-1?endpoint=http://127.0.0.1:1',
    { env: {}, aws: { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }, retry },
  ],
  ['gcp', 'gcp-sm://svm-test?endpoint=127.0.0.1:1&insecure=true', { env: {}, retry }],
  ['azure', 'azure-kv://localhost?url=https://127.0.0.1:1', { env: {}, azure: { credential }, retry }],
];

describe('unreachable stores', () => {
  for (const [label, uri, options] of cases) {
    it(`${label}: put to a closed port fails with UNAVAILABLE or TIMEOUT and no value in the error`, async () => {
      // No adapter looks for cloud credentials it was not asked to use: google-auth-library probing the GCE
      // metadata server (network traffic off this machine) shows as a MetadataLookupWarning.
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(w.name);
      process.on('warning', onWarning);
      const store = await openStore(uri, options);
      try {
        await store.put('svm-unreachable', VALUE);
        expect.unreachable('put succeeded');
      } catch (error) {
        expect(isSvmError(error)).toBe(true);
        if (!isSvmError(error)) return;
        expect(['UNAVAILABLE', 'TIMEOUT']).toContain(error.code);
        expect(JSON.stringify({ ...error.toJSON(), cause: error.cause })).not.toContain(VALUE);
        expect(error.message).not.toContain('\n');
      } finally {
        await store.close();
        // Warnings are emitted on the next tick.
        await new Promise((r) => setTimeout(r, 50));
        process.off('warning', onWarning);
      }
      expect(warnings).not.toContain('MetadataLookupWarning');
    }, 60_000);
  }
});
