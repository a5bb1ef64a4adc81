import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot, requireService } from '@svm/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { analyzeFiles } from '../src/stream/analyze-files.js';
import type { AnalysisResult } from '../src/analyzer.js';
import { exportSigmaRules } from '../src/sigma/export.js';
import { VAULT_SIGMA_FIELDS } from '../src/sigma/fields.js';
import { sigmaMatches, vaultCalls } from './sigma-matcher.js';

/*
 * Real OpenBao, real audit log. The shared dev server (scripts/services.sh) refuses API-enabled audit devices
 * (OpenBao 2.x: "use declarative, config-based audit device management"), so this test starts its own dev
 * instance of the same `bao` binary with `unsafe_allow_api_audit_creation = true` on a free 127.0.0.1 port,
 * enables a file audit device through the API, drives real traffic, and analyses the file the server wrote.
 */
const bao = requireService('openbao');
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

describe.skipIf(!bao || !existsSync(BIN))('audit analyze on a real OpenBao audit log', () => {
  const run = randomBytes(3).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), `svm-audit-bao-${run}-`));
  const logFile = join(dir, 'audit.log');
  const token = `root-${run}`;
  let addr = '';
  let child: ChildProcess | undefined;
  let result: AnalysisResult;
  const names = {
    audit: `svm-file-${run}`,
    audit2: `svm-extra-${run}`,
    userpass: `up-${run}`,
    approle: `ar-${run}`,
    policy: `app-${run}`,
    user: `alice${run}`,
    kv: `svm-${run}`,
  };

  async function api(
    method: string,
    path: string,
    body?: unknown,
    tok: string | null = token,
  ): Promise<{ status: number; json: Record<string, any> }> {
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

  beforeAll(async () => {
    const port = await freePort();
    addr = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'config.hcl'), 'unsafe_allow_api_audit_creation = true\n');
    child = spawn(
      BIN,
      [
        'server',
        '-dev',
        `-dev-root-token-id=${token}`,
        `-dev-listen-address=127.0.0.1:${port}`,
        `-config=${join(dir, 'config.hcl')}`,
      ],
      {
        env: { PATH: process.env['PATH'], HOME: dir },
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${addr}/v1/sys/health`)).status === 200) break;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }

    // Audit device writing to a temp file; everything below is audited.
    await ok('PUT', `sys/audit/${names.audit}`, { type: 'file', options: { file_path: logFile } });
    // Auth methods (auth-method-change), a policy write (policy-change), a tune that allows long TTLs.
    await ok('POST', `sys/auth/${names.userpass}`, { type: 'userpass' });
    await ok('POST', `sys/auth/${names.approle}`, { type: 'approle' });
    await ok('POST', 'sys/auth/token/tune', { max_lease_ttl: '10000h' });
    await ok('PUT', `sys/policies/acl/${names.policy}`, {
      policy: `path "secret/data/${names.kv}/app/*" { capabilities = ["read"] }`,
    });
    await ok('POST', `secret/data/${names.kv}/app/db`, { data: { password: 'not-logged-in-clear' } });
    await ok('POST', `secret/data/${names.kv}/admin/root-db`, { data: { password: 'also-hmaced' } });
    await ok('POST', `auth/${names.userpass}/users/${names.user}`, {
      password: 'correct-horse',
      token_policies: names.policy,
      token_ttl: '8h',
    });
    await ok('POST', `auth/${names.approle}/role/web`, { token_policies: names.policy, token_ttl: '1h' });
    const roleId = (await ok('GET', `auth/${names.approle}/role/web/role-id`)).data.role_id as string;
    const secretId = (await ok('POST', `auth/${names.approle}/role/web/secret-id`)).data.secret_id as string;

    // A machine: AppRole login and reads.
    const machine = (await ok('POST', `auth/${names.approle}/login`, { role_id: roleId, secret_id: secretId }, null))
      .auth.client_token as string;
    for (let i = 0; i < 3; i++) await ok('GET', `secret/data/${names.kv}/app/db`, undefined, machine);
    // A human: userpass login, an allowed read and a denied read.
    const human = (await ok('POST', `auth/${names.userpass}/login/${names.user}`, { password: 'correct-horse' }, null))
      .auth.client_token as string;
    await ok('GET', `secret/data/${names.kv}/app/db`, undefined, human);
    const denied = await api('GET', `secret/data/${names.kv}/admin/root-db`, undefined, human);
    expect(denied.status).toBe(403);
    // Six failed logins from one address.
    for (let i = 0; i < 6; i++)
      expect(
        (await api('POST', `auth/${names.userpass}/login/${names.user}`, { password: `wrong-${i}` }, null)).status,
      ).toBeGreaterThanOrEqual(400);
    // A long-TTL token (2000h).
    const created = await ok('POST', 'auth/token/create', {
      ttl: '2000h',
      policies: [names.policy],
      display_name: 'backup-tool',
    });
    expect(created.auth.lease_duration).toBe(2000 * 3600);
    // A second root token (OpenBao names both `token`): its use must not merge with the first one's.
    const root2 = (await ok('POST', 'auth/token/create', { policies: ['root'] })).auth.client_token as string;
    for (let i = 0; i < 2; i++) await ok('GET', `secret/data/${names.kv}/app/db`, undefined, root2);
    await ok('GET', 'sys/mounts', undefined, root2);
    // A KV version destroyed for good (secret-destroy).
    await ok('POST', `secret/destroy/${names.kv}/admin/root-db`, { versions: [1] });
    // An audit device enabled and disabled.
    await ok('PUT', `sys/audit/${names.audit2}`, { type: 'file', options: { file_path: join(dir, 'extra.log') } });
    await ok('DELETE', `sys/audit/${names.audit2}`);

    const h = new Date().getUTCHours();
    result = (
      await analyzeFiles([logFile], {
        offHours: h < 12 ? { startHour: h + 1, endHour: 24 } : { startHour: 0, endHour: h },
        group: false, // one finding per detection: these tests check each detector
      })
    ).result;
  }, 120_000);

  afterAll(async () => {
    if (child?.pid) {
      child.kill('SIGTERM');
      await new Promise((r) => child?.once('exit', r));
    }
  });

  const find = (rule: string) => result.findings.filter((f) => f.rule === rule);

  it('reads the real log: no malformed lines, every request paired, values stay HMAC-opaque', () => {
    const text = readFileSync(logFile, 'utf8');
    expect(text).not.toContain('correct-horse');
    expect(text).not.toContain('not-logged-in-clear');
    expect(result.malformed).toBe(0);
    expect(result.sources).toEqual({ vault: result.events });
    expect(result.events).toBeGreaterThan(20);
    expect(result.state['pendingRequests']).toBe(0);
    // The accessor of an ambiguous token identity is the only HMAC'd value a finding carries, opaque as logged.
    expect(JSON.stringify(result.findings.map(({ accessor, ...f }) => f))).not.toMatch(
      /hmac-sha256|correct-horse|not-logged-in-clear/,
    );
  });

  it('failed-auth: the six wrong passwords from 127.0.0.1', () => {
    expect(find('failed-auth')).toEqual([
      expect.objectContaining({ severity: 'high', sourceIp: '127.0.0.1', count: 6 }),
    ]);
  });

  it('denied-access: the human read outside the policy', () => {
    const d = find('denied-access');
    expect(d).toHaveLength(1);
    expect(d[0]?.identity).toContain(names.user);
    // The path as logged; the logical KV path apart.
    expect(d[0]?.path).toBe(`secret/data/${names.kv}/admin/root-db`);
    expect(d[0]?.secret).toBe(`secret/${names.kv}/admin/root-db`);
  });

  it('long-ttl-token: the 2000h token', () => {
    expect(find('long-ttl-token')).toEqual([expect.objectContaining({ severity: 'high', path: 'auth/token/create' })]);
    expect(find('long-ttl-token')[0]?.message).toContain('2000h');
  });

  it('policy-change, auth-method-change, audit-device-change, root-token', () => {
    expect(find('policy-change').map((f) => f.path)).toEqual([`sys/policies/acl/${names.policy}`]);
    expect(
      find('auth-method-change')
        .map((f) => f.path)
        .sort(),
    ).toEqual([`sys/auth/${names.approle}`, `sys/auth/${names.userpass}`, 'sys/auth/token/tune'].sort());
    const audit = find('audit-device-change');
    // OpenBao logs a device's own enable into it, then the second device's enable and disable.
    expect(audit.map((f) => [f.path, f.severity])).toEqual([
      [`sys/audit/${names.audit}`, 'high'],
      [`sys/audit/${names.audit2}`, 'high'],
      [`sys/audit/${names.audit2}`, 'critical'],
    ]);
    expect(find('root-token').length).toBeGreaterThanOrEqual(1);
    // Root token use is high; the creation of the second root token is critical.
    expect(
      find('root-token')
        .filter((f) => f.severity === 'critical')
        .map((f) => f.message),
    ).toEqual(['root token created']);
    expect(find('root-token').every((f) => f.severity === 'high' || f.message === 'root token created')).toBe(true);
  });

  it('human vs machine by the login the token came from: the human is off-hours, the AppRole machine never', () => {
    // Display names carry the mount path: `<userpass mount>-<user>`, `<approle mount>-<role>`.
    const human = result.aggregates.identities.find((i) => i.identity === `${names.userpass}-${names.user}`);
    const machine = result.aggregates.identities.find((i) => i.identity === `${names.approle}-web`);
    expect(human).toMatchObject({ kind: 'human', authMethod: 'userpass' });
    expect(machine).toMatchObject({ kind: 'machine', authMethod: 'approle', reads: 3 });
    const off = find('off-hours').map((f) => f.identity);
    expect(off.some((i) => i?.includes(names.user))).toBe(true);
    expect(off).not.toContain(`${names.approle}-web`);
    // Failed logins are named like successful ones, so they join up.
    expect(find('failed-auth')[0]?.identity).toBe(`${names.userpass}-${names.user}`);
  });

  it('two root tokens are told apart by accessor: two usage rows, root-token findings per accessor', () => {
    const tokens = result.aggregates.identities.filter((i) => i.identity === 'token' || i.identity === 'root');
    const accessors = new Set(tokens.map((t) => t.accessor));
    expect(accessors.size).toBe(2);
    for (const a of accessors) expect(a).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    const used = find('root-token').filter((f) => f.message.startsWith('root token used'));
    expect(new Set(used.map((f) => f.accessor)).size).toBe(2);
  });

  it('every line of the real log is read: a response line of a plain successful read that lost its tail is malformed', async () => {
    const lines = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const reads = lines
      .map((l, i) => [l, i] as const)
      .filter(([l]) => l.includes('"type":"response"') && l.includes('"operation":"read"') && !l.includes('"error"'));
    expect(reads.length).toBeGreaterThanOrEqual(4);
    const cut = new Set(reads.slice(0, 4).map(([, i]) => i));
    const damaged = join(dir, 'damaged.log');
    writeFileSync(damaged, `${lines.map((l, i) => (cut.has(i) ? l.slice(0, l.length - 2) : l)).join('\n')}\n`);
    const r = (await analyzeFiles([damaged], { workers: 0 })).result;
    expect(r.malformed).toBe(4);
    expect(r.malformedLines.map((m) => m.line)).toEqual([...cut].map((i) => i + 1));
  });

  it('the exported OpenBao Sigma rules select the events the analyzer flags or counts in the real log', () => {
    const calls = vaultCalls(
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
    const mapping = new Map(VAULT_SIGMA_FIELDS.map((f) => [f.field, f.path]));
    const mapField = (f: string) => mapping.get(f) ?? f;
    const exported = exportSigmaRules({ sources: ['openbao'] });
    const hits = (path: string, doc: number) => {
      const content = exported.files.find((f) => f.path === path)?.content ?? '';
      const parsed = parseAllDocuments(content)[doc];
      if (!parsed) throw new Error(`${path} has no YAML document ${doc}`);
      const { detection } = parsed.toJS() as { detection: Record<string, unknown> };
      return calls.filter((o) => sigmaMatches(detection, o, mapField)).length;
    };
    const counted = (rule: string) => find(rule).reduce((n, f) => n + f.count, 0);
    for (const r of exported.rules.filter((x) => x.kind === 'single')) {
      expect(hits(r.path, 0), `${r.rule}: Sigma hits vs analyzer events`).toBe(counted(r.rule));
      expect(hits(r.path, 0), `${r.rule}: the real log exercises it`).toBeGreaterThan(0);
    }
    // The correlations' event rules: the six failed logins, the one denied read.
    expect(hits('svm_openbao_failed_auth.yml', 1)).toBe(6);
    expect(hits('svm_openbao_denied_access.yml', 1)).toBe(1);
  });
});
