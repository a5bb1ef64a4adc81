// The @svm/providers README quick start.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSvmError } from '@svm/core';
import { openStore, withCache } from '@svm/providers';

const path = join(mkdtempSync(join(tmpdir(), 'svm-quickstart-')), 'secrets.svm');
const store = await openStore(`file://${path}`, { file: { passphrase: 'a long passphrase from your secret manager' } });

const v1 = await store.put('prod/db-password', 'first-password');
const v2 = await store.put('prod/db-password', 'second-password');
console.log(`versions ${v1.version} and ${v2.version}`); // versions 1 and 2

const current = await store.get('prod/db-password');
const previous = await store.get('prod/db-password', { stage: 'previous' });
console.log(current.value === 'second-password', previous.value === 'first-password'); // true true

for (const v of await store.versions('prod/db-password')) console.log(v.version, v.stages.join(','), v.state);
// 2 current enabled
// 1 previous enabled

// Stage a new value, then promote it (a rotation in two steps).
const next = await store.put('prod/db-password', 'third-password', { stage: 'pending' });
await store.setStage('prod/db-password', 'current', next.version);

// Read through a cache: values are served from memory for ttlMs, dropped on writes and on refresh().
const cached = withCache(store, { ttlMs: 60_000 });
console.log((await cached.get('prod/db-password')).version); // 3

try {
  await store.get('prod/missing');
} catch (error) {
  if (isSvmError(error)) console.log(error.code); // SECRET_NOT_FOUND
}
try {
  const wrong = await openStore(`file://${path}`, { file: { passphrase: 'wrong' } });
  await wrong.list();
} catch (error) {
  if (isSvmError(error)) console.log(error.code); // DECRYPT_FAILED
}
await cached.close();
