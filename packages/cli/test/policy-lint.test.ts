import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** A directory of policies and roles with one problem of each kind. */
function fixtures(): string {
  const dir = mkdtempSync(join(tmpdir(), 'svm-lint-'));
  const p = join(dir, 'policies');
  mkdirSync(p);
  writeFileSync(
    join(p, 'payment-service-read.hcl'),
    'path "secret/data/production/payment/api-keys" {\n  capabilities = ["read"]\n}\n\npath "sys/*" {\n  capabilities = ["deny"]\n}\n',
  );
  writeFileSync(
    join(p, 'ops.hcl'),
    '# ops\npath "*" {\n  capabilities = ["read", "list"]\n}\n\npath "secret/app/config" {\n  policy = "write"\n}\n\npath "secret/data/app/*" {\n  capabilities = ["read", "sudo"]\n}\n',
  );
  writeFileSync(
    join(p, 'ci-deploy.json'),
    JSON.stringify(
      {
        path: { 'secret/data/*': { capabilities: ['create', 'update', 'read'] }, 'sys/*': { capabilities: ['deny'] } },
      },
      null,
      2,
    ),
  );
  writeFileSync(join(p, 'package.json'), '{"name": "not-a-policy"}\n');
  writeFileSync(
    join(dir, 'roles.yaml'),
    'roles:\n  - path: auth/approle/role/batch\n    body:\n      secret_id_num_uses: 0\n      token_max_ttl: 72h\n  - path: auth/jwt/role/ci\n    body:\n      role_type: jwt\n      user_claim: sub\n      bound_audiences: [https://github.com/acme]\n      bound_claims: {ref: refs/heads/main}\n',
  );
  writeFileSync(join(dir, 'broken.hcl'), 'path "secret/data/x" {\n  capabilities = ["read", "fly"]\n}\n');
  return dir;
}

describe('svm policy lint', () => {
  const dir = fixtures();

  it('text output: findings with file:line, severity, rule and fix; exit 1 at --fail-on high', async () => {
    const r = await runCli(['policy', 'lint', 'policies', 'roles.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatchSnapshot();
    expect(r.stderr).toBe('');
  });

  it('--format json is exactly {"findings": [{rule, category, severity, message, file, line, fix?}]}', async () => {
    const r = await runCli(['policy', 'lint', 'policies', 'roles.yaml', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { findings: Array<Record<string, unknown>> };
    expect(Object.keys(doc)).toEqual(['findings']);
    for (const f of doc.findings) {
      expect(Object.keys(f).filter((k) => k !== 'fix')).toEqual([
        'rule',
        'category',
        'severity',
        'message',
        'file',
        'line',
      ]);
      expect(['info', 'low', 'medium', 'high', 'critical']).toContain(f.severity);
      expect([
        'wildcard-root',
        'sys-access',
        'sudo-misuse',
        'kv2-path',
        'deprecated-syntax',
        'invalid',
        'shadowed-rule',
        'overbroad-glob',
        'no-deny-sys',
        'naming',
        'auth-role',
      ]).toContain(f.category);
    }
    expect(doc).toMatchSnapshot();
  });

  it('--format sarif prints a SARIF 2.1.0 log', async () => {
    const r = await runCli(['policy', 'lint', 'policies', '--format', 'sarif'], { cwd: dir });
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    expect(
      log.runs[0].results.map(
        (x: {
          ruleId: string;
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }>;
        }) => [
          x.ruleId,
          x.locations[0]?.physicalLocation.artifactLocation.uri,
          x.locations[0]?.physicalLocation.region?.startLine,
        ],
      ),
    ).toMatchSnapshot();
  });

  it('--fail-on decides the exit code', async () => {
    const clean = await runCli(['policy', 'lint', 'policies/payment-service-read.hcl'], { cwd: dir });
    expect([clean.code, clean.stdout]).toEqual([0, 'No findings in 1 file (1 policy, 0 auth roles).\n']);
    expect((await runCli(['policy', 'lint', 'policies', '--fail-on', 'critical'], { cwd: dir })).code).toBe(1);
    expect((await runCli(['policy', 'lint', 'roles.yaml', '--fail-on', 'critical'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['policy', 'lint', 'policies', '--fail-on', 'none'], { cwd: dir })).code).toBe(0);
  });

  it('--kv2-mount names the KV v2 mounts', async () => {
    writeFileSync(
      join(dir, 'kv-reader.hcl'),
      'path "kv/team/x" { capabilities = ["read"] }\npath "sys/*" { capabilities = ["deny"] }\n',
    );
    const without = await runCli(['policy', 'lint', 'kv-reader.hcl', '--format', 'json'], { cwd: dir });
    const withKv = await runCli(['policy', 'lint', 'kv-reader.hcl', '--kv2-mount', 'kv', '--format', 'json'], {
      cwd: dir,
    });
    expect(JSON.parse(without.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['policy-naming']);
    expect(JSON.parse(withKv.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual([
      'kv2-missing-prefix',
      'policy-naming',
    ]);
  });

  it('invalid policies are reported with their line and exit 2', async () => {
    const r = await runCli(['policy', 'lint', 'broken.hcl', 'policies/payment-service-read.hcl'], { cwd: dir });
    expect([r.code, r.stdout]).toMatchSnapshot();
    const json = await runCli(['policy', 'lint', 'broken.hcl', '--format', 'json'], { cwd: dir });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).findings[0]).toMatchObject({
      rule: 'invalid-policy',
      category: 'invalid',
      file: 'broken.hcl',
      line: 2,
    });
  });

  it('lints the Vault resources of Terraform files, skipping other .tf files in a directory', async () => {
    const tf = mkdtempSync(join(tmpdir(), 'svm-lint-tf-'));
    writeFileSync(join(tf, 'network.tf'), 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n');
    writeFileSync(
      join(tf, 'vault.tf'),
      'resource "vault_kubernetes_auth_backend_role" "web" {\n  role_name                        = "web"\n  bound_service_account_names      = ["*"]\n  bound_service_account_namespaces = ["web"]\n  token_policies                   = ["web-read"]\n}\n',
    );
    const r = await runCli(['policy', 'lint', '.', '--format', 'json'], { cwd: tf });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings).toEqual([
      {
        rule: 'kubernetes-wildcard-binding',
        category: 'auth-role',
        severity: 'high',
        message: 'kubernetes role kubernetes/web: bound_service_account_names is "*"',
        file: 'vault.tf',
        line: 1,
        fix: 'Bind the exact service account names and namespaces.',
      },
    ]);
  });

  it('unreadable input and usage errors exit 2 with one line', async () => {
    const missing = await runCli(['policy', 'lint', 'nope/'], { cwd: dir });
    const badFormat = await runCli(['policy', 'lint', 'policies', '--format', 'xml'], { cwd: dir });
    const badFail = await runCli(['policy', 'lint', 'policies', '--fail-on', 'urgent', '--json'], { cwd: dir });
    expect([
      missing.code,
      missing.stderr,
      badFormat.code,
      badFormat.stderr,
      badFail.code,
      badFail.stdout,
    ]).toMatchSnapshot();
  });
});
