import { readFileSync } from 'node:fs';
import { parse as parseHcl2 } from '@cdktf/hcl2json';
import { Requirements, loadDocument } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { generateConfig } from '../src/generate/plan.js';
import { GENERATE_TARGETS, renderTargets } from '../src/generate/targets.js';
import { parsePolicy } from '../src/parse/parse-policy.js';

const file = new URL('../../../examples/quickstart/data/requirements.yaml', import.meta.url);
const requirements = loadDocument(readFileSync(file, 'utf8'), { file: 'requirements.yaml' }, Requirements);
const config = generateConfig(requirements);
const files = renderTargets(config, GENERATE_TARGETS);

describe('every target, for the quickstart requirements', () => {
  it('has no warnings', () => {
    expect(config.warnings).toEqual([]);
  });

  for (const target of GENERATE_TARGETS) {
    it(`renders ${target} (snapshot)`, async () => {
      const mine = files.filter((f) => f.target === target);
      expect(mine.length).toBeGreaterThan(0);
      for (const f of mine) await expect(f.content).toMatchFileSnapshot(`__snapshots__/quickstart/${f.path}`);
    });
  }

  it('HCL policies parse back with the engine parser into the same rules', () => {
    for (const policy of config.policies) {
      const parsed = parsePolicy(policy.hcl, { name: policy.name });
      expect(parsed.rules.map((r) => [r.path, r.capabilities])).toEqual(
        policy.rules.map((r) => [r.path, r.capabilities]),
      );
    }
  });

  it('Terraform parses with HashiCorp HCL2 (WASM build) and has the resources and references it should', async () => {
    const tf = files.find((f) => f.target === 'terraform')?.content ?? '';
    const json = (await parseHcl2('vault.tf', tf)) as {
      resource: Record<string, Record<string, Array<Record<string, unknown>>>>;
    };
    const r = json.resource;
    expect(Object.keys(r).sort()).toEqual([
      'terraform_data',
      'vault_approle_auth_backend_role',
      'vault_database_secret_backend_connection',
      'vault_database_secret_backend_role',
      'vault_database_secret_backend_static_role',
      'vault_jwt_auth_backend_role',
      'vault_kubernetes_auth_backend_role',
      'vault_mount',
      'vault_pki_secret_backend_role',
      'vault_pki_secret_backend_root_cert',
      'vault_policy',
      'vault_ssh_secret_backend_ca',
      'vault_ssh_secret_backend_role',
      'vault_transit_secret_backend_key',
    ]);
    // The admin password is a sensitive variable, never a value; rotate-root runs after the connection exists.
    const connection = Object.values(r.vault_database_secret_backend_connection ?? {}).flat()[0] as {
      postgresql: Array<Record<string, unknown>>;
    };
    expect(connection.postgresql[0]?.password).toMatch(/^\$\{var\.[a-z_]+_admin_password\}$/);
    const rotate = Object.values(r.terraform_data ?? {}).flat()[0] as { provisioner: Array<Record<string, unknown>> };
    expect(JSON.stringify(rotate)).toContain('vault write -force database/rotate-root/payments-pg');
    const variables = (json as unknown as { variable: Record<string, Array<{ sensitive: boolean }>> }).variable;
    expect(Object.values(variables).flat()[0]?.sensitive).toBe(true);
    expect(Object.keys(r.vault_policy ?? {})).toHaveLength(config.policies.length);
    const roles = [
      r.vault_approle_auth_backend_role,
      r.vault_kubernetes_auth_backend_role,
      r.vault_jwt_auth_backend_role,
    ].flatMap((x) => Object.values(x ?? {}));
    expect(roles).toHaveLength(config.roles.length);
    // The heredoc holds the exact policy text, and token_policies reference the policy resources.
    const first = config.policies[0];
    const tfPolicy = Object.values(r.vault_policy ?? {})
      .flat()
      .find((p) => p.name === first?.name);
    expect(tfPolicy?.policy).toBe(first?.hcl);
    const approle = Object.values(r.vault_approle_auth_backend_role ?? {}).flat()[0];
    expect(String(approle?.token_policies)).toMatch(/\$\{vault_policy\.[a-z_]+\.name\}/);
  });

  it('Terraform is deterministic (byte-identical on a second run)', () => {
    const again = renderTargets(
      generateConfig(loadDocument(readFileSync(file, 'utf8'), { file: 'requirements.yaml' }, Requirements)),
      ['terraform'],
    );
    expect(again[0]?.content).toBe(files.find((f) => f.target === 'terraform')?.content);
  });

  it('Kubernetes and GitHub Actions YAML parse, with the fields their controllers read', () => {
    for (const f of files.filter((x) => x.path.endsWith('.yaml') || x.path.endsWith('.yml'))) {
      const docs = parseAllDocuments(f.content);
      for (const d of docs) expect(d.errors).toEqual([]);
      const values = docs.map((d) => d.toJS() as Record<string, unknown>).filter(Boolean);
      if (f.target === 'eso') {
        expect(values.map((v) => v.kind)).toContain('SecretStore');
        expect(values.map((v) => v.kind)).toContain('ExternalSecret');
        for (const v of values) expect(v.apiVersion).toBe('external-secrets.io/v1');
      }
      if (f.target === 'agent-annotations') {
        const a = (values[0] as { spec: { template: { metadata: { annotations: Record<string, string> } } } }).spec
          .template.metadata.annotations;
        expect(a['vault.hashicorp.com/agent-inject']).toBe('true');
        expect(a['vault.hashicorp.com/role']).toMatch(/^[a-z-]+$/);
      }
      if (f.target === 'github-actions') {
        const step = (values[0] as unknown as Array<{ uses: string; with: Record<string, string> }>)[0];
        expect(step?.uses).toBe('hashicorp/vault-action@v3');
        expect(step?.with.method).toBe('jwt');
        expect(step?.with.jwtGithubAudience).toBe('https://github.com/acme');
      }
    }
  });

  it('API JSON lists engine writes, then policy writes, then role writes', () => {
    const doc = JSON.parse(files.find((f) => f.target === 'api-json')?.content ?? '{}') as {
      requests: Array<{ kind: string; path: string }>;
    };
    const kinds = doc.requests.map((r) => r.kind);
    expect(kinds.lastIndexOf('engine')).toBeLessThan(kinds.indexOf('policy'));
    expect(kinds.lastIndexOf('policy')).toBeLessThan(kinds.indexOf('auth-role'));
    expect(doc.requests).toHaveLength(config.engines.length + config.policies.length + config.roles.length);
  });
});

describe('the generated Terraform lints clean through the Terraform reader', () => {
  it('no finding at medium or above, every policy and role seen', async () => {
    const { lintFiles } = await import('../src/lint/lint.js');
    const tf = files.find((f) => f.target === 'terraform')?.content ?? '';
    const report = await lintFiles([{ file: 'vault.tf', text: tf }]);
    expect([report.policies, report.roles, report.invalid]).toEqual([config.policies.length, config.roles.length, 0]);
    expect(report.engines).toBeGreaterThan(0);
    expect(report.findings.filter((f) => !['info', 'low'].includes(f.severity))).toEqual([]);
  });

  it('engine findings come back from the Terraform when the requirements break the guidance', async () => {
    const { lintFiles } = await import('../src/lint/lint.js');
    const worse = structuredClone(requirements);
    const db = worse.engines?.databases[0];
    if (!db?.roles[0] || !worse.engines?.ssh[0]?.roles[0] || !worse.engines.transit[0]?.keys[0])
      throw new Error('example changed');
    db.rotate_root = false;
    db.roles[0].max_ttl = '72h';
    worse.engines.ssh[0].roles[0].ttl = '8h';
    worse.engines.ssh[0].roles[0].max_ttl = '8h';
    worse.engines.transit[0].keys[0].auto_rotate_period = 0;
    const pki = worse.engines.pki[0]?.roles[0];
    if (pki) pki.allowed_domains = ['*.acme.internal'];
    const tf = renderTargets(generateConfig(worse), ['terraform'])[0]?.content ?? '';
    const rules = (await lintFiles([{ file: 'vault.tf', text: tf }])).findings.map((f) => f.rule);
    expect([...new Set(rules.filter((r) => !['approle-no-cidr', 'policy-naming'].includes(r)))].sort()).toEqual([
      'database-role-max-ttl-over-24h',
      'database-root-not-rotated',
      'pki-wildcard-allowed-domains',
      'ssh-cert-ttl-over-1h',
      'transit-key-no-auto-rotation',
    ]);
  });
});

describe('every target, for the seed flag form and for the namespace layout', async () => {
  const { requirementsFromFlags } = await import('../src/generate/from-flags.js');
  const cases = {
    'seed-approle': requirementsFromFlags({
      appName: 'payment-service',
      authMethod: 'approle',
      secrets: 'db-creds,db-admin,api-key,tls-cert,encryption,ssh-cert,config',
    }),
    'seed-kubernetes': requirementsFromFlags({
      appName: 'api-server',
      authMethod: 'kubernetes',
      secrets: 'config,api-key',
      namespace: 'production',
    }),
    'seed-oidc': requirementsFromFlags({
      appName: 'engineering',
      authMethod: 'oidc',
      secrets: 'ssh-cert',
      environment: 'staging',
    }),
    'namespace-layout': Requirements.parse({
      defaults: { kv_mount: 'kv' },
      applications: [
        {
          name: 'billing',
          environments: ['dev', 'prod'],
          environment_layout: 'namespace',
          auth: [
            { method: 'kubernetes', service_accounts: ['billing'], namespaces: ['billing'] },
            { method: 'jwt', repository: 'acme/billing', environment: '{env}', audience: 'https://github.com/acme' },
          ],
          secrets: [
            { kind: 'kv', path: 'stripe', access: ['read'], keys: ['secret_key'] },
            { kind: 'azure' },
            { kind: 'gcp' },
          ],
        },
      ],
    }),
  };
  for (const [name, requirements] of Object.entries(cases)) {
    it(`renders ${name} (snapshots)`, async () => {
      for (const f of renderTargets(generateConfig(requirements), GENERATE_TARGETS))
        await expect(f.content).toMatchFileSnapshot(`__snapshots__/${name}/${f.path}`);
    });
  }
});
