import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverInventoryAt, openStoreAt, withStore, withStorePair } from './open-at.js';
import type { SecretStore } from './store.js';

describe('openStoreAt', () => {
  it('resolves a relative file store and key file from cwd', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'svm-open-at-'));
    writeFileSync(join(cwd, 'k.key'), Buffer.alloc(32, 1));
    const store = await openStoreAt('file://./s.svm', { cwd, env: {}, keyFile: 'k.key' });
    await withStore(store, (s) => s.put('a', 'one'));
    const again = await openStoreAt(`file://${join(cwd, 's.svm')}`, { cwd: '/', env: {}, keyFile: join(cwd, 'k.key') });
    expect(await withStore(again, async (s) => (await s.get('a')).value)).toBe('one');
  });

  it('reads the passphrase from passphraseVar, falling back to SVM_FILE_PASSPHRASE', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'svm-open-at-'));
    const env = { SVM_FILE_PASSPHRASE: 'first passphrase', SVM_FILE_PASSPHRASE_TO: 'second passphrase' };
    await withStore(await openStoreAt('file://a.svm', { cwd, env }), (s) => s.put('x', '1'));
    await withStore(await openStoreAt('file://b.svm', { cwd, env, passphraseVar: 'SVM_FILE_PASSPHRASE_TO' }), (s) =>
      s.put('x', '2'),
    );
    const b = await openStoreAt('file://b.svm', { cwd, env: { SVM_FILE_PASSPHRASE: 'second passphrase' } });
    expect(await withStore(b, async (s) => (await s.get('x')).value)).toBe('2');
    const fallback = await openStoreAt('file://a.svm', { cwd, env: { SVM_FILE_PASSPHRASE: 'first passphrase' } });
    expect(await withStore(fallback, async (s) => (await s.get('x')).value)).toBe('1');
  });
});

describe('withStore and withStorePair', () => {
  const fake = (log: string[], name: string, failClose = false): SecretStore =>
    ({
      close: async () => {
        log.push(`close ${name}`);
        if (failClose) throw new Error('close failed');
      },
    }) as unknown as SecretStore;

  it('closes the store after fn, even when fn or close fail', async () => {
    const log: string[] = [];
    expect(await withStore(fake(log, 'a', true), async () => 'done')).toBe('done');
    await expect(
      withStore(fake(log, 'b'), async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(log).toEqual(['close a', 'close b']);
  });

  it('closes the first store when the second cannot be opened, and both after fn', async () => {
    const log: string[] = [];
    await expect(
      withStorePair(
        async () => fake(log, 'a'),
        async () => {
          throw new Error('no b');
        },
        async () => 'never',
      ),
    ).rejects.toThrow('no b');
    expect(log).toEqual(['close a']);
    expect(
      await withStorePair(
        async () => fake(log, 'c'),
        async () => fake(log, 'd'),
        async () => 'ran',
      ),
    ).toBe('ran');
    expect(log).toEqual(['close a', 'close d', 'close c']);
  });
});

describe('discoverInventoryAt', () => {
  it('opens the stores by URI, lists their metadata under the prefix and never a value', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'svm-open-at-'));
    const env = { SVM_FILE_PASSPHRASE: 'discover passphrase' };
    await withStore(await openStoreAt('file://d.svm', { cwd, env }), async (s) => {
      await s.put('app/db', 'secret-value-1');
      await s.put('other/x', 'secret-value-2');
    });
    const { inventory, warnings } = await discoverInventoryAt(['file://d.svm'], { cwd, env, prefix: 'app/' });
    expect(warnings).toEqual([]);
    expect(inventory.secrets.map((i) => i.name)).toEqual(['app/db']);
    expect(JSON.stringify(inventory)).not.toContain('secret-value');
    await expect(discoverInventoryAt(['file://d.svm'], { cwd, env: {} })).rejects.toMatchObject({ kind: 'user' });
  });
});
