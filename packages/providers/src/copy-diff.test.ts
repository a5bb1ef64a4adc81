import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copySecrets } from './copy.js';
import { diffStores } from './diff.js';
import { openStore } from './open-store.js';
import type { SecretStore } from './store.js';

const fileStore = (): Promise<SecretStore> =>
  openStore(`file://${join(mkdtempSync(join(tmpdir(), 'svm-copy-')), 'store.svm')}`, {
    env: {},
    file: { passphrase: 'copy test passphrase', scryptCost: 2 ** 14 },
  });

describe('copySecrets and diffStores (file stores)', () => {
  it('copies what differs, leaves equal values alone, and diff agrees afterwards', async () => {
    const a = await fileStore();
    const b = await fileStore();
    try {
      await a.put('app/one', 'v1');
      await a.put('app/one', 'v2');
      await a.put('app/two', 'same');
      await b.put('app/two', 'same');
      await b.put('app/three', 'only in b');
      await a.put('other/x', 'not under the prefix');

      expect(await diffStores(a, b, 'app/')).toEqual([
        { name: 'app/one', status: 'only-in-a' },
        { name: 'app/three', status: 'only-in-b' },
        { name: 'app/two', status: 'same' },
      ]);
      expect(await copySecrets(a, b, 'app/', { dryRun: true, versions: true })).toEqual([
        { name: 'app/one', action: 'would-copy', versions: 2 },
        { name: 'app/two', action: 'unchanged', versions: 0 },
      ]);
      expect((await b.list('app/')).map((e) => e.name).sort()).toEqual(['app/three', 'app/two']);

      expect(await copySecrets(a, b, 'app/', { versions: true })).toEqual([
        { name: 'app/one', action: 'copied', versions: 2 },
        { name: 'app/two', action: 'unchanged', versions: 0 },
      ]);
      expect((await b.get('app/one')).value).toBe('v2');
      expect((await b.versions('app/one')).length).toBe(2);
      await b.put('app/two', 'changed');
      expect((await diffStores(a, b, 'app/')).map((e) => e.status)).toEqual(['same', 'only-in-b', 'differs']);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
