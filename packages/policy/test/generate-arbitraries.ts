import { Requirements } from '@svm/core';
import fc from 'fast-check';

// Arbitrary requirements for the generator's properties. Names avoid dashes in environments so that
// `{app}-{env}` defaults cannot collide across (app, env) pairs (the generator warns when they would).
const appName = fc.constantFrom('alpha', 'beta', 'gamma-svc', 'delta');
const envName = fc.constantFrom('dev', 'staging', 'production');
const segment = fc.constantFrom('api-keys', 'config', 'db', 'tls', 'certs', 'team-a', 'nested');
const kvPath = fc
  .tuple(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([segs, folder]) => `${segs.join('/')}${folder ? '/*' : ''}`);

const secret = fc.oneof(
  fc.record({
    kind: fc.constant('kv' as const),
    path: kvPath,
    scope: fc.constantFrom('app' as const, 'app' as const, 'environment' as const),
    access: fc.uniqueArray(fc.constantFrom('read', 'write', 'list', 'delete', 'history', 'destroy'), {
      minLength: 1,
      maxLength: 6,
    }),
  }),
  fc.record({
    kind: fc.constant('database' as const),
    access: fc.constantFrom('readonly' as const, 'readwrite' as const),
  }),
  fc.record({ kind: fc.constant('pki' as const) }),
  fc.record({
    kind: fc.constant('transit' as const),
    operations: fc.uniqueArray(
      fc.constantFrom('encrypt', 'decrypt', 'sign', 'verify', 'rewrap', 'rotate', 'hmac', 'datakey'),
      { minLength: 1, maxLength: 8 },
    ),
  }),
  fc.record({ kind: fc.constant('ssh' as const) }),
  fc.record({ kind: fc.constantFrom('aws' as const, 'gcp' as const, 'azure' as const) }),
);

const auth = fc.oneof(
  fc.record({ method: fc.constant('approle' as const), secret_id_bound_cidrs: fc.constant(['10.0.0.0/8']) }),
  fc.record({ method: fc.constant('approle' as const) }),
  fc.record({
    method: fc.constant('kubernetes' as const),
    service_accounts: fc.constant(['{app}']),
    namespaces: fc.constant(['{app}-{env}']),
  }),
  fc.record({
    method: fc.constant('jwt' as const),
    repository: fc.constant('acme/{app}'.replace('{app}', 'platform')),
    ref: fc.constant('refs/heads/main'),
    environment: fc.constant('{env}'),
    audience: fc.constant('https://github.com/acme'),
  }),
  fc.record({
    method: fc.constant('oidc' as const),
    groups: fc.constant(['{app}-team']),
    redirect_uris: fc.constant(['https://vault.example.com/ui/vault/auth/oidc/oidc/callback']),
  }),
);

const app = fc.record({
  name: appName,
  environments: fc.uniqueArray(envName, { minLength: 1, maxLength: 3 }),
  auth: fc.uniqueArray(auth, { minLength: 1, maxLength: 3, selector: (a) => a.method }),
  secrets: fc.array(secret, { minLength: 1, maxLength: 5 }),
});

/** Valid requirements: 1–4 applications with distinct names. */
export const requirementsArbitrary = fc
  .uniqueArray(app, { minLength: 1, maxLength: 4, selector: (a) => a.name })
  .map((applications) => Requirements.parse({ applications }));
