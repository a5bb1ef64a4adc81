import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findRepoRoot, requireService } from '@svm/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/*
 * The leak-response proof against a real OpenBao with file audit devices. OpenBao 2.7 refuses `audit enable`
 * through the API, so this test starts its own dev server whose config file declares two file audit devices: one
 * with HMAC'd accessors (the default) and one with `hmac_accessor = "false"`. AppRole and userpass identities make
 * real traffic, some reading the leaked secret and some not; then `svm incident contain --execute` runs for real,
 * with a PostgreSQL credential (dual-account roles on the shared server) as the leaked secret.
 */
const bao = requireService('openbao');
const postgres = requireService('postgres');
const BIN = process.env['SVM_BAO_BIN'] ?? join(findRepoRoot(), '.svm-services', 'venv', 'bin', 'bao');
if (bao && !existsSync(BIN) && process.env['CI'] === 'true')
  throw new Error(`bao binary not found at ${BIN} (set SVM_BAO_BIN)`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function canLogin(user: string, password: string): Promise<boolean> {
  const c = new pg.Client({
    host: postgres!.host,
    port: postgres!.port,
    user,
    password,
    database: postgres!.database,
    connectionTimeoutMillis: 10_000,
  });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({
    host: postgres!.host,
    port: postgres!.port,
    user: postgres!.user,
    password: postgres!.password,
    database: postgres!.database,
  });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe.skipIf(!bao || !postgres || !existsSync(BIN))(
  'svm incident contain against a real OpenBao and PostgreSQL',
  () => {
    const run = randomBytes(3).toString('hex');
    const dir = mkdtempSync(join(tmpdir(), `svm-contain-${run}-`));
    const hashedLog = join(dir, 'hashed.log');
    const clearLog = join(dir, 'clear.log');
    const root = `root-${run}`;
    const kv = `leak-${run}`;
    const roles = [`svm_leak_${run}_a`, `svm_leak_${run}_b`] as const;
    const leakedPassword = randomBytes(18).toString('base64url');
    const up = `up-${run}`;
    const ar = `ar-${run}`;
    let addr = '';
    let storeUri = '';
    let child: ChildProcess | undefined;
    let since = '';
    /** Tokens by name: who read what is recorded here as the test sends it. */
    const tokens: Record<string, string> = {};
    let weakToken = '';
    let leaseId = '';
    let dynamicUser: [string, string] = ['', ''];
    const journal = join(dir, 'journal.jsonl');
    const inventory = join(dir, 'inventory.yaml');

    async function api(method: string, path: string, body?: unknown, tok: string | null = root) {
      const res = await fetch(`${addr}/v1/${path}`, {
        method,
        headers: { ...(tok ? { 'X-Vault-Token': tok } : {}), 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, json: text ? (JSON.parse(text) as Record<string, any>) : {} };
    }
    async function ok(method: string, path: string, body?: unknown, tok: string | null = root) {
      const r = await api(method, path, body, tok);
      if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    }
    const read = (path: string, tok: string) => ok('GET', `secret/data/${kv}/${path}`, undefined, tok);
    const status = async (tok: string) => (await api('GET', `secret/data/${kv}/other/cache`, undefined, tok)).status;
    const env = (token: string) => ({ PATH: process.env.PATH, VAULT_TOKEN: token });

    beforeAll(async () => {
      const port = await freePort();
      addr = `http://127.0.0.1:${port}`;
      storeUri = `vault+http://127.0.0.1:${port}/secret`;
      writeFileSync(
        join(dir, 'config.hcl'),
        `audit "file" "hashed" {\n  options {\n    file_path = "${hashedLog}"\n  }\n}\naudit "file" "clear" {\n  options {\n    file_path = "${clearLog}"\n    hmac_accessor = "false"\n  }\n}\n`,
      );
      child = spawn(
        BIN,
        [
          'server',
          '-dev',
          `-dev-root-token-id=${root}`,
          `-dev-listen-address=127.0.0.1:${port}`,
          `-config=${join(dir, 'config.hcl')}`,
        ],
        { env: { PATH: process.env['PATH'], HOME: dir }, stdio: 'ignore' },
      );
      for (let i = 0; i < 100; i++) {
        try {
          if ((await fetch(`${addr}/v1/sys/health`)).status === 200) break;
        } catch {
          // not up yet
        }
        await new Promise((r) => setTimeout(r, 200));
      }

      // PostgreSQL: the dual-account roles; the leaked credential is role A's password.
      for (const role of roles) {
        await adminQuery(`DROP ROLE IF EXISTS ${role}`);
        await adminQuery(
          `CREATE ROLE ${role} LOGIN PASSWORD '${role === roles[0] ? leakedPassword : randomBytes(18).toString('base64url')}'`,
        );
      }
      const conn = { host: postgres!.host, port: postgres!.port, database: postgres!.database };
      await ok('POST', `secret/data/${kv}/db`, {
        data: { value: JSON.stringify({ ...conn, username: roles[0], password: leakedPassword }) },
      });
      await ok('POST', `secret/data/${kv}/db-admin`, {
        data: { value: JSON.stringify({ ...conn, username: postgres!.user, password: postgres!.password }) },
      });
      await ok('POST', `secret/data/${kv}/api`, { data: { value: 'api-key-v1' } });
      await ok('POST', `secret/data/${kv}/other/cache`, { data: { value: 'not-the-leak' } });
      writeFileSync(
        inventory,
        `secrets:\n  - id: orders-db-${run}\n    name: ${kv}/db\n    type: database\n    store: ${storeUri}\n    rotation:\n      accounts: [${roles[0]}, ${roles[1]}]\n      admin_secret: ${kv}/db-admin\n`,
      );

      // Identities: readers may read everything under the leak's folder, others only other/.
      await ok('PUT', `sys/policies/acl/reader-${run}`, {
        policy: `path "secret/data/${kv}/*" { capabilities = ["read"] }\npath "database/creds/dyn" { capabilities = ["read"] }`,
      });
      // Dynamic PostgreSQL credentials: a lease a reader token is issued (the containment revokes it).
      await ok('POST', 'sys/mounts/database', { type: 'database' });
      await ok('POST', 'database/config/pg', {
        plugin_name: 'postgresql-database-plugin',
        connection_url: `postgresql://{{username}}:{{password}}@${postgres!.host}:${postgres!.port}/${postgres!.database}?sslmode=disable`,
        username: postgres!.user,
        password: postgres!.password,
        allowed_roles: 'dyn',
        verify_connection: true,
      });
      await ok('POST', 'database/roles/dyn', {
        db_name: 'pg',
        creation_statements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`,
        default_ttl: '1h',
      });
      await ok('PUT', `sys/policies/acl/other-${run}`, {
        policy: `path "secret/data/${kv}/other/*" { capabilities = ["read"] }`,
      });
      // The weak operator token can rotate (KV) but not revoke tokens.
      await ok('PUT', `sys/policies/acl/kv-only-${run}`, {
        policy: 'path "secret/*" { capabilities = ["create", "read", "update", "list"] }',
      });
      weakToken = (await ok('POST', 'auth/token/create', { policies: [`kv-only-${run}`], ttl: '1h' })).auth
        .client_token;
      await ok('POST', `sys/auth/${up}`, { type: 'userpass' });
      await ok('POST', `sys/auth/${ar}`, { type: 'approle' });
      for (const [user, policy] of [
        ['alice', 'reader'],
        ['bob', 'other'],
        ['carol', 'reader'],
      ] as const)
        await ok('POST', `auth/${up}/users/${user}`, { password: `pw-${user}`, token_policies: `${policy}-${run}` });
      for (const [role, policy] of [
        ['web', 'reader'],
        ['etl', 'reader'],
        ['batch', 'other'],
        ['early', 'reader'],
      ] as const)
        await ok('POST', `auth/${ar}/role/${role}`, { token_policies: `${policy}-${run}`, token_ttl: '1h' });
      const approle = async (role: string) => {
        const roleId = (await ok('GET', `auth/${ar}/role/${role}/role-id`)).data.role_id as string;
        const secretId = (await ok('POST', `auth/${ar}/role/${role}/secret-id`)).data.secret_id as string;
        return (await ok('POST', `auth/${ar}/login`, { role_id: roleId, secret_id: secretId }, null)).auth
          .client_token as string;
      };
      const userpass = async (user: string) =>
        (await ok('POST', `auth/${up}/login/${user}`, { password: `pw-${user}` }, null)).auth.client_token as string;

      // Before the exposure window: 'early' read the secret (it must not be revoked).
      tokens.early = await approle('early');
      await read('db', tokens.early);
      await new Promise((r) => setTimeout(r, 1100));
      since = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 50));

      // In the window: readers of db (alice1, web, etl), readers of api (carol, etl2), non-readers.
      tokens.alice1 = await userpass('alice');
      tokens.alice2 = await userpass('alice');
      tokens.bob = await userpass('bob');
      tokens.carol = await userpass('carol');
      tokens.web = await approle('web');
      tokens.etl = await approle('etl');
      tokens.etl2 = await approle('etl');
      tokens.batch = await approle('batch');
      await read('db', tokens.alice1);
      const creds = (await ok('GET', 'database/creds/dyn', undefined, tokens.web)) as Record<string, any>;
      leaseId = creds.lease_id as string;
      dynamicUser = [creds.data.username as string, creds.data.password as string];
      await read('db', tokens.web);
      await read('db', tokens.web);
      await read('other/cache', tokens.web);
      await read('db', tokens.etl);
      await read('api', tokens.carol);
      await read('api', tokens.etl2);
      for (const t of ['alice2', 'bob', 'batch', 'early']) await read('other/cache', tokens[t]!);
      const denied = await api('GET', `secret/data/${kv}/db`, undefined, tokens.bob);
      expect(denied.status).toBe(403);
    }, 120_000);

    afterAll(async () => {
      if (child?.pid) {
        child.kill('SIGTERM');
        await new Promise((r) => child?.once('exit', r));
      }
      for (const role of roles) await adminQuery(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    });

    const dbReaders = () => [`${up}-alice`, `${ar}-etl`, `${ar}-web`].sort();

    it('blast-radius lists exactly the identities that read the secret in the window, from either audit device', async () => {
      for (const log of [hashedLog, clearLog]) {
        const r = await runCli(
          ['--json', 'incident', 'blast-radius', '--secret', storeUri, `${kv}/db`, '--since', since, '--audit', log],
          { env: env(root) },
        );
        expect(r.code, r.stderr).toBe(0);
        const radius = JSON.parse(r.stdout);
        expect(radius.identities.map((i: { identity: string }) => i.identity).sort()).toEqual(dbReaders());
        expect(radius.tokens).toHaveLength(3);
        expect(radius.tokens.every((t: { hashed: boolean }) => t.hashed === (log === hashedLog))).toBe(true);
        const web = radius.identities.find((i: { identity: string }) => i.identity === `${ar}-web`);
        expect(web).toMatchObject({ count: 2, sourceIps: ['127.0.0.1'] });
        const webToken = radius.tokens.find((t: { identity: string }) => t.identity === `${ar}-web`);
        expect(webToken.afterwards).toEqual([{ target: `secret/${kv}/other/cache`, count: 1 }]);
        expect(radius.denied).toEqual([expect.objectContaining({ identity: `${up}-bob`, count: 1 })]);
      }
      const text = await runCli(
        ['incident', 'blast-radius', '--secret', storeUri, `${kv}/db`, '--since', since, '--audit', hashedLog],
        { env: env(root) },
      );
      expect(text.stdout).toContain('4 access(es) by 3 identities with 3 token(s)');
    });

    it('bad input: an unknown secret, logs that never mention it — clear messages; the journal says what was done', async () => {
      const dry = await runCli(
        ['incident', 'contain', '--secret', storeUri, `${kv}/nope`, '--since', since, '--audit', hashedLog],
        { env: env(root) },
      );
      expect(dry.code).toBe(3);
      expect(dry.stderr).toContain(`no secret '${kv}/nope'`);

      const j = join(dir, 'bad-journal.jsonl');
      const exec = await runCli(
        [
          '--json',
          'incident',
          'contain',
          '--secret',
          storeUri,
          `${kv}/nope`,
          '--since',
          since,
          '--audit',
          hashedLog,
          '--execute',
          '--yes',
          '--journal',
          j,
          '--report-dir',
          dir,
        ],
        { env: env(root) },
      );
      expect(exec.code).toBe(1);
      const c = JSON.parse(exec.stdout);
      expect(c.outcome).toBe('incomplete');
      expect(c.notDone[0]).toMatch(/check-secret: failed — no secret .*nothing was rotated or revoked/);
      expect(c.notDone.join('\n')).toContain('rotate: not done');
      const kinds = readFileSync(j, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .map((e) => `${e.kind}${e.step ? `:${e.step}` : ''}`);
      expect(kinds).toEqual(['begin', 'before:check-secret', 'failed:check-secret']);
      expect(readFileSync(c.reports.markdown, 'utf8')).toContain('## Not done');

      // A database secret without its inventory item: dual-account cannot know the accounts; it says where they go.
      await ok('POST', `secret/data/${kv}/pay-db`, {
        data: { value: JSON.stringify({ host: '127.0.0.1', username: 'someone', password: 'x' }) },
      });
      const noItem = await runCli(
        [
          '--json',
          'incident',
          'contain',
          '--secret',
          storeUri,
          `${kv}/pay-db`,
          '--since',
          since,
          '--audit',
          hashedLog,
          '--execute',
          '--yes',
          '--journal',
          j,
          '--report-dir',
          dir,
        ],
        { env: env(root) },
      );
      expect(noItem.code).toBe(1);
      const n = JSON.parse(noItem.stdout);
      expect(n.strategy).toBe('dual-account');
      expect(n.notDone[0]).toMatch(/^rotate: failed — .*rotation\.accounts.*pass --inventory with this secret's item/);

      // Logs that never mention the secret: the plan says so; nobody is revoked.
      const quiet = join(dir, 'quiet.log');
      writeFileSync(
        quiet,
        `${readFileSync(hashedLog, 'utf8')
          .split('\n')
          .filter((l) => !l.includes(`${kv}/db`))
          .join('\n')}\n`,
      );
      const none = await runCli(
        ['incident', 'contain', '--secret', storeUri, `${kv}/db`, '--since', since, '--audit', quiet],
        { env: env(root) },
      );
      expect(none.code).toBe(0);
      expect(none.stdout).toContain(`the audit logs never mention secret/${kv}/db`);
      expect(none.stdout).not.toContain('revoke-token');
    });

    it('refused revocation, then resume: rotated once, every reader revoked, non-readers untouched, login with the leaked password fails', async () => {
      // 1. An operator token that may rotate but not revoke: rotation happens, revocation is refused and journaled.
      const first = await runCli(
        [
          '--json',
          'incident',
          'contain',
          '--secret',
          storeUri,
          `${kv}/db`,
          '--since',
          since,
          '--audit',
          hashedLog,
          '--inventory',
          inventory,
          '--execute',
          '--yes',
          '--journal',
          journal,
          '--report-dir',
          dir,
        ],
        { env: env(weakToken) },
      );
      expect(first.code, first.stderr).toBe(1);
      const c1 = JSON.parse(first.stdout);
      expect(c1.outcome).toBe('incomplete');
      const status1 = Object.fromEntries(c1.actions.map((a: { id: string; status: string }) => [a.id, a.status]));
      expect(status1).toMatchObject({
        'check-secret': 'done',
        rotate: 'done',
        'revoke-leases': 'failed',
        'revoke-token-1': 'planned',
      });
      expect(c1.notDone.join('\n')).toMatch(/revoke-leases: failed — .*PUT sys\/leases\/revoke: HTTP 403/);
      expect(c1.notDone.join('\n')).toContain('revoke-token-1: not done (an earlier step stopped the run)');
      expect(await canLogin(roles[0], leakedPassword)).toBe(false);
      for (const t of ['alice1', 'web', 'etl']) expect(await status(tokens[t]!)).toBe(200);

      // 2. The same command with a token that may revoke: resumes the open run, revokes, does not rotate again.
      const before = await ok('GET', `secret/metadata/${kv}/db`);
      const second = await runCli(
        [
          '--json',
          'incident',
          'contain',
          '--secret',
          storeUri,
          `${kv}/db`,
          '--since',
          since,
          '--audit',
          hashedLog,
          '--inventory',
          inventory,
          '--execute',
          '--yes',
          '--journal',
          journal,
          '--report-dir',
          dir,
        ],
        { env: env(root) },
      );
      expect(second.code, second.stderr + second.stdout).toBe(0);
      const c2 = JSON.parse(second.stdout);
      // The dynamic credentials leased to a reader token are revoked: the lease is gone, its database login too.
      expect(c2.actions.find((a: { id: string }) => a.id === 'revoke-leases')?.facts?.revokedLeases).toBe(1);
      expect((await api('PUT', 'sys/leases/lookup', { lease_id: leaseId })).status).toBe(400);
      expect(await canLogin(dynamicUser[0], dynamicUser[1])).toBe(false);
      expect(c2).toMatchObject({ outcome: 'contained', resumed: true, strategy: 'dual-account' });
      expect((await ok('GET', `secret/metadata/${kv}/db`)).data.current_version).toBe(before.data.current_version);
      expect(c2.tokens.map((t: { result: string; resolution: string }) => [t.result, t.resolution])).toEqual([
        ['revoked', 'audit-hash'],
        ['revoked', 'audit-hash'],
        ['revoked', 'audit-hash'],
      ]);
      for (const t of ['alice1', 'web', 'etl']) expect(await status(tokens[t]!), t).toBe(403);
      for (const t of ['alice2', 'bob', 'batch', 'early', 'carol', 'etl2'])
        expect(await status(tokens[t]!), t).toBe(200);
      // The leaked password no longer logs in; the current one does.
      expect(await canLogin(roles[0], leakedPassword)).toBe(false);
      const current = JSON.parse((await read('db', root)).data.data.value);
      expect(await canLogin(current.username, current.password)).toBe(true);
      // The journal and reports hold no password.
      const text = readFileSync(journal, 'utf8') + readFileSync(c2.reports.markdown, 'utf8');
      expect(text).not.toContain(leakedPassword);
      expect(text).not.toContain(current.password);
      const kinds = text
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .filter((e) => e.itemId.startsWith('incident:'));
      expect(kinds.filter((e) => e.kind === 'failed').map((e) => e.error.code)).toEqual(['ACCESS_DENIED']);

      // 3. Twice: a repeat after a finished containment does no harm (no rotation, nothing new revoked).
      const third = await runCli(
        [
          '--json',
          'incident',
          'contain',
          '--secret',
          storeUri,
          `${kv}/db`,
          '--since',
          since,
          '--audit',
          hashedLog,
          '--inventory',
          inventory,
          '--execute',
          '--yes',
          '--journal',
          journal,
          '--report-dir',
          dir,
        ],
        { env: env(root) },
      );
      expect(third.code, third.stderr).toBe(0);
      const c3 = JSON.parse(third.stdout);
      expect(c3).toMatchObject({ outcome: 'contained', repeat: true });
      // Nothing new is revoked: the readers are gone already; svm's own token (its earlier dry run read the secret
      // before the first containment began) is reported, never revoked.
      const results = Object.fromEntries(
        c3.tokens.map((t: { identity: string; result: string }) => [t.identity, t.result]),
      );
      for (const id of dbReaders()) expect(results[id], id).toBe('already-gone');
      expect(c3.tokens.filter((t: { result: string }) => t.result === 'revoked')).toEqual([]);
      expect(c3.tokens.filter((t: { result: string }) => t.result === 'own-token').length).toBeLessThanOrEqual(1);
      expect(c3.actions.find((a: { id: string }) => a.id === 'rotate').facts.rotation).toBe(
        'already rotated by the earlier containment',
      );
      const after = JSON.parse((await read('db', root)).data.data.value);
      expect(after.password).toBe(current.password);
      for (const t of ['alice2', 'bob', 'batch', 'early', 'carol', 'etl2'])
        expect(await status(tokens[t]!), t).toBe(200);
    });

    it('one clean run from a clear-accessor log: contained in under 60 s, elapsed time printed', async () => {
      const r = await runCli(
        [
          'incident',
          'contain',
          '--secret',
          storeUri,
          `${kv}/api`,
          '--since',
          since,
          '--audit',
          clearLog,
          '--signal',
          'public-repo-used',
          '--execute',
          '--journal',
          join(dir, 'api-journal.jsonl'),
          '--report-dir',
          dir,
        ],
        { env: env(root) },
      );
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(r.stdout).toContain('CONTAINED');
      expect(r.stdout).toContain('(P0)');
      const m = /Contained in (\d+\.\d) s from the command's start/.exec(r.stdout);
      expect(m, r.stdout).not.toBeNull();
      expect(Number(m![1])).toBeLessThan(60);
      expect(r.stdout).toContain('resolution=clear');
      for (const t of ['carol', 'etl2']) expect(await status(tokens[t]!), t).toBe(403);
      for (const t of ['alice2', 'bob', 'batch', 'early']) expect(await status(tokens[t]!), t).toBe(200);
      const newValue = (await read('api', root)).data.data.value as string;
      expect(newValue).not.toBe('api-key-v1');
      // The post-mortem: Markdown with the communication template, HTML in the audit report's style; no value.
      const [, md, html] = /Post-mortem: (\S+) and (\S+)/.exec(r.stdout) ?? [];
      const markdown = readFileSync(md!, 'utf8');
      expect(markdown).toContain('| Status | CONTAINED |');
      expect(markdown).toContain('| Severity | P0');
      expect(markdown).toMatch(new RegExp(`${up}-carol read the secret`));
      expect(markdown).toContain('## Response playbook');
      const page = readFileSync(html!, 'utf8');
      expect(page).toContain('<b id="stat-outcome">contained</b>');
      expect(page).toContain('<svg id="readers"');
      for (const text of [markdown, page]) {
        expect(text).not.toContain(newValue);
        expect(text).not.toContain('api-key-v1');
      }
    });

    it('resumes after a crash between two revocations: nothing is done twice, the rest is finished', async () => {
      const { containSecret } = await import('@svm/audit');
      const options = {
        store: storeUri,
        name: `${kv}/other/cache`,
        since: new Date(since),
        audit: [clearLog],
        execute: true,
        journal: join(dir, 'crash-journal.jsonl'),
        reportDir: dir,
        env: env(root),
      };
      // The process "dies" right after the journal recorded the second revocation.
      await expect(
        containSecret({
          ...options,
          onProgress: (line) => {
            if (line.startsWith('revoke-token-2: done')) throw new Error('simulated crash');
          },
        }),
      ).rejects.toThrow('simulated crash');
      const version = (await ok('GET', `secret/metadata/${kv}/other/cache`)).data.current_version;
      // Token 1 (web) was gone already, token 2 was revoked before the crash; the other three still work.
      const live = await Promise.all(['alice2', 'bob', 'batch', 'early'].map(async (t) => status(tokens[t]!)));
      expect(live.filter((s) => s === 403)).toHaveLength(1);

      const resumed = await containSecret(options);
      expect(resumed).toMatchObject({ outcome: 'contained', resumed: true });
      expect(resumed.actions.filter((a) => a.status === 'skipped').map((a) => a.id)).toEqual([
        'check-secret',
        'rotate',
        'revoke-leases',
        'revoke-token-1',
        'revoke-token-2',
      ]);
      expect((await ok('GET', `secret/metadata/${kv}/other/cache`)).data.current_version).toBe(version);
      for (const t of ['alice2', 'bob', 'batch', 'early']) expect(await status(tokens[t]!), t).toBe(403);
      expect(resumed.elapsedMs).toBeLessThan(60_000);
    });
  },
);
