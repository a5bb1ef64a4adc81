// Time per rotation for each executor strategy, on the real servers of scripts/services.sh (file store with a key
// file, PostgreSQL, OpenBao). Ratios are against the store-only `new-version` rotation measured in the same run.
//   pnpm --filter @svm/rotation bench:executor        (SVM_BENCH_N=<rotations per strategy>, default 20)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { InventoryItem } from '@svm/core';
import { loadServices } from '@svm/test-harness';
import { openFileJournal, rotate } from '../src/index.js';
import { adminQuery, dualAccountFixture } from '../test/executor-fixtures.js';

const N = Number(process.env.SVM_BENCH_N ?? 20);
const services = loadServices();
const pgSvc = services.postgres;
const bao = services.openbao;
if (!pgSvc || !bao) throw new Error('bench needs postgres and openbao from scripts/services.sh up');
process.env.VAULT_ADDR = bao.addr;
process.env.VAULT_TOKEN = bao.token;
const tag = randomBytes(4).toString('hex');

async function v(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${bao!.addr}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': bao!.token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text).data : undefined;
}

const f = await dualAccountFixture(pgSvc, { grace: '0s', tag: `bench${tag}` });
const journal = await openFileJournal(join(f.dir, 'journal.jsonl'));
const target = { vault: { addr: bao.addr, token: bao.token } };
const mounts: string[] = [];
const results: Array<{ strategy: string; ms: number }> = [];

async function time(strategy: string, item: InventoryItem): Promise<void> {
  await rotate(item, { store: f.store, journal, target }); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const run = await rotate(item, { store: f.store, journal, target });
    if (run?.outcome !== 'rotated') throw new Error(`${strategy}: ${run?.outcome} ${run?.message}`);
  }
  results.push({ strategy, ms: (performance.now() - t0) / N });
}

try {
  await f.store.put('bench/token', 'x');
  await time('new-version (baseline: store only)', { id: 'token', name: 'bench/token', strategy: 'new-version' });
  await time('dual-account (PostgreSQL)', f.item as InventoryItem);

  const dir = mkdtempSync(join(tmpdir(), 'svm-bench-hook-'));
  const hook = join(dir, 'hook.mjs');
  writeFileSync(
    hook,
    "export const create = async () => ({ value: 'k-' + Math.random(), keyId: 'id-' + Math.random() });\nexport const test = async () => ({ ok: true });\nexport const revoke = async () => ({ ok: true });\n",
  );
  await f.store.put('bench/api-key', 'k-0');
  await time('overlap-window (JS module hook)', {
    id: 'api',
    type: 'api-key',
    name: 'bench/api-key',
    rotation: { hook, overlap: '0s' },
  });
  await f.store.put('bench/api-key-cmd', 'k-0');
  await time('overlap-window (example hook as a command, OpenBao tokens)', {
    id: 'api-cmd',
    type: 'api-key',
    name: 'bench/api-key-cmd',
    rotation: {
      hook: `node ${resolve(import.meta.dirname, '../../../examples/rotation-hooks/vault-token-hook.mjs')}`,
      overlap: '0s',
    },
  });

  const transit = `transit-svm-bench-${tag}`;
  await v('POST', `sys/mounts/${transit}`, { type: 'transit' });
  mounts.push(transit);
  await v('POST', `${transit}/keys/k`, {});
  const enc = await v('POST', `${transit}/encrypt/k`, {
    batch_input: Array.from({ length: 100 }, (_, i) => ({ plaintext: Buffer.from(`row-${i}`).toString('base64') })),
  });
  await f.store.put(
    'bench/ciphertexts',
    JSON.stringify(enc.batch_results.map((r: { ciphertext: string }) => r.ciphertext)),
  );
  await time('versioning-rewrap (transit, 100 ciphertexts)', {
    id: 'key',
    type: 'encryption-key',
    name: 'bench/ciphertexts',
    rotation: { transit_mount: transit, key: 'k', ciphertexts_secret: 'bench/ciphertexts' },
  });

  const pki = `pki-svm-bench-${tag}`;
  await v('POST', `sys/mounts/${pki}`, { type: 'pki', config: { max_lease_ttl: '48h' } });
  mounts.push(pki);
  await v('POST', `${pki}/root/generate/internal`, { common_name: 'bench root', ttl: '48h' });
  await v('POST', `${pki}/roles/web`, { allowed_domains: 'example.test', allow_subdomains: true, max_ttl: '2h' });
  await time('renew-before-expiry (PKI, RSA 2048)', {
    id: 'tls',
    type: 'tls-certificate',
    name: 'bench/tls',
    renew_before: '1d',
    rotation: { pki_mount: pki, role: 'web', common_name: 'api.example.test', ttl: '1h' },
  });

  const db = `database-svm-bench-${tag}`;
  const role = `svm_bench_${tag}_static`;
  await adminQuery(pgSvc, `CREATE ROLE ${role} LOGIN PASSWORD 'x${tag}'`);
  await v('POST', `sys/mounts/${db}`, { type: 'database' });
  mounts.push(db);
  await v('POST', `${db}/config/pg`, {
    plugin_name: 'postgresql-database-plugin',
    connection_url: `postgresql://{{username}}:{{password}}@${pgSvc.host}:${pgSvc.port}/${pgSvc.database}?sslmode=disable`,
    username: pgSvc.user,
    password: pgSvc.password,
    allowed_roles: '*',
  });
  await v('POST', `${db}/static-roles/app`, { db_name: 'pg', username: role, rotation_period: '24h' });
  await time('static-role (OpenBao database engine)', {
    id: 'static',
    name: 'bench/static',
    strategy: 'static-role',
    rotation: { db_mount: db, static_role: 'app', host: pgSvc.host, port: pgSvc.port, database: pgSvc.database },
  });
  await v('DELETE', `sys/mounts/${db}`);
  await adminQuery(pgSvc, `DROP ROLE IF EXISTS ${role}`);
} finally {
  for (const m of mounts) await v('DELETE', `sys/mounts/${m}`).catch(() => undefined);
  await f.cleanup();
}

const base = results[0]!.ms;
console.log(`| strategy | ms / rotation | vs baseline |\n| --- | ---: | ---: |`);
for (const r of results) console.log(`| ${r.strategy} | ${r.ms.toFixed(1)} | ${(r.ms / base).toFixed(1)}x |`);
console.log(
  `\n${N} rotations per strategy after one warm-up; load average ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
