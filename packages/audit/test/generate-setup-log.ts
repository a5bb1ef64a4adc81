/*
 * Regenerates test/fixtures/openbao-setup-burst.log: a real OpenBao audit log of about three minutes with a
 * routine setup in it (two auth methods enabled, 27 policies written within a second or two by the root token,
 * users, an AppRole, secrets), then ordinary traffic: an AppRole machine reading its secrets every few seconds,
 * a person logging in with userpass and reading, a few denied reads.
 *
 *   pnpm exec tsx packages/audit/test/generate-setup-log.ts [out-file] [--minutes 3]
 *
 * It starts its OWN `bao server -dev` on a free 127.0.0.1 port with a `-config` file that declares a file audit
 * device (OpenBao 2.7 refuses `sys/audit` enables through the API), drives the traffic, stops the server and
 * copies the audit file. Values in the log are HMAC'd by the audit device (the secret values written here are
 * checked not to appear in it).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const minutesAt = args.indexOf('--minutes');
const minutes = minutesAt >= 0 ? Number(args[minutesAt + 1]) : 3;
const out = resolve(
  args.find((a, i) => !a.startsWith('--') && i !== minutesAt + 1) ??
    new URL('./fixtures/openbao-setup-burst.log', import.meta.url).pathname,
);
const BIN = process.env['SVM_BAO_BIN'] ?? resolve('.svm-services/venv/bin/bao');
const dir = mkdtempSync(join(tmpdir(), 'svm-setup-log-'));
const log = join(dir, 'audit.log');
const token = 'svm-setup-root';
const SECRET_VALUES = ['pw-payments-Xq81', 'pw-billing-Lm42', 'api-key-Zr77'];

const port = await new Promise<number>((ok, fail) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => ok(p));
  });
  s.on('error', fail);
});
const addr = `http://127.0.0.1:${port}`;
writeFileSync(join(dir, 'config.hcl'), `audit "file" "setup-file" {\n  options {\n    file_path = "${log}"\n  }\n}\n`);
const child = spawn(
  BIN,
  [
    'server',
    '-dev',
    `-dev-root-token-id=${token}`,
    `-dev-listen-address=127.0.0.1:${port}`,
    `-config=${join(dir, 'config.hcl')}`,
  ],
  { env: { PATH: process.env['PATH'], HOME: dir }, stdio: 'ignore' },
);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function api(method: string, path: string, body?: unknown, tok: string | null = token) {
  const res = await fetch(`${addr}/v1/${path}`, {
    method,
    headers: { ...(tok ? { 'X-Vault-Token': tok } : {}), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, any>) : {} };
}
async function ok(method: string, path: string, body?: unknown, tok: string | null = token) {
  const r = await api(method, path, body, tok);
  if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

try {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${addr}/v1/sys/health`)).status === 200) break;
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  // The setup burst: auth methods, 27 policies, users, an AppRole, secrets.
  await ok('POST', 'sys/auth/userpass', { type: 'userpass' });
  await ok('POST', 'sys/auth/approle', { type: 'approle' });
  const teams = ['payments', 'billing', 'ledger', 'checkout', 'search', 'catalog', 'shipping', 'identity', 'reports'];
  const policies: string[] = [];
  for (const team of teams) for (const kind of ['read', 'write', 'admin']) policies.push(`${team}-${kind}`);
  for (const name of policies) {
    const [team, kind] = name.split('-') as [string, string];
    const caps =
      kind === 'read' ? '"read", "list"' : kind === 'write' ? '"create", "update", "read"' : '"sudo", "read"';
    await ok('PUT', `sys/policies/acl/${name}`, {
      policy: `path "secret/data/${team}/*" { capabilities = [${caps}] }`,
    });
  }
  await ok('POST', 'secret/data/payments/db', { data: { password: SECRET_VALUES[0] } });
  await ok('POST', 'secret/data/billing/db', { data: { password: SECRET_VALUES[1] } });
  await ok('POST', 'secret/data/payments/stripe', { data: { key: SECRET_VALUES[2] } });
  await ok('POST', 'auth/userpass/users/alice', { password: 'correct-horse-battery', token_policies: 'payments-read' });
  await ok('POST', 'auth/approle/role/payments-api', { token_policies: 'payments-read', token_ttl: '1h' });
  const roleId = (await ok('GET', 'auth/approle/role/payments-api/role-id')).data.role_id as string;
  const secretId = (await ok('POST', 'auth/approle/role/payments-api/secret-id')).data.secret_id as string;

  // Ordinary traffic for the rest of the span.
  const machine = (await ok('POST', 'auth/approle/login', { role_id: roleId, secret_id: secretId }, null)).auth
    .client_token as string;
  const end = Date.now() + minutes * 60_000 - 15_000;
  let tick = 0;
  while (Date.now() < end) {
    await ok('GET', 'secret/data/payments/db', undefined, machine);
    if (tick % 3 === 0) await ok('GET', 'secret/data/payments/stripe', undefined, machine);
    if (tick === 8) {
      const human = (await ok('POST', 'auth/userpass/login/alice', { password: 'correct-horse-battery' }, null)).auth
        .client_token as string;
      await ok('GET', 'secret/data/payments/db', undefined, human);
      await api('LIST', 'secret/metadata/payments', undefined, human); // denied: the policy covers data/ only
      for (let i = 0; i < 3; i++) await api('GET', 'secret/data/billing/db', undefined, human); // denied
    }
    tick++;
    await sleep(5_000);
  }
  await ok('PUT', 'sys/policies/acl/payments-read', {
    policy: 'path "secret/data/payments/*" { capabilities = ["read", "list"] }',
  });
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}
if (!existsSync(log)) throw new Error('the audit device wrote no file');
const text = readFileSync(log, 'utf8');
for (const v of [...SECRET_VALUES, 'correct-horse-battery', token])
  if (text.includes(v)) throw new Error(`a clear value leaked into the audit log: ${v}`);
copyFileSync(log, out);
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`wrote ${out}: ${text.split('\n').filter(Boolean).length} lines\n`);
