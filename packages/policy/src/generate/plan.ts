import { type Capability, type Requirements, SvmError } from '@svm/core';
import { roleBody } from './auth-roles.js';
import { engineRequests } from './engines.js';
import { expand } from './expand.js';
import { grantsFor } from './grants.js';
import { renderPolicyHcl } from './render/hcl.js';
import {
  CAPABILITY_ORDER,
  type GeneratedConfig,
  type GeneratedPolicy,
  type GeneratedRole,
  type GeneratedRule,
} from './types.js';

/**
 * Turn validated application requirements into the least-privilege Vault configuration: one policy per
 * application and environment, named `{service}-{access-level}` (`{service}-{env}-{access-level}` when the
 * application has several environments under the path-prefix layout), one auth role per auth method and
 * environment, plus the probes that prove it. Pure and deterministic: same input, same output.
 *
 * @example
 * ```ts
 * import { Requirements } from '@svm/core';
 * const config = generateConfig(Requirements.parse({ applications: [{ name: 'payment-service',
 *   auth: [{ method: 'approle' }], secrets: [{ kind: 'kv', path: 'api-keys', access: ['read'] }] }] }));
 * config.policies[0]?.name; // 'payment-service-read'
 * ```
 */
export function generateConfig(requirements: Requirements): GeneratedConfig {
  const config: GeneratedConfig = {
    policies: [],
    roles: [],
    probes: [],
    kv: [],
    dynamic: [],
    engines: engineRequests(requirements.engines),
    vaultAddress: requirements.defaults.vault_address,
    warnings: [],
  };
  const policyNames = new Map<string, string>();
  const roleKeys = new Map<string, string>();

  const appNames = new Set(requirements.applications.map((a) => a.name));
  const grantedTo = new Map<string, string>();
  requirements.applications.forEach((app, appIndex) => {
    if (requirements.applications.findIndex((a) => a.name === app.name) !== appIndex) {
      throw new SvmError('INPUT_INVALID', `application ${app.name} is listed twice`, {
        field: `applications[${appIndex}].name`,
      });
    }
    app.secrets.forEach((secret, i) => {
      const first = secret.kind === 'kv' && secret.scope === 'environment' ? secret.path.split('/')[0] : undefined;
      if (first && appNames.has(first)) {
        throw new SvmError(
          'INPUT_INVALID',
          `environment-scoped path ${first}/… starts with the application name ${first}, whose own secrets live there; rename the folder`,
          {
            field: `applications[${appIndex}].secrets[${i}].path`,
          },
        );
      }
    });
    const field = `applications[${appIndex}]`;
    const layout = app.environment_layout;
    const multiEnv = app.environments.length > 1 && layout === 'path-prefix';
    if (new Set(app.environments).size !== app.environments.length) {
      throw new SvmError('INPUT_INVALID', `environment listed twice in ${JSON.stringify(app.environments)}`, {
        field: `${field}.environments`,
      });
    }
    for (const env of app.environments) {
      const namespace = layout === 'namespace' ? env : undefined;
      const envPrefix = layout === 'namespace' ? '' : `${env}/`;
      const byPath = new Map<string, GeneratedRule>();
      let writes = false;
      const probes: Array<Omit<GeneratedConfig['probes'][number], 'policy'>> = [];
      app.secrets.forEach((secret, secretIndex) => {
        const result = grantsFor(secret, { app: app.name, env, envPrefix, kvMount: requirements.defaults.kv_mount });
        writes ||= result.writes;
        if (multiEnv && !result.envIsolated && env === app.environments[0]) {
          config.warnings.push(
            `${field}.secrets[${secretIndex}]: the ${secret.kind} name is the same in every environment (${app.environments.join(', ')}); put {env} in it to keep environments apart`,
          );
        }
        for (const grant of result.grants) {
          const owner = grantedTo.get(grant.path);
          const me = `${app.name} (${env})`;
          if (owner && owner !== me && !(secret.kind === 'kv' && secret.scope === 'environment')) {
            config.warnings.push(
              `${field}.secrets[${secretIndex}]: ${grant.path} is also granted to ${owner}; use {app} and {env} in names to keep them apart`,
            );
          } else if (!owner) grantedTo.set(grant.path, me);
          const existing = byPath.get(grant.path);
          if (existing) {
            existing.capabilities = sortCapabilities([...existing.capabilities, ...grant.capabilities]);
            if (!existing.description.includes(grant.description)) existing.description += `; ${grant.description}`;
          } else {
            byPath.set(grant.path, {
              path: grant.path,
              capabilities: sortCapabilities(grant.capabilities),
              description: grant.description,
            });
          }
          const shared = secret.kind === 'kv' && secret.scope === 'environment';
          for (const probe of grant.probes)
            probes.push({
              app: app.name,
              environment: env,
              path: probe.path,
              operation: probe.operation,
              reason: grant.description,
              shared,
            });
        }
        for (const kv of result.kv) config.kv.push({ app: app.name, environment: env, ...kv });
        for (const d of result.dynamic) config.dynamic.push({ app: app.name, environment: env, ...d });
      });
      const rules = [...byPath.values()];
      keepGrantsUnblocked(rules);
      if (app.deny_sys)
        rules.push({
          path: 'sys/*',
          capabilities: ['deny'],
          description: 'no access to system backends (explicit deny)',
        });
      const level = app.access_level ?? (writes ? 'write' : 'read');
      const name = multiEnv ? `${app.name}-${env}-${level}` : `${app.name}-${level}`;
      const key = `${namespace ?? ''}\u0000${name}`;
      const clash = policyNames.get(key);
      if (clash)
        throw new SvmError('INPUT_INVALID', `policy name ${name} is generated twice (also by ${clash})`, {
          field: `${field}.name`,
        });
      policyNames.set(key, `${field} environment ${env}`);
      const policy: GeneratedPolicy = { name, app: app.name, environment: env, namespace, rules, hcl: '' };
      policy.hcl = renderPolicyHcl(policy);
      config.policies.push(policy);
      for (const probe of probes) config.probes.push({ ...probe, policy: name });

      app.auth.forEach((auth, authIndex) => {
        const authField = `${field}.auth[${authIndex}]`;
        const roleName = auth.role ? expand(auth.role, app.name, env) : multiEnv ? `${app.name}-${env}` : app.name;
        const mount = expand(auth.mount ?? auth.method, app.name, env);
        const roleKey = `${namespace ?? ''}\u0000${mount}\u0000${roleName}`;
        const seen = roleKeys.get(roleKey);
        if (seen) {
          throw new SvmError(
            'INPUT_INVALID',
            `auth role ${mount}/${roleName} is generated twice (also by ${seen}); use {env} or {app} in role`,
            { field: `${authField}.role` },
          );
        }
        roleKeys.set(roleKey, `${authField} environment ${env}`);
        const role: GeneratedRole = {
          app: app.name,
          environment: env,
          method: auth.method,
          mount,
          name: roleName,
          namespace,
          body: roleBody(auth, { app: app.name, env, policies: [name], field: authField }),
        };
        config.roles.push(role);
      });
    }
  });
  warnUndefinedEngineRoles(config);
  return config;
}

/** With `engines:`, an application's database credentials should name a role defined there. */
function warnUndefinedEngineRoles(config: GeneratedConfig): void {
  const dbMounts = new Set(config.engines.filter((e) => e.engine === 'database-connection').map((e) => e.mount));
  if (dbMounts.size === 0) return;
  const roles = new Set(config.engines.filter((e) => e.engine === 'database-role').map((e) => e.path));
  for (const d of config.dynamic) {
    if (d.kind !== 'database') continue;
    const path = d.path.replace('/creds/', '/roles/');
    const mount = d.path.slice(0, d.path.lastIndexOf('/creds/'));
    if (dbMounts.has(mount) && !roles.has(path))
      config.warnings.push(
        `${d.app} (${d.environment}) reads ${d.path}, but engines.databases defines no role ${d.name} on ${mount}`,
      );
  }
}

/**
 * Only the deciding rule's capabilities count, so a more specific rule inside a folder grant (`<folder>/*`)
 * would take away what the folder grants: a longer `*` prefix or an exact path below the folder, and an
 * exact `<folder>` itself, which decides LIST on `<folder>/` (issue 10: `team-a/*` list + `team-a` destroy
 * refused the list). Give such a rule the folder's capabilities; everything it decides lies inside the
 * folder's grant, so nothing beyond the requirements is allowed.
 */
function keepGrantsUnblocked(rules: GeneratedRule[]): void {
  for (const folder of rules) {
    if (!folder.path.endsWith('/*') || folder.capabilities.includes('deny')) continue;
    const prefix = folder.path.slice(0, -1);
    for (const rule of rules) {
      if (rule === folder || rule.capabilities.includes('deny')) continue;
      const body = rule.path.endsWith('*') ? rule.path.slice(0, -1) : rule.path;
      let added: Capability[] = [];
      if (body.startsWith(prefix) && body !== prefix) added = folder.capabilities;
      else if (!rule.path.endsWith('*') && `${rule.path}/` === prefix && folder.capabilities.includes('list'))
        added = ['list'];
      const missing = added.filter((c) => !rule.capabilities.includes(c));
      if (missing.length === 0) continue;
      rule.capabilities = sortCapabilities([...rule.capabilities, ...missing]);
      rule.description += `; ${missing.join('/')} as granted by ${folder.path} (this rule decides there)`;
    }
  }
}

function sortCapabilities(caps: Capability[]): Capability[] {
  const set = new Set(caps);
  if (set.has('deny')) return ['deny'];
  return CAPABILITY_ORDER.filter((c) => set.has(c));
}
