// File store hot paths, measured against a same-run baseline: a cold open (new handle: key derivation,
// read, decrypt, parse) versus a warm get (one stat, snapshot reused) and a cached get (withCache).
// Run: pnpm --filter @svm/providers bench
import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStoreUri } from '@svm/core';
import { openFileStore } from '../src/adapters/file.ts';
import { withCache } from '../src/cache.ts';

const SECRETS = 200;
const VERSIONS = 1000;

async function time(label: string, iterations: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(5, iterations); i++) await fn(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn(i);
  const perOpUs = Number(process.hrtime.bigint() - start) / 1000 / iterations;
  console.log(`${label.padEnd(52)} ${perOpUs.toFixed(1).padStart(10)} µs/op`);
  return perOpUs;
}

const dir = mkdtempSync(join(tmpdir(), 'svm-bench-'));
const path = join(dir, 'bench.svm');
const keyFile = join(dir, 'bench.key');
writeFileSync(keyFile, randomBytes(32));
const ref = parseStoreUri(`file://${path}`) as never;
const open = () => openFileStore(ref, { env: {}, keyFile });

const writer = await open();
console.log(`setup: ${SECRETS} secrets, one of them with ${VERSIONS} versions`);
for (let i = 0; i < SECRETS; i++) await writer.put(`app/secret-${i}`, randomBytes(24).toString('base64'));
for (let v = 1; v < VERSIONS; v++) await writer.put('app/secret-0', randomBytes(24).toString('base64'));
console.log(`file size: ${(statSync(path).size / 1024).toFixed(0)} KiB\n`);

const cold = await time('baseline: cold open + get (key file)', 50, async () => (await open()).get('app/secret-0'));
const warm = await time('warm get, latest (stat + snapshot)', 2000, () => writer.get('app/secret-0'));
const version = await time('warm get, version 500 of 1000', 2000, () => writer.get('app/secret-0', { version: '500' }));
const cached = withCache(writer, { ttlMs: 60_000 });
const hit = await time('cached get (withCache hit)', 20000, () => cached.get('app/secret-0'));
const list = await time('list (200 names)', 500, () => writer.list('app/'));
const put = await time('put (lock, re-read, encrypt, fsync, rename)', 50, (i) => writer.put('app/secret-1', `v${i}`));
const pass = await time('cold open + get (passphrase, scrypt 2^17)', 3, async () => {
  const p = join(dir, 'pass.svm');
  const s = await openFileStore(parseStoreUri(`file://${p}`) as never, { env: {}, passphrase: 'bench passphrase' });
  await s.put('a', 'b').catch(() => undefined);
  return (await openFileStore(parseStoreUri(`file://${p}`) as never, { env: {}, passphrase: 'bench passphrase' })).get(
    'a',
  );
});

console.log('\nratios against the cold-open baseline (higher = faster):');
for (const [label, us] of [
  ['warm get', warm],
  ['warm get by version', version],
  ['cached get', hit],
  ['list', list],
  ['put', put],
  ['passphrase open', pass],
] as const)
  console.log(`  ${label.padEnd(22)} ${(cold / us).toFixed(1)}x`);
