// GCP specifics on drongo (REST): the CRC32C payload checks in both directions, and the error mapping of
// both transports (gRPC codes, and HTTP statuses in a GaxiosError).
import { crc32c } from '@aws-crypto/crc32c';
import type { StoreRef } from '@svm/core';
import { parseStoreUri } from '@svm/core';
import { requireService } from '@svm/test-harness';
import { gaxios } from 'google-auth-library';
import { describe, expect, it } from 'vitest';
import { type GcpSecretStore, gcpFacts, openGcpStore } from '../src/adapters/gcp.ts';
import { codeFor } from '../src/internal/errors.ts';

const gcp = requireService('gcp');
type GcpRef = Extract<StoreRef, { kind: 'gcp-sm' }>;
const name = (s: string): string => `svm-gcp-${Date.now().toString(36)}-${s}`;

describe.skipIf(!gcp)('gcp secret manager on drongo: CRC32C', () => {
  const open = () =>
    openGcpStore(parseStoreUri(`gcp-sm://${gcp!.project}?endpoint=${encodeURIComponent(gcp!.restUrl)}`) as GcpRef);
  /** The store's SDK client, to watch what it sends and to hand back altered answers. */
  const clientOf = (store: GcpSecretStore): Record<string, (...args: any[]) => Promise<any>> =>
    (store as unknown as { client: Record<string, (...args: any[]) => Promise<any>> }).client;

  it('sends dataCrc32c with every new version', async () => {
    const store = await open();
    const client = clientOf(store);
    const add = client.addSecretVersion!.bind(client);
    const sent: unknown[] = [];
    client.addSecretVersion = (req: { payload: unknown }, ...rest: unknown[]) => (
      sent.push(req.payload), add(req, ...rest)
    );
    const value = 'crc 🔑 value';
    const n = name('crc-send');
    await store.put(n, value);
    // (two calls: the first finds no secret, the adapter creates it and adds the version again)
    expect(sent.length).toBeGreaterThan(0);
    for (const payload of sent)
      expect(payload).toEqual({ data: Buffer.from(value, 'utf8'), dataCrc32c: crc32c(Buffer.from(value, 'utf8')) });
    expect((await store.get(n)).value).toBe(value);
    await store.destroy(n);
    await store.close();
  });

  it('accepts a payload whose dataCrc32c matches (as the real service sends it) and refuses one that does not', async () => {
    const store = await open();
    const n = name('crc-check');
    await store.put(n, 'checked');
    const client = clientOf(store);
    const access = client.accessSecretVersion!.bind(client);
    let crc: unknown;
    client.accessSecretVersion = async (...args: unknown[]) => {
      const [out] = await access(...args);
      return [{ ...out, payload: { ...out.payload, dataCrc32c: crc } }];
    };
    crc = String(crc32c(Buffer.from('checked'))); // int64 arrives as a string over REST
    expect((await store.get(n)).value).toBe('checked');
    crc = crc32c(Buffer.from('checked')) ^ 1;
    const error = await store.get(n).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(String((error as Error).message)).toMatch(/dataCrc32c/);
    expect(String((error as Error).message)).not.toContain('checked');
    client.accessSecretVersion = access;
    await store.destroy(n);
    await store.close();
  });
});

describe('gcp error mapping: gRPC codes and HTTP statuses', () => {
  it('maps a GaxiosError by its HTTP status (404, 409, 403, 429, 503)', () => {
    const gx = (status: number) =>
      new gaxios.GaxiosError(
        `Request failed with status code ${status}`,
        { url: new URL('http://127.0.0.1/x'), headers: new Headers() } as never,
        {
          status,
          statusText: '',
          headers: new Headers(),
          data: {},
          config: {},
        } as never,
      );
    expect(codeFor(gcpFacts(gx(404)))).toBe('SECRET_NOT_FOUND');
    expect(codeFor(gcpFacts(gx(409)))).toBe('CONFLICT');
    expect(codeFor(gcpFacts(gx(403)))).toBe('ACCESS_DENIED');
    expect(codeFor(gcpFacts(gx(429)))).toBe('THROTTLED');
    expect(codeFor(gcpFacts(gx(503)))).toBe('UNAVAILABLE');
  });

  it('maps gRPC status codes (the default transport, and google-gax REST errors)', () => {
    const grpc = (code: number) => Object.assign(new Error('x'), { code });
    expect(codeFor(gcpFacts(grpc(5)))).toBe('SECRET_NOT_FOUND');
    expect(codeFor(gcpFacts(grpc(6)))).toBe('CONFLICT');
    expect(codeFor(gcpFacts(grpc(7)))).toBe('ACCESS_DENIED');
    expect(codeFor(gcpFacts(grpc(14)))).toBe('UNAVAILABLE');
  });
});
