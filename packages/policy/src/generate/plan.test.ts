import { Requirements, isSvmError } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { requirementsFromFlags } from './from-flags.js';
import { generateConfig } from './plan.js';
import { GENERATE_TARGETS, parseTargets, renderTargets } from './targets.js';

const one = (app: Record<string, unknown>) =>
  Requirements.parse({ applications: [{ name: 'payment-service', auth: [{ method: 'approle' }], ...app }] });

function thrown(fn: () => unknown): { code: string; message: string; field: string | undefined } {
  try {
    fn();
  } catch (error) {
    if (isSvmError(error)) return { code: error.code, message: error.message, field: error.location.field };
    throw error;
  }
  throw new Error('expected an error');
}

describe('generateConfig', () => {
  it('names policies {service}-{access-level} and uses KV v2 data/ and metadata/', () => {
    const config = generateConfig(
      one({ secrets: [{ kind: 'kv', path: 'api-keys', access: ['read', 'list', 'history'] }] }),
    );
    expect(config.policies.map((p) => p.name)).toEqual(['payment-service-read']);
    expect(config.policies[0]?.rules.map((r) => [r.path, r.capabilities])).toEqual([
      ['secret/data/production/payment-service/api-keys', ['read']],
      ['secret/metadata/production/payment-service/api-keys', ['read', 'list']],
      ['sys/*', ['deny']],
    ]);
  });

  it('keeps soft delete apart from destroying history', () => {
    const soft = generateConfig(one({ secrets: [{ kind: 'kv', path: 'x', access: ['delete'] }] }));
    expect(soft.policies[0]?.rules.map((r) => [r.path, r.capabilities])).toEqual([
      ['secret/data/production/payment-service/x', ['delete']],
      ['secret/delete/production/payment-service/x', ['update']],
      ['sys/*', ['deny']],
    ]);
    const hard = generateConfig(one({ secrets: [{ kind: 'kv', path: 'x', access: ['destroy'] }] }));
    expect(hard.policies[0]?.rules.map((r) => [r.path, r.capabilities])).toEqual([
      ['secret/destroy/production/payment-service/x', ['update']],
      ['secret/metadata/production/payment-service/x', ['delete']],
      ['sys/*', ['deny']],
    ]);
  });

  it('names the level write when anything writes, and honours access_level and deny_sys', () => {
    const w = generateConfig(one({ secrets: [{ kind: 'kv', path: 'x', access: ['write'] }] }));
    expect(w.policies[0]?.name).toBe('payment-service-write');
    expect(w.policies[0]?.rules[0]?.capabilities).toEqual(['create', 'update', 'patch']);
    const admin = generateConfig(one({ access_level: 'admin', deny_sys: false, secrets: [{ kind: 'pki' }] }));
    expect(admin.policies[0]?.name).toBe('payment-service-admin');
    expect(admin.policies[0]?.rules.some((r) => r.path === 'sys/*')).toBe(false);
  });

  it('merges duplicate requirements into one block (the seed printed them twice)', () => {
    const config = generateConfig(
      one({
        secrets: [
          { kind: 'database' },
          { kind: 'database' },
          { kind: 'kv', path: 'a', access: ['read'] },
          { kind: 'kv', path: 'a', access: ['write'] },
        ],
      }),
    );
    const paths = config.policies[0]?.rules.map((r) => r.path) ?? [];
    expect(new Set(paths).size).toBe(paths.length);
    expect(config.policies[0]?.rules[1]?.capabilities).toEqual(['create', 'read', 'update', 'patch']);
  });

  it('gives each environment its own policy and role, with {env} expanded', () => {
    const config = generateConfig(
      one({
        environments: ['staging', 'production'],
        auth: [{ method: 'kubernetes', service_accounts: ['{app}'], namespaces: ['pay-{env}'] }],
        secrets: [{ kind: 'transit', operations: ['encrypt', 'datakey', 'rotate'] }],
      }),
    );
    expect(config.policies.map((p) => p.name)).toEqual([
      'payment-service-staging-write',
      'payment-service-production-write',
    ]);
    expect(config.roles.map((r) => [r.name, r.body.bound_service_account_namespaces])).toEqual([
      ['payment-service-staging', ['pay-staging']],
      ['payment-service-production', ['pay-production']],
    ]);
    expect(config.policies[1]?.rules.map((r) => r.path)).toEqual([
      'transit/encrypt/payment-service-production',
      'transit/datakey/plaintext/payment-service-production',
      'transit/datakey/wrapped/payment-service-production',
      'transit/keys/payment-service-production/rotate',
      'sys/*',
    ]);
  });

  it('uses one namespace per environment when asked (no env prefix in paths)', () => {
    const config = generateConfig(
      one({
        environments: ['dev', 'prod'],
        environment_layout: 'namespace',
        secrets: [{ kind: 'kv', path: 'cfg', access: ['read'] }],
      }),
    );
    expect(config.policies.map((p) => [p.namespace, p.name, p.rules[0]?.path])).toEqual([
      ['dev', 'payment-service-read', 'secret/data/payment-service/cfg'],
      ['prod', 'payment-service-read', 'secret/data/payment-service/cfg'],
    ]);
    const script = renderTargets(config, ['vault-script'])[0]?.content ?? '';
    expect(script).toContain('vault policy write -namespace=dev payment-service-read -');
    expect(renderTargets(config, ['terraform'])[0]?.content).toContain('namespace = "prod"');
  });

  it('applies the guidance defaults per auth method, each overridable', () => {
    const config = generateConfig(
      Requirements.parse({
        applications: [
          {
            name: 'web',
            auth: [
              { method: 'approle' },
              { method: 'kubernetes', service_accounts: ['web'], namespaces: ['web'], token_ttl: '30m' },
              {
                method: 'oidc',
                groups: ['eng'],
                redirect_uris: ['https://vault.example.com/ui/vault/auth/oidc/oidc/callback'],
              },
              { method: 'jwt', repository: 'acme/web', audience: 'https://github.com/acme' },
            ],
            secrets: [{ kind: 'ssh' }],
          },
        ],
      }),
    );
    const [approle, k8s, oidc, jwt] = config.roles.map((r) => r.body);
    expect(approle).toMatchObject({
      token_ttl: 3600,
      token_max_ttl: 14400,
      secret_id_num_uses: 1,
      secret_id_ttl: 600,
      bind_secret_id: true,
    });
    expect(k8s).toMatchObject({ token_ttl: 1800, token_max_ttl: 14400 });
    expect(oidc).toMatchObject({
      token_ttl: 28800,
      token_max_ttl: 43200,
      role_type: 'oidc',
      user_claim: 'email',
      bound_claims: { groups: ['eng'] },
      groups_claim: 'groups',
    });
    expect(jwt).toMatchObject({
      token_ttl: 600,
      token_max_ttl: 900,
      role_type: 'jwt',
      bound_audiences: ['https://github.com/acme'],
      bound_claims: { repository: 'acme/web' },
      user_claim: 'repository',
    });
  });

  it('refuses what cannot be right: ttl over max, duplicate roles, unbound GitHub roles, shadowing folder names', () => {
    expect(
      thrown(() => generateConfig(one({ auth: [{ method: 'approle', token_ttl: '5h' }], secrets: [{ kind: 'pki' }] }))),
    ).toMatchObject({
      code: 'INPUT_INVALID',
      field: 'applications[0].auth[0].token_ttl',
    });
    expect(
      thrown(() =>
        generateConfig(
          one({ environments: ['a', 'b'], auth: [{ method: 'approle', role: 'fixed' }], secrets: [{ kind: 'pki' }] }),
        ),
      ),
    ).toMatchObject({ code: 'INPUT_INVALID', field: 'applications[0].auth[0].role' });
    expect(
      thrown(() => generateConfig(one({ auth: [{ method: 'jwt', audience: 'x' }], secrets: [{ kind: 'pki' }] }))),
    ).toMatchObject({
      code: 'INPUT_INVALID',
      field: 'applications[0].auth[0].repository',
    });
    expect(
      thrown(() =>
        generateConfig(
          Requirements.parse({
            applications: [
              { name: 'shared', auth: [{ method: 'approle' }], secrets: [{ kind: 'pki' }] },
              {
                name: 'b',
                auth: [{ method: 'approle' }],
                secrets: [{ kind: 'kv', path: 'shared/*', scope: 'environment', access: ['read'] }],
              },
            ],
          }),
        ),
      ),
    ).toMatchObject({ code: 'INPUT_INVALID', field: 'applications[1].secrets[0].path' });
  });

  it('warns when a name without {env} is shared by several environments', () => {
    const config = generateConfig(
      one({ environments: ['a', 'b'], secrets: [{ kind: 'database', role: 'shared-ro' }] }),
    );
    expect(config.warnings).toEqual([
      'applications[0].secrets[0]: the database name is the same in every environment (a, b); put {env} in it to keep environments apart',
      'applications[0].secrets[0]: database/creds/shared-ro is also granted to payment-service (a); use {app} and {env} in names to keep them apart',
    ]);
  });
});

describe('the seed flag form', () => {
  it('maps the original secret types and drops duplicates', () => {
    const config = generateConfig(
      requirementsFromFlags({
        appName: 'payment-service',
        authMethod: 'approle',
        secrets: 'db-creds, api-key,db-creds,,tls-cert,encryption,ssh-cert,config,db-admin',
      }),
    );
    expect(config.policies.map((p) => p.name)).toEqual(['payment-service-write']);
    expect(config.policies[0]?.rules.map((r) => r.path)).toEqual([
      'database/creds/payment-service-readonly',
      'secret/data/production/payment-service/api-keys',
      'pki/issue/payment-service-cert',
      'transit/encrypt/payment-service-key',
      'transit/decrypt/payment-service-key',
      'ssh/sign/payment-service-role',
      'secret/data/production/payment-service/config',
      'database/creds/payment-service-readwrite',
      'sys/*',
    ]);
    expect(config.roles[0]?.name).toBe('payment-service');
  });

  it('uses --namespace for the Kubernetes service account namespace', () => {
    const config = generateConfig(
      requirementsFromFlags({
        appName: 'api',
        authMethod: 'kubernetes',
        secrets: 'config',
        namespace: 'edge',
        environment: 'staging',
      }),
    );
    expect(config.roles[0]?.body).toMatchObject({
      bound_service_account_names: ['api'],
      bound_service_account_namespaces: ['edge'],
    });
    expect(config.policies[0]?.rules[0]?.path).toBe('secret/data/staging/api/config');
  });

  it('rejects unknown types and methods as usage errors (the seed exited 0 with --json)', () => {
    expect(
      thrown(() => requirementsFromFlags({ appName: 'a', authMethod: 'approle', secrets: 'db-creds,nope' })),
    ).toMatchObject({ code: 'USAGE', field: '--secrets' });
    expect(thrown(() => requirementsFromFlags({ appName: 'a', authMethod: 'ldap', secrets: 'config' }))).toMatchObject({
      code: 'USAGE',
      field: '--auth-method',
    });
    expect(
      thrown(() => requirementsFromFlags({ appName: 'Bad Name', authMethod: 'approle', secrets: 'config' })),
    ).toMatchObject({ code: 'USAGE', field: '--app-name' });
  });
});

describe('parseTargets', () => {
  it('accepts lists and all, rejects unknown targets', () => {
    expect(parseTargets('terraform,hcl')).toEqual(['hcl', 'terraform']);
    expect(parseTargets(['eso', 'github-actions'])).toEqual(['eso', 'github-actions']);
    expect(parseTargets('all')).toEqual([...GENERATE_TARGETS]);
    expect(thrown(() => parseTargets('hcl,yaml'))).toMatchObject({ code: 'USAGE', field: '--format' });
  });
});
