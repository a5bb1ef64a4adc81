import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSvmError } from '../errors.js';
import { type StoreRef, formatStoreUri, parseStoreUri, redactStoreUri } from './store-ref.js';

const optionValue = fc.string({ minLength: 1, maxLength: 20 });
const optionKey = fc.stringMatching(/^[a-z][a-z_]{0,8}$/).filter((k) => !['namespace', 'url', 'tls'].includes(k));
const options = fc.dictionary(optionKey, optionValue, { maxKeys: 3 });
const host = fc.oneof(
  fc.constant('127.0.0.1:8200'),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5})?(:[1-9]\d{0,4})?$/),
);

const storeRef: fc.Arbitrary<StoreRef> = fc.oneof(
  fc
    .record({
      kind: fc.constant('vault' as const),
      uri: fc.constant(''),
      address: fc.tuple(fc.constantFrom('http', 'https'), host).map(([scheme, h]) => `${scheme}://${h}`),
      mount: fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}(\/[a-z0-9_-]{1,8})?$/),
      namespace: fc.option(fc.stringMatching(/^[a-z][a-z0-9/-]{0,10}$/), { nil: undefined }),
      options,
    })
    .map(({ namespace, ...r }) => (namespace ? { ...r, namespace } : r)),
  fc.record({
    kind: fc.constant('aws-sm' as const),
    uri: fc.constant(''),
    region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-gov-west-1'),
    options,
  }),
  fc.record({
    kind: fc.constant('gcp-sm' as const),
    uri: fc.constant(''),
    project: fc.stringMatching(/^[a-z][a-z0-9-]{4,20}[a-z0-9]$/),
    options,
  }),
  fc
    .record({
      kind: fc.constant('azure-kv' as const),
      uri: fc.constant(''),
      vaultName: fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{1,20}[A-Za-z0-9]$/),
      custom: fc.option(fc.constantFrom('https://127.0.0.1:8443', 'https://localhost:18443/'), { nil: undefined }),
      options,
    })
    .map(({ custom, ...r }) => ({ ...r, url: custom ?? `https://${r.vaultName}.vault.azure.net` })),
  fc.record({
    kind: fc.constant('file' as const),
    uri: fc.constant(''),
    path: fc.string({ minLength: 1, maxLength: 30 }).filter((p) => p.trim() === p && !p.startsWith('?')),
    options,
  }),
);

describe('store URIs', () => {
  it('format then parse gives back the same reference (round trip)', () => {
    fc.assert(
      fc.property(storeRef, (ref) => {
        const uri = formatStoreUri(ref);
        const parsed = parseStoreUri(uri);
        expect({ ...parsed, uri: '' }).toEqual(ref);
        expect(formatStoreUri(parsed)).toBe(uri);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws anything but STORE_URI_INVALID, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.constantFrom('vault://', 'aws-sm://', 'file://%zz', 'gcp-sm://A', 'azure-kv://a')),
        (text) => {
          try {
            parseStoreUri(text);
          } catch (error) {
            expect(isSvmError(error) && error.code === 'STORE_URI_INVALID').toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('parses the forms the README documents', () => {
    expect(parseStoreUri('vault+http://127.0.0.1:18200/secret')).toMatchObject({
      kind: 'vault',
      address: 'http://127.0.0.1:18200',
      mount: 'secret',
    });
    expect(parseStoreUri('vault://vault.example.com:8200/kv/team?namespace=ns1')).toMatchObject({
      address: 'https://vault.example.com:8200',
      mount: 'kv/team',
      namespace: 'ns1',
    });
    expect(parseStoreUri('vault://v:8200/secret?tls=false')).toMatchObject({ address: 'http://v:8200', options: {} });
    expect(parseStoreUri('aws-sm://us-east-1?endpoint=http://127.0.0.1:15000')).toMatchObject({
      region: 'us-east-1',
      options: { endpoint: 'http://127.0.0.1:15000' },
    });
    expect(parseStoreUri('gcp-sm://svm-test?endpoint=127.0.0.1:18090&insecure=true')).toMatchObject({
      project: 'svm-test',
      options: { insecure: 'true' },
    });
    expect(parseStoreUri('azure-kv://localhost?url=https://127.0.0.1:18443')).toMatchObject({
      vaultName: 'localhost',
      url: 'https://127.0.0.1:18443',
    });
    expect(parseStoreUri('azure-kv://prod-kv')).toMatchObject({ url: 'https://prod-kv.vault.azure.net' });
    expect(parseStoreUri('file://./secrets.svm')).toMatchObject({ path: './secrets.svm' });
    expect(parseStoreUri('file:///var/lib/svm/s.svm')).toMatchObject({ path: '/var/lib/svm/s.svm' });
  });

  it('redacts credentials-looking query values and user info in messages', () => {
    expect(redactStoreUri('vault://v:8200/secret?token=s.abc&x=1')).toBe('vault://v:8200/secret?token=***&x=1');
    expect(redactStoreUri('vault://user:pw@v:8200/secret')).toBe('vault://***@v:8200/secret');
    try {
      parseStoreUri('nope://h/?client_secret=abc');
    } catch (error) {
      expect((error as Error).message).not.toContain('abc');
    }
  });
});
