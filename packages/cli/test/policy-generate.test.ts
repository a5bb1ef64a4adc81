import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { requireService } from '@svm/test-harness';
import { describe, expect, it } from 'vitest';
import { runPolicyGenerateDemo } from '../src/demo/steps.js';
import { runCli } from './run-cli.js';

const REQUIREMENTS = resolve(__dirname, '../../../examples/quickstart/data/requirements.yaml');
const SEED = [
  'policy',
  'generate',
  '--app-name',
  'payment-service',
  '--auth-method',
  'approle',
  '--secrets',
  'db-creds,api-key',
];

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  );
}

describe('svm policy generate', () => {
  it('keeps the seed flag form as a shortcut (policy HCL + vault script)', async () => {
    const r = await runCli(SEED);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatchSnapshot();
  });

  it('--json prints one document with policies, roles and files', async () => {
    const r = await runCli([...SEED, '--format', 'hcl', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchSnapshot();
  });

  it('an unknown secret type is a usage error, also with --json (the seed exited 0)', async () => {
    const text = await runCli([
      'policy',
      'generate',
      '--app-name',
      'a',
      '--auth-method',
      'approle',
      '--secrets',
      'db-creds,nope',
    ]);
    expect([text.code, text.stdout, text.stderr]).toMatchSnapshot();
    const json = await runCli([
      'policy',
      'generate',
      '--app-name',
      'a',
      '--auth-method',
      'approle',
      '--secrets',
      'nope',
      '--json',
    ]);
    expect([json.code, JSON.parse(json.stdout)]).toMatchSnapshot();
  });

  it('rejects mixing a file with the shortcut, an unknown target, and a bad requirements file with file:line: field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-gen-'));
    writeFileSync(
      join(dir, 'req.yaml'),
      'applications:\n  - name: web\n    auth:\n      - method: approle\n        token_ttl: soon\n    secrets:\n      - kind: kv\n        path: api-keys\n        access: [read]\n',
    );
    const results = [
      await runCli(['policy', 'generate', 'req.yaml', '--app-name', 'x'], { cwd: dir }),
      await runCli(['policy', 'generate', 'req.yaml', '--format', 'yaml'], { cwd: dir }),
      await runCli(['policy', 'generate', 'req.yaml'], { cwd: dir }),
      await runCli(['policy', 'generate', 'missing.yaml'], { cwd: dir }),
      await runCli(['policy', 'generate'], { cwd: dir }),
    ];
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).toMatchSnapshot();
  });

  it('writes every target with --format all --out, and what it writes lints clean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-gen-'));
    const r = await runCli(['policy', 'generate', REQUIREMENTS, '--format', 'all', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchSnapshot();
    const files = listFiles(join(dir, 'out')).sort();
    expect(files).toContain(join('terraform', 'vault.tf'));
    expect(readFileSync(join(dir, 'out', 'policies', 'payment-service-production-read.hcl'), 'utf8')).toContain(
      'path "secret/data/production/payment-service/api-keys"',
    );
    const lint = await runCli(['policy', 'lint', 'out/policies', 'out/api/requests.json', '--fail-on', 'medium'], {
      cwd: dir,
    });
    expect([lint.code, lint.stdout]).toEqual([
      0,
      'No findings in 8 files (14 policies, 9 auth roles, 17 engine objects).\n',
    ]);
  });

  it('--check tells CI whether the committed files are up to date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-gen-'));
    const missing = await runCli(['policy', 'generate', REQUIREMENTS, '--format', 'hcl', '--out', 'out', '--check'], {
      cwd: dir,
    });
    expect(missing.code).toBe(1);
    await runCli(['policy', 'generate', REQUIREMENTS, '--format', 'hcl', '--out', 'out'], { cwd: dir });
    const fresh = await runCli(['policy', 'generate', REQUIREMENTS, '--format', 'hcl', '--out', 'out', '--check'], {
      cwd: dir,
    });
    expect([fresh.code, fresh.stdout]).toEqual([0, '7 generated files under out are up to date.\n']);
    writeFileSync(
      join(dir, 'out', 'policies', 'api-gateway-staging-read.hcl'),
      'path "*" { capabilities = ["read"] }\n',
    );
    const edited = await runCli(['policy', 'generate', REQUIREMENTS, '--format', 'hcl', '--out', 'out', '--check'], {
      cwd: dir,
    });
    expect([edited.code, edited.stdout]).toEqual([
      1,
      '1 of 7 generated files under out are out of date (run svm policy generate with --out to update them):\n  different policies/api-gateway-staging-read.hcl\n',
    ]);
    const json = await runCli(
      ['policy', 'generate', REQUIREMENTS, '--format', 'hcl', '--out', 'out', '--check', '--json'],
      { cwd: dir },
    );
    expect(JSON.parse(json.stdout)).toMatchObject({
      upToDate: false,
      stale: [{ path: 'policies/api-gateway-staging-read.hcl', state: 'different' }],
    });
    expect((await runCli(['policy', 'generate', REQUIREMENTS, '--check'], { cwd: dir })).code).toBe(2);
  });

  it('prints a single target as-is (pipe to a file)', async () => {
    const r = await runCli(['policy', 'generate', REQUIREMENTS, '--format', 'terraform']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('# Generated by `svm policy generate`')).toBe(true);
    expect(r.stdout).toContain('resource "vault_jwt_auth_backend_role"');
  });
});

describe('svm policy apply (no server needed)', () => {
  it('needs an address and a token', async () => {
    const noAddr = await runCli(['policy', 'apply', REQUIREMENTS], { env: {} });
    const noToken = await runCli(['policy', 'apply', REQUIREMENTS, '--json'], {
      env: { VAULT_ADDR: 'http://127.0.0.1:1' },
    });
    expect([noAddr.code, noAddr.stderr, noToken.code, JSON.parse(noToken.stdout)]).toMatchSnapshot();
  });

  it('a server that cannot be reached is exit 3, one line, no token in it', async () => {
    // A port that was free a moment ago: nothing listens there.
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    await new Promise((done) => server.close(done));
    const r = await runCli(['policy', 'apply', REQUIREMENTS, '-q'], {
      env: { VAULT_ADDR: `http://127.0.0.1:${port}`, VAULT_TOKEN: 'hvs.not-a-real-token' },
    });
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain('hvs.not-a-real-token');
    expect(r.stderr.replace(String(port), 'PORT')).toMatch(
      // The example has engines, so the first read is sys/mounts.
      /^svm: error: GET http:\/\/127.0.0.1:PORT\/v1\/sys\/mounts: connection refused \(ECONNREFUSED\)\n$/,
    );
  });
});

const bao = requireService('openbao');

describe.skipIf(!bao)('svm policy apply against the real OpenBao server', () => {
  it('shows the plan, --dry-run writes nothing, apply writes, a second apply writes nothing', async () => {
    const run = `c${Date.now().toString(36)}`;
    const mount = `approle-${run}`;
    const headers = { 'X-Vault-Token': bao?.token ?? '', 'Content-Type': 'application/json' };
    await fetch(`${bao?.addr}/v1/sys/auth/${mount}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'approle' }),
    });
    const dir = mkdtempSync(join(tmpdir(), 'svm-apply-'));
    writeFileSync(
      join(dir, 'req.yaml'),
      `applications:\n  - name: web-${run}\n    auth:\n      - method: approle\n        mount: ${mount}\n        secret_id_bound_cidrs: [127.0.0.1/32]\n    secrets:\n      - kind: kv\n        path: api-keys\n        access: [read]\n`,
    );
    const env = { VAULT_ADDR: bao?.addr, VAULT_TOKEN: bao?.token };
    try {
      const dry = await runCli(['policy', 'apply', 'req.yaml', '--dry-run'], { cwd: dir, env });
      expect(dry.code).toBe(0);
      expect(dry.stdout.replaceAll(run, 'RUN').replaceAll(bao?.addr ?? '', 'ADDR')).toMatchSnapshot();
      const applied = await runCli(['policy', 'apply', 'req.yaml', '--json'], { cwd: dir, env });
      expect(JSON.parse(applied.stdout)).toMatchObject({
        dryRun: false,
        summary: { create: 2, update: 0, unchanged: 0 },
        written: 2,
      });
      const again = await runCli(['policy', 'apply', 'req.yaml'], { cwd: dir, env });
      expect(again.stdout.replaceAll(run, 'RUN').replaceAll(bao?.addr ?? '', 'ADDR')).toMatchSnapshot();
      expect(dry.stdout + again.stdout + applied.stdout).not.toContain(bao?.token ?? 'never');
    } finally {
      await fetch(`${bao?.addr}/v1/sys/auth/${mount}`, { method: 'DELETE', headers });
      await fetch(`${bao?.addr}/v1/sys/policies/acl/web-${run}-read`, { method: 'DELETE', headers });
    }
  });
});

describe('the svm demo step', () => {
  it('generates from the example requirements, lints clean and proves the policies with the engine', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'svm-demo-'));
    const { step, policiesDir } = await runPolicyGenerateDemo({
      examplesDir: dirname(REQUIREMENTS),
      today: '2026-03-01',
      workDir,
    });
    expect(step.status).toBe('ok');
    expect(policiesDir).toBe(join(workDir, 'policies'));
    expect(readdirSync(policiesDir).sort()).toContain('payment-service-production-read.hcl');
    expect(step.lines.map((l) => l.replaceAll(workDir, 'WORK'))).toMatchSnapshot();
  });

  it('fails plainly when the requirements are missing', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'svm-demo-'));
    const { step } = await runPolicyGenerateDemo({ examplesDir: workDir, today: '2026-03-01', workDir });
    expect(step.status).toBe('failed');
    expect(step.lines).toHaveLength(1);
  });
});
