import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyHcl } from '../engine/default-policy.js';
import { parsePolicy } from '../parse/parse-policy.js';
import { lintAuthRoles, lintFiles, lintPolicies, lintSources } from './lint.js';
import { LINT_CATEGORIES, LINT_RULES } from './rules.js';
import { toSarif } from './sarif.js';

const rulesOf = (hcl: string, name = 'payment-service-read', kv2Mounts?: string[]) =>
  lintPolicies([parsePolicy(hcl, { name, file: `${name}.hcl` })], { kv2Mounts }).map((f) => f.rule);
const DENY_SYS = '\npath "sys/*" { capabilities = ["deny"] }\n';

describe('policy rules', () => {
  it('a least-privilege service policy is clean', () => {
    expect(rulesOf(`path "secret/data/production/payment/api-keys" { capabilities = ["read"] }${DENY_SYS}`)).toEqual(
      [],
    );
  });

  it.each([
    ['path "*" { capabilities = ["read"] }', 'wildcard-root'],
    ['path "+/*" { capabilities = ["list"] }', 'wildcard-root'],
    ['path "+/+/*" { capabilities = ["read"] }', 'wildcard-root'],
    ['path "sys/mounts/*" { capabilities = ["create", "update"] }', 'sys-write'],
    ['path "sys/mounts" { capabilities = ["read"] }', 'sys-read'],
    ['path "sys/audit" { capabilities = ["read", "sudo"] }', 'sys-read'],
    ['path "secret/data/app/x" { capabilities = ["read", "sudo"] }', 'sudo-not-root-protected'],
    ['path "secret/production/app/x" { capabilities = ["read"] }', 'kv2-missing-prefix'],
    ['path "secret/data/app/x" { policy = "read" }', 'legacy-policy-syntax'],
    ['path "secret/data/*/x" { capabilities = ["read"] }', 'glob-not-trailing'],
    ['path "secret/data/+/x+y" { capabilities = ["read"] }', 'plus-not-whole-segment'],
    ['path "lit/+bar*" { capabilities = ["read"] }', 'plus-not-whole-segment'],
    ['path "secret/data/*" { capabilities = ["create", "update"] }', 'overbroad-write-glob'],
    ['path "transit/encrypt/*" { capabilities = ["update"] }', 'overbroad-write-glob'],
    ['path "secret/*" { capabilities = ["read"] }\npath "secret/+/*" { capabilities = ["list"] }', 'shadowed-rule'],
    [
      'path "secret/metadata/a/*" { capabilities = ["list"] }\npath "secret/metadata/a" { capabilities = ["delete"] }',
      'rule-blocks-grant',
    ],
    [
      'path "secret/data/a/*" { capabilities = ["read"] }\npath "secret/data/a/b/*" { capabilities = ["delete"] }',
      'rule-blocks-grant',
    ],
    [
      'path "secret/data/+/x" { capabilities = ["read"] }\npath "secret/data/app/+" { capabilities = ["update"] }',
      'rule-blocks-grant',
    ],
  ])('%s → %s', (hcl, rule) => {
    expect(rulesOf(`${hcl}${DENY_SYS}`)).toContain(rule);
  });

  it('rule-blocks-grant: names the blocking rule, its line and an example request; not for explicit deny or a superset', () => {
    const text =
      'path "secret/metadata/a/*" {\n  capabilities = ["list"]\n}\npath "secret/metadata/a" {\n  capabilities = ["delete"]\n}\n' +
      DENY_SYS;
    const f = lintPolicies([parsePolicy(text, { name: 'a-read', file: 'a-read.hcl' })]).filter(
      (x) => x.rule === 'rule-blocks-grant',
    );
    expect(f).toEqual([
      expect.objectContaining({
        severity: 'medium',
        line: 4,
        message:
          'path "secret/metadata/a" blocks "secret/metadata/a/*": list secret/metadata/a/ is refused although "secret/metadata/a/*" grants it (only the deciding rule\'s capabilities count)',
      }),
    ]);
    expect(
      rulesOf(
        `path "secret/data/a/*" { capabilities = ["read"] }\npath "secret/data/a/hidden/*" { capabilities = ["deny"] }${DENY_SYS}`,
      ),
    ).not.toContain('rule-blocks-grant');
    expect(
      rulesOf(
        `path "secret/data/a/*" { capabilities = ["read"] }\npath "secret/data/a/b" { capabilities = ["read", "update"] }${DENY_SYS}`,
      ),
    ).not.toContain('rule-blocks-grant');
  });

  it('sys-read is low in a policy named as an admin policy (-admin, -operator, -audit), where sys reads are its purpose', () => {
    const text = `path "sys/audit" { capabilities = ["read", "sudo"] }\npath "sys/mounts" { capabilities = ["read"] }\npath "sys/storage/raft/*" { capabilities = ["read"] }`;
    for (const name of ['vault-doctor-audit', 'platform-admin', 'oncall-operator']) {
      const found = lintPolicies([parsePolicy(text, { name, file: `${name}.hcl` })]).filter(
        (f) => f.rule === 'sys-read',
      );
      expect(found.map((f) => f.severity)).toEqual(['low', 'low', 'low']);
    }
    const service = lintPolicies([parsePolicy(text, { name: 'web-read', file: 'web-read.hcl' })]);
    expect(service.filter((f) => f.rule === 'sys-read').map((f) => f.severity)).toEqual(['high', 'medium', 'high']);
  });

  it('read + sudo on sys/audit is a (high) sys-read with a read-worded fix, not sys-write', () => {
    const rules = rulesOf(`path "sys/audit" { capabilities = ["read", "sudo"] }${DENY_SYS}`, 'audit-reader');
    expect(rules).toContain('sys-read');
    expect(rules).not.toContain('sys-write');
  });

  it('does not flag sudo on root-protected endpoints, nor the default policy sys endpoints', () => {
    expect(
      rulesOf(`path "sys/audit/*" { capabilities = ["create", "update", "sudo"] }${DENY_SYS}`, 'audit-admin'),
    ).not.toContain('sudo-not-root-protected');
    expect(
      rulesOf(`path "pki/root/sign-self-issued" { capabilities = ["update", "sudo"] }${DENY_SYS}`, 'pki-admin'),
    ).not.toContain('sudo-not-root-protected');
    expect(rulesOf(`path "sys/leases/renew" { capabilities = ["update"] }${DENY_SYS}`)).toEqual([]);
  });

  it("the default policy (as the server ships it) is clean: cubbyhole/* writes reach only the caller's own cubbyhole", () => {
    for (const flavor of ['vault', 'openbao'] as const)
      expect(
        lintPolicies([parsePolicy(defaultPolicyHcl(flavor), { name: 'default', flavor })], { flavor }).map(
          (f) => `${f.rule}:${f.line}`,
        ),
      ).toEqual([]);
    expect(rulesOf(`path "cubbyhole/*" { capabilities = ["create", "update", "delete"] }${DENY_SYS}`)).toEqual([]);
  });

  it('knows KV v2 mounts from --kv2-mount only', () => {
    expect(rulesOf(`path "kv/team/x" { capabilities = ["read"] }${DENY_SYS}`)).toEqual([]);
    expect(rulesOf(`path "kv/team/x" { capabilities = ["read"] }${DENY_SYS}`, 'payment-service-read', ['kv'])).toEqual([
      'kv2-missing-prefix',
    ]);
  });

  it('the missing sys deny is low and names are checked against {service}-{access-level}', () => {
    const findings = lintPolicies([
      parsePolicy('path "secret/data/a/b" { capabilities = ["read"] }', { name: 'MyPolicy', file: 'MyPolicy.hcl' }),
    ]);
    expect(findings.map((f) => [f.rule, f.severity, f.category])).toEqual([
      ['no-deny-sys', 'low', 'no-deny-sys'],
      ['policy-naming', 'low', 'naming'],
    ]);
  });

  it('rules that win somewhere are not shadowed', () => {
    expect(
      rulesOf(
        `path "secret/data/*" { capabilities = ["read"] }\npath "secret/data/app/*" { capabilities = ["read"] }${DENY_SYS}`,
      ),
    ).toEqual([]);
    expect(
      rulesOf(
        `path "secret/+/x" { capabilities = ["read"] }\npath "secret/+/+" { capabilities = ["read"] }${DENY_SYS}`,
      ),
    ).toEqual([]);
  });

  it('reports file, line and a fix for each finding', () => {
    const [f] = lintPolicies([
      parsePolicy('# x\n\npath "*" {\n  capabilities = ["read"]\n}\npath "sys/*" { capabilities = ["deny"] }', {
        name: 'root-read',
        file: 'p/root-read.hcl',
      }),
    ]);
    expect(f).toMatchObject({
      rule: 'wildcard-root',
      category: 'wildcard-root',
      severity: 'critical',
      file: 'p/root-read.hcl',
      line: 3,
    });
    expect(f?.fix).toMatch(/exact mounts/);
  });
});

describe('auth role rules', () => {
  const rules = (method: string, body: Record<string, unknown>) =>
    lintAuthRoles([{ method, name: 'r', body }]).map((f) => f.rule);

  it('flags AppRoles without CIDRs (low) and with unlimited or eternal SecretIDs (medium)', () => {
    expect(rules('approle', { secret_id_num_uses: 1, secret_id_ttl: '10m' })).toEqual(['approle-no-cidr']);
    expect(
      rules('approle', { secret_id_num_uses: 0, secret_id_ttl: 600, secret_id_bound_cidrs: ['10.0.0.0/8'] }),
    ).toEqual(['approle-unlimited-secret-id']);
    expect(rules('approle', { secret_id_num_uses: 1, secret_id_ttl: 0, token_bound_cidrs: '10.0.0.0/8' })).toEqual([
      'approle-unlimited-secret-id',
    ]);
    expect(rules('approle', { bind_secret_id: false, token_bound_cidrs: ['10.0.0.0/8'] })).toEqual([]);
  });

  it('flags long token TTLs', () => {
    expect(
      rules('kubernetes', {
        bound_service_account_names: ['a'],
        bound_service_account_namespaces: ['b'],
        token_max_ttl: '25h',
      }),
    ).toEqual(['token-max-ttl-over-24h']);
    expect(
      rules('kubernetes', {
        bound_service_account_names: ['a'],
        bound_service_account_namespaces: ['b'],
        token_ttl: '31d',
        token_max_ttl: '31d',
      }),
    ).toEqual(['token-ttl-over-30d', 'token-max-ttl-over-24h']);
  });

  it('flags Kubernetes roles bound to *', () => {
    expect(
      rules('kubernetes', { bound_service_account_names: ['*'], bound_service_account_namespaces: ['prod'] }),
    ).toEqual(['kubernetes-wildcard-binding']);
    expect(rules('kubernetes', { bound_service_account_names: 'app', bound_service_account_namespaces: '*' })).toEqual([
      'kubernetes-wildcard-binding',
    ]);
  });

  it('flags JWT roles without bound claims or audiences, and GitHub roles without a repository', () => {
    expect(rules('jwt', { role_type: 'jwt', user_claim: 'sub' })).toEqual([
      'jwt-no-bound-audiences',
      'jwt-no-bound-claims',
    ]);
    expect(
      rules('jwt', { bound_audiences: ['https://github.com/acme'], bound_claims: { ref: 'refs/heads/main' } }),
    ).toEqual(['jwt-github-unbound-repository']);
    expect(
      rules('jwt', {
        bound_audiences: ['https://github.com/acme'],
        bound_claims_type: 'glob',
        bound_claims: { repository: 'acme/*' },
      }),
    ).toEqual(['jwt-github-unbound-repository']);
    expect(
      rules('jwt', { bound_audiences: ['https://github.com/acme'], bound_claims: { repository: 'acme/web' } }),
    ).toEqual([]);
  });

  it('infers the method from the body when not given', () => {
    expect(
      lintAuthRoles([
        { name: 'x', body: { bound_service_account_names: ['*'], bound_service_account_namespaces: ['*'] } },
      ])[0]?.message,
    ).toBe('kubernetes role x: bound_service_account_names and bound_service_account_namespaces are "*"');
  });
});

describe('lintSources', () => {
  it('reports invalid policies as findings with their line instead of throwing', () => {
    const report = lintSources([
      { file: 'bad.hcl', text: 'path "secret/data/x" {\n  capabilities = ["read", "fly"]\n}\n' },
    ]);
    expect(report.invalid).toBe(1);
    expect(report.findings[0]).toMatchObject({ rule: 'invalid-policy', category: 'invalid', file: 'bad.hcl', line: 2 });
  });

  it('reads API request documents (policies and roles) and role documents', () => {
    const requests = JSON.stringify(
      {
        requests: [
          {
            method: 'PUT',
            path: 'sys/policies/acl/web-read',
            body: { policy: 'path "*" { capabilities = ["read"] }' },
          },
          { method: 'POST', path: 'auth/approle/role/web', body: { secret_id_num_uses: 0, secret_id_ttl: 0 } },
        ],
      },
      null,
      2,
    );
    const report = lintSources([
      { file: 'api.json', text: requests },
      {
        file: 'roles.yaml',
        text: 'roles:\n  - path: auth/k8s/role/web\n    body:\n      bound_service_account_names: ["*"]\n      bound_service_account_namespaces: [web]\n',
      },
    ]);
    expect(report.findings.map((f) => [f.file, f.line, f.rule])).toEqual([
      ['api.json', 5, 'wildcard-root'],
      ['api.json', 5, 'no-deny-sys'],
      ['api.json', 12, 'approle-unlimited-secret-id'],
      ['api.json', 12, 'approle-no-cidr'],
      ['roles.yaml', 2, 'kubernetes-wildcard-binding'],
    ]);
  });

  it('never throws on arbitrary input (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('p.hcl', 'p.json', 'r.yaml'), (text, file) => {
        const report = lintSources([{ file, text }]);
        expect(report.files).toBe(1);
      }),
      { numRuns: 400 },
    );
  });

  it('every rule has a known category and a fix', () => {
    for (const r of LINT_RULES) {
      expect(LINT_CATEGORIES).toContain(r.category);
      expect(r.fix.length).toBeGreaterThan(10);
    }
    expect(new Set(LINT_RULES.map((r) => r.id)).size).toBe(LINT_RULES.length);
    expect(new Set(LINT_RULES.map((r) => r.category))).toEqual(new Set(LINT_CATEGORIES));
  });
});

describe('SARIF', () => {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@microsoft/jest-sarif/package.json');
  const fromPkg = createRequire(pkg);
  // The official SARIF 2.1.0 JSON schema (draft-04) as shipped by Microsoft's @microsoft/jest-sarif, checked with its ajv.
  type Validator = ((d: unknown) => boolean) & { errors?: unknown };
  const Ajv = fromPkg('ajv') as new (o: object) => { addMetaSchema(s: object): void; compile(s: object): Validator };
  const ajv = new Ajv({ allErrors: true, schemaId: 'auto', validateSchema: false });
  ajv.addMetaSchema(fromPkg('ajv/lib/refs/json-schema-draft-04.json') as object);
  const validate = ajv.compile(fromPkg('./lib/schemas/sarif-2.1.0-rtm.5.json') as object);

  it('validates against the SARIF 2.1.0 schema, with rules, locations and security severities', () => {
    const report = lintSources([
      { file: 'policies/x.hcl', text: 'path "*" {\n  capabilities = ["read", "sudo"]\n}\n' },
    ]);
    const log = toSarif(report.findings, { version: '0.1.0' });
    const ok = validate(log);
    expect(validate.errors ?? null).toBeNull();
    expect(ok).toBe(true);
    const result = log.runs[0]?.results?.[0];
    expect(result).toMatchObject({
      ruleId: 'wildcard-root',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'policies/x.hcl' }, region: { startLine: 1 } } }],
    });
    expect(log.runs[0]?.tool.driver.rules?.[result?.ruleIndex ?? -1]?.id).toBe('wildcard-root');
  });

  it('engine findings from an api-json document are valid SARIF too, located on the request line', () => {
    const text = JSON.stringify(
      {
        requests: [
          { method: 'POST', path: 'db/config/pg', kind: 'engine', engine: 'database-connection', body: {} },
          { method: 'POST', path: 'ssh/roles/ops', kind: 'engine', engine: 'ssh-role', body: { ttl: 28_800 } },
        ],
      },
      null,
      2,
    );
    const report = lintSources([{ file: 'api/requests.json', text }]);
    expect(report.findings.map((f) => [f.rule, f.line])).toEqual([
      ['database-root-not-rotated', 5],
      ['ssh-cert-ttl-over-1h', 12],
    ]);
    const log = toSarif(report.findings, { version: '0.1.0' });
    expect(validate(log)).toBe(true);
    const results = log.runs[0]?.results ?? [];
    expect(results.map((r) => [r.ruleId, log.runs[0]?.tool.driver.rules?.[r.ruleIndex ?? -1]?.id])).toEqual([
      ['database-root-not-rotated', 'database-root-not-rotated'],
      ['ssh-cert-ttl-over-1h', 'ssh-cert-ttl-over-1h'],
    ]);
  });
});

describe('Terraform (lintFiles)', () => {
  it('reads vault_policy heredocs, vault_policy_document rules and role resources, with .tf lines', async () => {
    const text = [
      'resource "vault_policy" "ops" {', // 1
      '  name   = "ops-read"', // 2
      '  policy = <<-EOT', // 3
      '    path "*" {', // 4
      '      capabilities = ["read"]',
      '    }',
      '    path "sys/*" {',
      '      capabilities = ["deny"]',
      '    }',
      '  EOT',
      '}',
      '', // 12
      'data "vault_policy_document" "ci_deploy" {', // 13
      '  rule {',
      '    path         = "sys/*"',
      '    capabilities = ["deny"]',
      '  }',
      '  rule {',
      '    path         = "secret/data/*"', // 19
      '    capabilities = ["create", "update"]',
      '  }',
      '}',
      '', // 23
      'resource "vault_jwt_auth_backend_role" "ci" {', // 24
      '  role_name       = "ci"',
      '  role_type       = "jwt"',
      '  bound_audiences = ["https://github.com/acme"]',
      '  bound_claims    = { ref = "refs/heads/main" }',
      '}',
      '',
    ].join('\n');
    const report = await lintFiles([{ file: 'vault.tf', text }]);
    expect(report.findings.map((f) => [f.line, f.rule])).toEqual([
      [4, 'wildcard-root'],
      [19, 'overbroad-write-glob'],
      [24, 'jwt-github-unbound-repository'],
    ]);
    expect([report.policies, report.roles, report.invalid]).toEqual([2, 1, 0]);
  });

  it('reports a Terraform syntax error and a bad policy inside it with their lines', async () => {
    const broken = await lintFiles([{ file: 'a.tf', text: 'resource "vault_policy" "x" {\n  name = \n}\n' }]);
    expect(broken.findings.map((f) => [f.rule, f.line])).toEqual([['invalid-policy', 2]]);
    const badPolicy = await lintFiles([
      {
        file: 'b.tf',
        text: 'resource "vault_policy" "x" {\n  name   = "x-read"\n  policy = <<EOT\npath "a/b" {\n  capabilities = ["fly"]\n}\nEOT\n}\n',
      },
    ]);
    expect(badPolicy.findings.map((f) => [f.rule, f.line])).toEqual([['invalid-policy', 5]]);
  });

  it('leaves policies built from expressions alone', async () => {
    const report = await lintFiles([
      { file: 'c.tf', text: 'resource "vault_policy" "x" {\n  name   = "x-read"\n  policy = file("x.hcl")\n}\n' },
    ]);
    expect([report.policies, report.findings]).toEqual([0, []]);
  });
});
