import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from './open-store.js';
import { readSecretRef } from './secret-ref.js';

describe('readSecretRef', () => {
  it('reads a whole value or one field of a JSON value, and names the secret (not the value) when a field is missing', async () => {
    const uri = `file://${join(mkdtempSync(join(tmpdir(), 'svm-ref-')), 'store.svm')}`;
    const options = { file: { passphrase: 'ref test passphrase', scryptCost: 2 ** 14 } };
    const store = await openStore(uri, options);
    await store.put('pg-admin', 'plain-s3cret');
    await store.put('pg-json', JSON.stringify({ username: 'admin', password: 'json-s3cret' }));
    await store.close();
    expect(await readSecretRef({ store: uri, name: 'pg-admin' }, options)).toBe('plain-s3cret');
    expect(await readSecretRef({ store: uri, name: 'pg-json', key: 'password' }, options)).toBe('json-s3cret');
    const error = await readSecretRef({ store: uri, name: 'pg-json', key: 'pass' }, options).catch((e) => e);
    expect(error).toMatchObject({ code: 'INPUT_INVALID' });
    expect(error.message).toContain('pg-json');
    expect(error.message).not.toContain('json-s3cret');
    await expect(readSecretRef({ store: uri, name: 'missing' }, options)).rejects.toMatchObject({
      code: 'SECRET_NOT_FOUND',
    });
  });
});
