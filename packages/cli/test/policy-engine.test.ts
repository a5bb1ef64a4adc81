import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

// Policies written to a temporary folder; the CLI runs with that folder as its working directory so
// file names in the output are stable.
let cwd = '';
const write = (file: string, text: string): void => {
  mkdirSync(join(cwd, file, '..'), { recursive: true });
  writeFileSync(join(cwd, file), text);
};
const svm = (argv: string[], options: { stdin?: string } = {}) => runCli(argv, { ...options, cwd });

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'svm-policy-cli-'));
  write(
    'policies/app.hcl',
    `path "secret/data/app/*" {
  capabilities = ["read", "list"]
}

path "secret/data/app/admin/*" {
  capabilities = ["deny"]
}

path "auth/token/create" {
  capabilities = ["update"]
  allowed_parameters = { "ttl" = ["15m"] }
}
`,
  );
  write(
    'policies/ops.hcl',
    'path "sys/seal" {\n  capabilities = ["update", "sudo"]\n}\n\npath "secret/data/*" {\n  capabilities = ["list"]\n}\n',
  );
  write('policies/notes.txt', 'not a policy');
  write('fmt-empty/readme.txt', 'no policies here');
  write('bad/broken.hcl', 'path "a" {\n  capabilities = ["read", "reed"]\n}\n');
  write('after/app.hcl', 'path "secret/data/app/*" {\n  capabilities = ["read", "list", "update"]\n}\n');
  write('after/ops.hcl', 'path "sys/seal" {\n  capabilities = ["update"]\n}\n');
});

describe('svm policy eval', () => {
  it('prints the decision as text', async () => {
    const r = await svm(['policy', 'eval', '--policy', 'policies', '--path', 'secret/data/app/db']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatchInlineSnapshot(`
      "ALLOWED  read secret/data/app/db
        decided by:    policy "app", pattern "secret/data/app/*" (policies/app.hcl:1:6)
        capabilities:  list, read (sys/capabilities for the path)
        sudo:          no
        reason:        "secret/data/app/*" in policy "app" grants read
      "
    `);
  });

  it('prints exactly the contract fields with --json and exits 0 when denied', async () => {
    const r = await svm([
      'policy',
      'eval',
      '--policy',
      'policies/app.hcl',
      '--policy',
      'policies/ops.hcl',
      '--path',
      'sys/seal',
      '--op',
      'delete',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(['path', 'op', 'allowed', 'sudo', 'capabilities', 'decidedBy']);
    expect(JSON.parse(r.stdout)).toMatchInlineSnapshot(`
      {
        "allowed": false,
        "capabilities": [
          "sudo",
          "update",
        ],
        "decidedBy": {
          "capabilities": [
            "sudo",
            "update",
          ],
          "pattern": "sys/seal",
          "policy": "ops",
        },
        "op": "delete",
        "path": "sys/seal",
        "sudo": true,
      }
    `);
  });

  it('checks --data and --wrap-ttl', async () => {
    const ok = await svm([
      'policy',
      'eval',
      '--policy',
      'policies',
      '--path',
      'auth/token/create',
      '--op',
      'update',
      '--data',
      '{"ttl":"15m"}',
      '--json',
    ]);
    const bad = await svm([
      'policy',
      'eval',
      '--policy',
      'policies',
      '--path',
      'auth/token/create',
      '--op',
      'update',
      '--data',
      '{"ttl":"24h"}',
      '--json',
    ]);
    expect([JSON.parse(ok.stdout).allowed, JSON.parse(bad.stdout).allowed]).toEqual([true, false]);
  });

  it('evaluates an NDJSON batch from standard input, one result per line in order', async () => {
    const cases = [
      '{"path":"secret/data/app/db"}',
      '',
      '{"path":"secret/data/app/admin/root","op":"read"}',
      '{"path":"sys/seal","op":"update"}',
      '{"path":"auth/token/create","op":"update","data":{"ttl":"1h"}}',
      '{"path":"nothing","op":"list"}',
    ].join('\n');
    const r = await svm(['policy', 'eval', '--policy', 'policies', '--batch', '-'], { stdin: `${cases}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "{"path":"secret/data/app/db","op":"read","allowed":true,"sudo":false,"capabilities":["list","read"],"decidedBy":{"policy":"app","pattern":"secret/data/app/*","capabilities":["list","read"]}}
      {"path":"secret/data/app/admin/root","op":"read","allowed":false,"sudo":false,"capabilities":["deny"],"decidedBy":{"policy":"app","pattern":"secret/data/app/admin/*","capabilities":["deny"]}}
      {"path":"sys/seal","op":"update","allowed":true,"sudo":true,"capabilities":["sudo","update"],"decidedBy":{"policy":"ops","pattern":"sys/seal","capabilities":["sudo","update"]}}
      {"path":"auth/token/create","op":"update","allowed":false,"sudo":false,"capabilities":["update"],"decidedBy":{"policy":"app","pattern":"auth/token/create","capabilities":["update"]}}
      {"path":"nothing","op":"list","allowed":false,"sudo":false,"capabilities":["deny"],"decidedBy":null}
      "
    `);
  });

  it('reads a batch file and names the line of a bad case', async () => {
    write('cases.ndjson', '{"path":"a"}\n{"path":"b","opp":"read"}\n');
    const r = await svm(['policy', 'eval', '--policy', 'policies', '--batch', 'cases.ndjson']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatchInlineSnapshot(`
      "svm: error: cases.ndjson:2: unknown field 'opp' (expected path, op, data, wrapTtl)
      "
    `);
  });

  it('attaches the default policy only with --with-default', async () => {
    const without = await svm(['policy', 'eval', '--policy', 'policies', '--path', 'auth/token/lookup-self', '--json']);
    const withDefault = await svm([
      'policy',
      'eval',
      '--policy',
      'policies',
      '--path',
      'auth/token/lookup-self',
      '--with-default',
      '--json',
    ]);
    expect(JSON.parse(without.stdout).allowed).toBe(false);
    expect(JSON.parse(withDefault.stdout).decidedBy).toEqual({
      policy: 'default',
      pattern: 'auth/token/lookup-self',
      capabilities: ['read'],
    });
  });

  it("capabilities is what sys/capabilities says for the path whatever --op; decidedBy keeps the rule's own (issue 10)", async () => {
    write('meta/app.hcl', 'path "secret/metadata/app" {\n  capabilities = ["list"]\n}\n');
    // OpenBao 2.7.2: sys/capabilities on secret/metadata/app/ → ["list"] (an exact rule without the slash counts).
    for (const op of ['read', 'update', 'list']) {
      const r = await svm([
        'policy',
        'eval',
        '--policy',
        'meta',
        '--path',
        'secret/metadata/app/',
        '--op',
        op,
        '--json',
      ]);
      expect(JSON.parse(r.stdout).capabilities, op).toEqual(['list']);
    }
    const list = await svm([
      'policy',
      'eval',
      '--policy',
      'meta',
      '--path',
      'secret/metadata/app/',
      '--op',
      'list',
      '--json',
    ]);
    expect(JSON.parse(list.stdout)).toMatchObject({
      allowed: true,
      decidedBy: { policy: 'app', pattern: 'secret/metadata/app', capabilities: ['list'] },
    });
    write('meta2/app.hcl', 'path "secret/metadata/app/*" {\n  capabilities = ["read", "list"]\n}\n');
    const text = await svm(['policy', 'eval', '--policy', 'meta2', '--path', 'secret/metadata/app', '--op', 'list']);
    expect(text.stdout).toContain(
      '  capabilities:  deny (sys/capabilities for the path)\n  rule grants:   list, read\n',
    );
  });

  it('reports a policy error as one line with file, line and column, exit 2', async () => {
    const r = await svm(['policy', 'eval', '--policy', 'bad', '--path', 'a']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatchInlineSnapshot(`
      "svm: error: bad/broken.hcl:2:27: path "a": invalid capability "reed" (expected one of create, read, update, patch, delete, list, sudo, deny, subscribe, recover)
      "
    `);
    const j = await svm(['policy', 'eval', '--policy', 'bad', '--path', 'a', '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toMatchInlineSnapshot(`
      {
        "error": {
          "code": "POLICY_INVALID",
          "column": 27,
          "file": "bad/broken.hcl",
          "kind": "user",
          "line": 2,
          "message": "path "a": invalid capability "reed" (expected one of create, read, update, patch, delete, list, sudo, deny, subscribe, recover)",
        },
      }
    `);
  });

  it.each([
    [['policy', 'eval', '--policy', 'policies'], 'give --path <path> (or --batch <cases.ndjson>)'],
    [['policy', 'eval', '--path', 'a'], '--policy is required (a policy file or a directory of policies)'],
    [
      ['policy', 'eval', '--policy', 'policies', '--path', 'a', '--data', '[1]'],
      '--data: expected a JSON object such as {"ttl":"1h"}',
    ],
    [
      ['policy', 'eval', '--policy', 'policies', '--path', 'a', '--op', 'write'],
      "option '--op <op>' argument 'write' is invalid. Allowed choices are create, read, update, patch, delete, list, help, revoke, renew, rollback, recover, scan.",
    ],
    [['policy', 'eval', '--policy', 'missing', '--path', 'a'], 'missing: no such file or directory'],
    [
      ['policy', 'eval', '--policy', 'fmt-empty', '--path', 'a'],
      '--policy: no .hcl or .json policy files in fmt-empty',
    ],
    [
      ['policy', 'eval', '--policy', 'policies', '--path', 'a', '--wrap-ttl', 'soon'],
      "--wrap-ttl: expected seconds or a duration such as 300 or 5m, got 'soon'",
    ],
  ])('usage error %j', async (argv, message) => {
    const r = await svm(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });
});

describe('svm policy explain', () => {
  it('lists the lookup steps and why the other matching rules lost', async () => {
    const r = await svm(['policy', 'explain', '--policy', 'policies', '--path', 'secret/data/app/admin/x']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "DENIED  read secret/data/app/admin/x
        decided by:    policy "app", pattern "secret/data/app/admin/*" (policies/app.hcl:5:6)
        capabilities:  deny (sys/capabilities for the path)
        sudo:          no
        reason:        "secret/data/app/admin/*" denies

      Lookup steps:
        STEP       PATH                     MATCHED
        exact      secret/data/app/admin/x  -
        non-exact  secret/data/app/admin/x  secret/data/app/admin/*

      Matching rules:
        OUTCOME  PATTERN                  CAPABILITIES  POLICIES                  WHY
        lost     secret/data/*            list          ops policies/ops.hcl:5:6  only the longest matching * prefix ("secret/data/app/admin/*") is considered; its capabilities are not added
        lost     secret/data/app/*        list,read     app policies/app.hcl:1:6  only the longest matching * prefix ("secret/data/app/admin/*") is considered; its capabilities are not added
        decided  secret/data/app/admin/*  deny          app policies/app.hcl:5:6  highest-priority wildcard match at the non-exact step; "secret/data/app/admin/*" denies
      "
    `);
  });

  it('returns the decision with its explanation as JSON', async () => {
    const r = await svm([
      'policy',
      'explain',
      '--policy',
      'policies',
      '--path',
      'secret/data/app/x',
      '--op',
      'list',
      '--json',
    ]);
    const d = JSON.parse(r.stdout);
    expect(d.reason).toBe('allowed');
    expect(
      d.explanation.candidates.map((c: { pattern: string; outcome: string }) => `${c.outcome} ${c.pattern}`),
    ).toEqual(['lost secret/data/*', 'decided secret/data/app/*']);
  });
});

describe('svm policy who-can', () => {
  it('lists which policies allow a request', async () => {
    const r = await svm(['policy', 'who-can', '--policy', 'policies', '--path', 'secret/data/app/db', '--op', 'list']);
    expect(r.stdout).toMatchInlineSnapshot(`
      "2 of 2 policies allow list secret/data/app/db

      POLICY  ALLOWED  SUDO  CAPABILITIES  DECIDED BY
      app     yes      no    list,read     secret/data/app/*
      ops     yes      no    list          secret/data/*
      "
    `);
    const j = await svm([
      'policy',
      'who-can',
      '--policy',
      'policies',
      '--path',
      'sys/seal',
      '--op',
      'update',
      '--json',
    ]);
    expect(JSON.parse(j.stdout).allowed).toEqual(['ops']);
  });
});

describe('svm policy who-can --requirements', () => {
  it('answers per generated auth role, with all its policies and the default policy', async () => {
    const requirements = join(__dirname, '../../../examples/quickstart/data/requirements.yaml');
    write(
      'roles/payment-service-production-read.hcl',
      'path "secret/data/production/payment-service/*" {\n  capabilities = ["read"]\n}\n',
    );
    const r = await svm([
      'policy',
      'who-can',
      '--policy',
      'roles',
      '--path',
      'secret/data/production/payment-service/api-keys',
      '--requirements',
      requirements,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as { roles: { role: string; allowed: boolean; missing: string[] }[] };
    expect(d.roles.filter((x) => x.allowed).map((x) => x.role)).toEqual([
      'auth/approle/role/payment-service-production',
      'auth/kubernetes/role/payment-service-production',
    ]);
    expect(d.roles.find((x) => x.role === 'auth/jwt/role/ci-deployer-staging')?.missing).toEqual([
      'ci-deployer-staging-deploy',
    ]);
  });
});

describe('svm policy diff', () => {
  it('shows capabilities added and removed per path, and --exit-code fails on drift', async () => {
    const r = await svm([
      'policy',
      'diff',
      '--before',
      'policies',
      '--after',
      'after',
      '--path',
      'secret/data/app/db',
      '--path',
      'sys/seal',
      '--path',
      'auth/token/lookup-self',
      '--exit-code',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatchInlineSnapshot(`
      "2 of 3 paths changed (paths given)

      PATH                BEFORE       AFTER             ADDED    REMOVED
      secret/data/app/db  list,read    list,read,update  +update  -
      sys/seal            sudo,update  update            -        -sudo
      "
    `);
  });

  it('samples paths from the patterns of both sets when none are given', async () => {
    const r = await svm(['policy', 'diff', '--before', 'policies', '--after', 'after', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.entries.map((e: { path: string }) => e.path)).toContain('auth/token/create');
  });

  it('collects the paths the generator grants for a requirements file', async () => {
    const requirements = join(__dirname, '../../../examples/quickstart/data/requirements.yaml');
    const r = await svm([
      'policy',
      'diff',
      '--before',
      'policies',
      '--after',
      'after',
      '--requirements',
      requirements,
      '--all',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.paths).toBeGreaterThan(5);
    expect(d.entries.some((e: { path: string }) => e.path.startsWith('secret/data/'))).toBe(true);
  });

  it('collects paths from an audit log', async () => {
    write(
      'audit.log',
      `${JSON.stringify({ type: 'request', request: { path: 'sys/seal', operation: 'update' } })}\nnot json\n`,
    );
    const r = await svm([
      'policy',
      'diff',
      '--before',
      'policies',
      '--after',
      'after',
      '--audit-log',
      'audit.log',
      '--json',
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({
      paths: 1,
      changed: 1,
      entries: [{ path: 'sys/seal', removed: ['sudo'] }],
    });
  });
});

describe('svm policy fmt', () => {
  const messy =
    '# header\n\npath "b"   {capabilities=["read","list"] # why\n  # about ttl\n  max_wrapping_ttl=300 }\n# trailing\n';
  it('prints the canonical form, keeping comments', async () => {
    write('fmt/messy.hcl', messy);
    const r = await svm(['policy', 'fmt', 'fmt/messy.hcl']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "# header

      path "b" {
        capabilities = ["read", "list"] # why
        # about ttl
        max_wrapping_ttl = "5m"
      }

      # trailing
      "
    `);
  });

  it('formats a JSON policy as JSON', async () => {
    write('fmtj/a.json', '{"path":{"secret/*":{"capabilities":["read","list"]}}}');
    const r = await svm(['policy', 'fmt', 'fmtj/a.json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ path: { 'secret/*': { capabilities: ['read', 'list'] } } });
  });

  it('--check exits 1 and lists unformatted files; --write fixes them', async () => {
    write('fmt2/messy.hcl', messy);
    write('fmt2/ok.hcl', 'path "a" {\n  capabilities = ["read"]\n}\n');
    const check = await svm(['policy', 'fmt', '--check', 'fmt2']);
    expect([check.code, check.stdout]).toEqual([
      1,
      'fmt2/messy.hcl\n1 file(s) not formatted (run svm policy fmt --write)\n',
    ]);
    const w = await svm(['policy', 'fmt', '--write', 'fmt2']);
    expect(w.code).toBe(0);
    expect(readFileSync(join(cwd, 'fmt2/messy.hcl'), 'utf8')).toContain('  max_wrapping_ttl = "5m"\n');
    const again = await svm(['policy', 'fmt', '--check', 'fmt2']);
    expect([again.code, again.stdout]).toEqual([0, '2 file(s) already formatted\n']);
  });
});

describe('svm demo: policy eval step', () => {
  it('evaluates the example policies as the payments API token', async () => {
    const { runPolicyEvalDemo } = await import('../src/demo/steps.ts');
    const examplesDir = join(__dirname, '../../../examples/quickstart/data');
    const step = await runPolicyEvalDemo({ examplesDir, today: '2026-01-01', workDir: cwd });
    expect(step).toMatchInlineSnapshot(`
      {
        "lines": [
          "4 policies from examples/policies; a token holding "payments-api" (5 rules):",
          "  read secret/data/payments/prod/config: allowed by "secret/data/payments/+/config"",
          "  read secret/data/payments/signing/hsm-key: denied by "secret/data/payments/signing/*" (explicit deny beats the broader rule)",
          "  read secret/data/payroll/prod/config: denied (no rule matches: deny by default)",
          "  update sys/policies/acl/admin: denied (no rule matches: deny by default)",
        ],
        "name": "policy eval",
        "status": "ok",
      }
    `);
  });

  it('picks a readable rule from a generated folder', async () => {
    const { runPolicyEvalDemo } = await import('../src/demo/steps.ts');
    write('generated/web-prod.hcl', 'path "kv/data/web/prod/*" {\n  capabilities = ["read"]\n}\n');
    const step = await runPolicyEvalDemo(
      { examplesDir: '/nonexistent', today: '2026-01-01', workDir: cwd },
      join(cwd, 'generated'),
    );
    expect(step.lines).toEqual([
      '1 policy from the generated folder; a token holding "web-prod" (1 rule):',
      '  read kv/data/web/prod/demo: allowed by "kv/data/web/prod/*"',
      '  read kv/data/web-other/prod/demo: denied (no rule matches: deny by default)',
      '  update sys/policies/acl/admin: denied (no rule matches: deny by default)',
    ]);
  });
});
