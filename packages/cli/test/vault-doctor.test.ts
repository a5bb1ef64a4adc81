import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DoctorReport, DoctorReport as DoctorReportSchema, type SEVERITIES, severityAtLeast } from '@svm/core';
import { DOCTOR_POLICY_HCL, createVaultClient, vaultDoctor } from '@svm/policy';
import { requireService } from '@svm/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BAO_BIN,
  type BaoProcess,
  auditStanzas,
  freePort,
  ok,
  startBao,
  startRaftCluster,
  stopBao,
  waitForLeaseGauge,
} from './openbao-servers.js';
import { runCli } from './run-cli.js';

/*
 * `svm vault doctor` against real OpenBao 2.7.2 servers of its own (the shared dev server's configuration is
 * not ours to change): a -dev server with one declarative audit device (OpenBao refuses `audit enable` through
 * the API), and a well-configured three-node Raft cluster (Shamir 5 shares / threshold 3, two audit devices,
 * 1h/24h TTLs, the root token revoked, the doctor running with the documented read-mostly policy).
 */
const bao = requireService('openbao');
if (bao && !existsSync(BAO_BIN) && process.env.CI === 'true')
  throw new Error(`bao binary not found at ${BAO_BIN} (set SVM_BAO_BIN)`);
const enabled = Boolean(bao) && existsSync(BAO_BIN);
const run = randomBytes(3).toString('hex');

const statuses = (r: DoctorReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));
const atLeast = (r: DoctorReport, sev: (typeof SEVERITIES)[number]) =>
  r.findings.filter((f) => severityAtLeast(f.severity, sev)).map((f) => `${f.rule} ${f.file}`);

describe.skipIf(!enabled)('svm vault doctor: a -dev server with one audit device', () => {
  let dir = '';
  const token = `root-${run}`;
  let server: BaoProcess | undefined;
  let addr = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `svm-doctor-${run}-`));
    const port = await freePort();
    addr = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'dev.hcl'), auditStanzas(dir, ['only-file']));
    server = await startBao(
      [
        '-dev',
        `-dev-root-token-id=${token}`,
        `-dev-listen-address=127.0.0.1:${port}`,
        `-config=${join(dir, 'dev.hcl')}`,
      ],
      addr,
      dir,
    );
    await waitForLeaseGauge(addr, token);
  });
  afterAll(async () => {
    await stopBao(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports the single audit device, the dev seal and storage, the root token and the untuned token TTLs', async () => {
    const report = DoctorReportSchema.parse(
      await vaultDoctor(createVaultClient({ address: addr, token }), { address: addr }),
    );
    expect([...new Set(report.findings.map((f) => f.rule))].sort()).toEqual([
      'audit-single-device',
      'default-lease-ttl-over-24h',
      'ha-disabled',
      'max-lease-ttl-over-30d',
      'root-token-exists',
      'seal-shamir-threshold',
      'storage-inmem',
    ]);
    expect(statuses(report)).toEqual({
      seal: 'failed',
      storage: 'failed',
      ha: 'failed',
      raft: 'not-applicable',
      'audit-devices': 'failed',
      'auth-roles': 'passed',
      policies: 'passed',
      'lease-ttls': 'failed',
      'root-tokens': 'failed',
      counts: 'passed',
      'kv-versions': 'passed',
      'post-unseal': 'passed',
    });
    const byRule = (rule: string) => report.findings.find((f) => f.rule === rule);
    expect(byRule('audit-single-device')).toMatchObject({ severity: 'medium', file: 'sys/audit', count: 1 });
    expect(byRule('audit-single-device')?.message).toContain('only-file/ (file)');
    expect(byRule('seal-shamir-threshold')?.message).toContain('1 of 1 key shares (a -dev server seal)');
    expect(byRule('storage-inmem')?.severity).toBe('critical');
    expect(byRule('root-token-exists')?.message).toContain('the token running this check');
    expect(byRule('max-lease-ttl-over-30d')?.message).toBe('auth method token/ (token): max_lease_ttl is 32d');
    expect(report.findings.every((f) => typeof f.fix === 'string' && f.fix.length > 0)).toBe(true);
    expect(report.server).toMatchObject({ flavor: 'openbao', sealType: 'shamir', storageType: 'inmem' });
  });

  it('CLI: exit 1 at --fail-on medium; the text report (snapshot), --json and SARIF', async () => {
    const env = { PATH: process.env.PATH, VAULT_ADDR: addr, VAULT_TOKEN: token };
    const text = await runCli(['vault', 'doctor', '--fail-on', 'medium'], { env });
    expect(text.code).toBe(1);
    const normalised = text.stdout
      .replaceAll(addr, '<addr>')
      .replace(
        /accessor \S+ \(display name (\S+), created \S+,/g,
        'accessor <accessor> (display name $1, created <time>,',
      )
      .replace(/\d+ (service tokens|leases) \(/g, '<n> $1 (');
    expect(normalised).toMatchSnapshot();
    expect(text.stdout).not.toContain(token);

    const json = await runCli(['vault', 'doctor', '--json'], { env });
    expect(json.code).toBe(1); // default --fail-on high: the dev seal, the root token
    const doc = DoctorReportSchema.parse(JSON.parse(json.stdout));
    expect(doc.address).toBe(addr);
    expect(doc.summary.findings.critical).toBe(1);

    const sarif = await runCli(['vault', 'doctor', '--format', 'sarif', '--fail-on', 'none'], { env });
    expect(sarif.code).toBe(0);
    const log = JSON.parse(sarif.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].tool.driver.name).toBe('svm vault doctor');
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual(
      doc.findings.map((f) => f.rule).sort(),
    );
    expect(
      log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'audit-single-device').locations[0],
    ).toMatchObject({ physicalLocation: { artifactLocation: { uri: 'sys/audit' } } });
  });

  it('a token that may not read an endpoint gets NOT CHECKED for that check, never passed', async () => {
    const name = `partial-${run}-audit`;
    await ok(addr, token, 'PUT', `sys/policies/acl/${name}`, {
      policy:
        'path "sys/mounts" { capabilities = ["read"] }\npath "auth/token/accessors" { capabilities = ["list", "sudo"] }\n',
    });
    const limited = (await ok(addr, token, 'POST', 'auth/token/create', { policies: [name], ttl: '10m' })).auth
      .client_token as string;
    const report = await vaultDoctor(createVaultClient({ address: addr, token: limited }));
    const check = (id: string) => report.checks.find((c) => c.id === id);
    expect(check('audit-devices')).toMatchObject({
      status: 'not-checked',
      findings: 0,
      unchecked: ['GET sys/audit: permission denied (403)'],
    });
    expect(check('root-tokens')).toMatchObject({
      status: 'not-checked',
      unchecked: ['POST auth/token/lookup-accessor: permission denied (403)'],
    });
    for (const id of ['policies', 'auth-roles', 'lease-ttls', 'counts', 'post-unseal'])
      expect(check(id)?.status, id).toBe('not-checked');
    // What the token can read is still checked: seal-status and sys/leader are unauthenticated, sys/mounts is granted.
    expect(check('seal')?.status).toBe('failed');
    expect(check('ha')?.status).toBe('failed');
    expect(check('kv-versions')?.status).toBe('passed');
    expect(report.findings.map((f) => f.rule)).not.toContain('audit-single-device');
    expect(report.summary.notChecked).toBe(report.checks.filter((c) => c.status === 'not-checked').length);
    expect(report.summary.passed).toBe(report.checks.filter((c) => c.status === 'passed').length);

    const cli = await runCli(['vault', 'doctor', '--fail-on', 'none'], {
      env: { PATH: process.env.PATH, BAO_ADDR: addr, BAO_TOKEN: limited },
    });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/NOT CHECKED audit-devices .*\n.*not read: GET sys\/audit: permission denied \(403\)/);
    expect(cli.stdout).toContain('Checks marked NOT CHECKED were not passed');
  });

  it('lints the live auth roles and policies with the linter, flags KV v1 and a long-lived mount', async () => {
    await ok(addr, token, 'POST', 'sys/auth/approle', { type: 'approle' });
    await ok(addr, token, 'POST', 'auth/approle/role/ci', { token_policies: ['ci-deploy'], token_max_ttl: '72h' });
    await ok(addr, token, 'POST', 'sys/auth/kubernetes', { type: 'kubernetes' });
    await ok(addr, token, 'POST', 'auth/kubernetes/role/web', {
      bound_service_account_names: ['*'],
      bound_service_account_namespaces: ['prod'],
    });
    await ok(addr, token, 'PUT', 'sys/policies/acl/ci-deploy', {
      policy: 'path "*" {\n  capabilities = ["read"]\n}\n',
    });
    await ok(addr, token, 'POST', 'sys/mounts/legacy', { type: 'kv', options: { version: '1' } });
    const report = await vaultDoctor(createVaultClient({ address: addr, token }));
    const where = (rule: string) =>
      report.findings.filter((f) => f.rule === rule).map((f) => `${f.file}${f.line ? `:${f.line}` : ''}`);
    expect(where('approle-no-cidr')).toEqual(['auth/approle/role/ci']);
    expect(where('approle-unlimited-secret-id')).toEqual(['auth/approle/role/ci']);
    expect(where('token-max-ttl-over-24h')).toEqual(['auth/approle/role/ci']);
    expect(where('kubernetes-wildcard-binding')).toEqual(['auth/kubernetes/role/web']);
    expect(where('wildcard-root')).toEqual(['sys/policies/acl/ci-deploy:1']);
    expect(where('kv-v1-mount')).toEqual(['sys/mounts/legacy']);
    // The new auth methods inherit the system default TTLs (768h), like token/.
    expect(where('max-lease-ttl-over-30d').sort()).toEqual([
      'sys/mounts/auth/approle/tune',
      'sys/mounts/auth/kubernetes/tune',
      'sys/mounts/auth/token/tune',
    ]);
    const roleFinding = report.findings.find((f) => f.rule === 'kubernetes-wildcard-binding');
    expect(roleFinding).toMatchObject({ category: 'auth-role', evidence: { check: 'auth-roles' } });
    expect(report.checks.find((c) => c.id === 'auth-roles')?.notes).toContain('3 auth methods, 2 roles linted');
  });

  it('inside a namespace: built-in ns_* mounts are recognised, root-namespace-only endpoints are not checked', async () => {
    const ns = `team-${run}`;
    await ok(addr, token, 'POST', `sys/namespaces/${ns}`);
    const report = await vaultDoctor(createVaultClient({ address: addr, token, namespace: ns }));
    // cubbyhole, identity and sys keep no leases (typed ns_cubbyhole, … there); the token method is linted as token.
    expect(report.findings.filter((f) => f.rule.includes('lease-ttl')).map((f) => f.file)).toEqual([
      'sys/mounts/auth/token/tune',
      'sys/mounts/auth/token/tune',
    ]);
    expect(report.checks.find((c) => c.id === 'auth-roles')?.notes).toEqual(['1 auth method, 0 roles linted']);
    expect(report.checks.find((c) => c.id === 'audit-devices')).toMatchObject({
      status: 'not-checked',
      unchecked: ['GET sys/audit: HTTP 400: operation only available in root namespace'],
    });
    expect(report.checks.find((c) => c.id === 'raft')?.status).toBe('not-checked');
  });

  it('a sealed server: server-sealed, and every check past sys/seal-status is not checked', async () => {
    await ok(addr, token, 'POST', 'sys/seal');
    const report = await vaultDoctor(createVaultClient({ address: addr, token }));
    expect(report.findings.map((f) => f.rule)).toEqual(['server-sealed', 'storage-inmem', 'seal-shamir-threshold']);
    expect(report.summary).toMatchObject({ passed: 0, failed: 2, notChecked: 10, notApplicable: 0 });
    expect(report.checks.find((c) => c.id === 'audit-devices')?.unchecked).toEqual([
      'the server is sealed: nothing past sys/seal-status can be read',
    ]);
  });
});

describe.skipIf(!enabled)('svm vault doctor: a well-configured three-node Raft cluster', () => {
  let dir = '';
  const nodes: BaoProcess[] = [];
  let addr = '';
  let doctorToken = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `svm-doctor-${run}-`));
    const cluster = await startRaftCluster(
      dir,
      `${auditStanzas(dir, ['file-a', 'file-b'])}default_lease_ttl = "1h"\nmax_lease_ttl = "24h"\n`,
      nodes,
    );
    addr = (cluster.nodes[0] as BaoProcess).addr;
    const root = cluster.rootToken;
    await ok(addr, root, 'POST', 'sys/auth/approle', { type: 'approle' });
    await ok(addr, root, 'POST', 'sys/auth/approle/tune', { default_lease_ttl: '1h', max_lease_ttl: '4h' });
    await ok(addr, root, 'POST', 'sys/mounts/kv', { type: 'kv', options: { version: '2' } });
    await ok(addr, root, 'PUT', 'sys/policies/acl/web-app-read', {
      policy: 'path "kv/data/web-app/*" { capabilities = ["read"] }\npath "sys/*" { capabilities = ["deny"] }\n',
    });
    await ok(addr, root, 'POST', 'auth/approle/role/web-app', {
      token_policies: ['web-app-read'],
      token_ttl: '1h',
      token_max_ttl: '4h',
      secret_id_num_uses: 1,
      secret_id_ttl: '10m',
      secret_id_bound_cidrs: ['10.0.0.0/8'],
    });
    await ok(addr, root, 'PUT', 'sys/policies/acl/vault-doctor-audit', { policy: DOCTOR_POLICY_HCL });
    doctorToken = (
      await ok(addr, root, 'POST', 'auth/token/create-orphan', { policies: ['vault-doctor-audit'], ttl: '1h' })
    ).auth.client_token as string;
    // Setup done: the root token goes, as the guidance asks (the doctor's token is an orphan, so it stays).
    await ok(addr, root, 'POST', 'auth/token/revoke-self');
    await waitForLeaseGauge(addr, doctorToken);
  });
  afterAll(async () => {
    for (const node of [...nodes].reverse()) await stopBao(node);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports nothing at or above medium, and every check was read (none NOT CHECKED)', async () => {
    const report = await vaultDoctor(createVaultClient({ address: addr, token: doctorToken }), { address: addr });
    expect(atLeast(report, 'medium')).toEqual([]);
    expect(report.checks.filter((c) => c.status === 'not-checked').map((c) => [c.id, c.unchecked])).toEqual([]);
    expect(statuses(report)).toMatchObject({
      seal: 'passed',
      storage: 'passed',
      ha: 'passed',
      raft: 'passed',
      'audit-devices': 'passed',
      'auth-roles': 'passed',
      'lease-ttls': 'passed',
      'root-tokens': 'passed',
      counts: 'passed',
      'kv-versions': 'passed',
      'post-unseal': 'passed',
    });
    const notes = (id: string) => report.checks.find((c) => c.id === id)?.notes ?? [];
    expect(notes('seal')).toEqual(['Shamir seal, 3 of 5 key shares']);
    expect(notes('raft')).toContain('3 Raft servers, 3 voters');
    expect(notes('audit-devices')).toEqual(['2 audit devices: file-a/ (file), file-b/ (file)']);
    expect(notes('auth-roles')).toContain('2 auth methods, 1 role linted');
    // The only findings left are low ones about the doctor's own admin policy (sys reads, no sys deny).
    expect(new Set(report.findings.map((f) => `${f.rule} ${f.file}`))).toEqual(
      new Set(['sys-read sys/policies/acl/vault-doctor-audit', 'no-deny-sys sys/policies/acl/vault-doctor-audit']),
    );

    const cli = await runCli(['vault', 'doctor', '--addr', addr, '--fail-on', 'medium'], {
      env: { PATH: process.env.PATH, VAULT_TOKEN: doctorToken },
    });
    expect(cli.code).toBe(0);
  });
});

describe.skipIf(!enabled)('svm vault doctor over TLS with VAULT_CACERT', () => {
  let dir = '';
  const token = `root-${run}`;
  let server: BaoProcess | undefined;
  let addr = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `svm-doctor-${run}-`));
    const port = await freePort();
    addr = `https://127.0.0.1:${port}`;
    // -dev-tls writes its own CA and server certificate into the directory.
    server = await startBao(
      [
        '-dev',
        '-dev-tls',
        `-dev-tls-cert-dir=${dir}`,
        `-dev-root-token-id=${token}`,
        `-dev-listen-address=127.0.0.1:${port}`,
      ],
      addr,
      dir,
      { insecure: true },
    );
  });
  afterAll(async () => {
    await stopBao(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('trusts the CA named by VAULT_CACERT (or BAO_CACERT); without it the certificate is refused (exit 3)', async () => {
    const base = { PATH: process.env.PATH, VAULT_ADDR: addr, VAULT_TOKEN: token };
    const withCa = await runCli(['vault', 'doctor', '--json', '--fail-on', 'none'], {
      env: { ...base, VAULT_CACERT: join(dir, 'vault-ca.pem') },
    });
    expect(withCa.code).toBe(0);
    expect(DoctorReportSchema.parse(JSON.parse(withCa.stdout)).server.storageType).toBe('inmem');

    const without = await runCli(['vault', 'doctor'], { env: base });
    expect(without.code).toBe(3);
    expect(without.stderr).toMatch(/certificate/);
    const missing = await runCli(['vault', 'doctor'], { env: { ...base, VAULT_CACERT: join(dir, 'nope.pem') } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('VAULT_CACERT: cannot read the CA bundle (no such file)');
    const baoMissing = await runCli(['vault', 'doctor'], { env: { ...base, BAO_CACERT: join(dir, 'nope.pem') } });
    expect(baoMissing.stderr).toContain('BAO_CACERT: cannot read the CA bundle (no such file)');
  });
});
