import type { Capability, SecretRequirement } from '@svm/core';
import { expand } from './expand.js';
import type { DynamicBinding, GrantProbe, KvBinding } from './types.js';

/** One grant before merging: a path, its capabilities, why, and requests that must be allowed. */
export interface Grant {
  path: string;
  capabilities: Capability[];
  description: string;
  probes: Array<{ path: string; operation: GrantProbe['operation'] }>;
}

/** Where an application's requirement lands in one environment. */
export interface GrantScope {
  app: string;
  env: string;
  /** `<env>/` for the path-prefix layout, `` for one namespace per environment. */
  envPrefix: string;
  kvMount: string;
}

/** What a requirement yields in one environment: grants, plus bindings for the CI/CD glue. */
export interface RequirementGrants {
  grants: Grant[];
  kv: Omit<KvBinding, 'app' | 'environment'>[];
  dynamic: Omit<DynamicBinding, 'app' | 'environment'>[];
  /** The requirement writes (decides the policy's default access level). */
  writes: boolean;
  /** Each environment gets its own object (a name or mount that uses `{env}`, or the KV environment prefix). */
  envIsolated: boolean;
}

const TRANSIT_PATHS: Record<string, string[]> = {
  encrypt: ['encrypt'],
  decrypt: ['decrypt'],
  sign: ['sign'],
  verify: ['verify'],
  rewrap: ['rewrap'],
  hmac: ['hmac'],
  datakey: ['datakey/plaintext', 'datakey/wrapped'],
};

/**
 * The least-privilege grants for one requirement in one environment. KV v2 uses `data/` for read/write/delete
 * and `metadata/` for list and history; every other engine gets exactly its endpoint.
 */
export function grantsFor(req: SecretRequirement, scope: GrantScope): RequirementGrants {
  const { app, env } = scope;
  const x = (s: string) => expand(s, app, env);
  switch (req.kind) {
    case 'kv': {
      const mount = x(req.mount ?? scope.kvMount);
      const folder = req.path.endsWith('/*');
      const rel = x(folder ? req.path.slice(0, -2) : req.path);
      const base = req.scope === 'environment' ? `${scope.envPrefix}${rel}` : `${scope.envPrefix}${app}/${rel}`;
      const suffix = folder ? '/*' : '';
      const sample = folder ? `${base}/svm-probe` : base;
      const access = new Set(req.access);
      const grants: Grant[] = [];
      const dataCaps: Capability[] = [];
      const dataProbes: Grant['probes'] = [];
      if (access.has('read')) {
        dataCaps.push('read');
        dataProbes.push({ path: `${mount}/data/${sample}`, operation: 'read' });
      }
      if (access.has('write')) {
        dataCaps.push('create', 'update', 'patch');
        dataProbes.push(
          { path: `${mount}/data/${sample}`, operation: 'update' },
          { path: `${mount}/data/${sample}`, operation: 'create' },
        );
      }
      if (access.has('delete')) {
        dataCaps.push('delete');
        dataProbes.push({ path: `${mount}/data/${sample}`, operation: 'delete' });
      }
      if (dataCaps.length > 0) {
        const what = (['read', 'write', 'delete'] as const).filter((a) => access.has(a)).join('/');
        grants.push({
          path: `${mount}/data/${base}${suffix}`,
          capabilities: dataCaps,
          description: `kv ${what} ${base}${suffix}`,
          probes: dataProbes,
        });
      }
      if (access.has('delete')) {
        // Soft-delete chosen versions (POST delete/<path>); undelete stays with whoever may destroy.
        grants.push({
          path: `${mount}/delete/${base}${suffix}`,
          capabilities: ['update'],
          description: `kv delete versions of ${base}${suffix}`,
          probes: [{ path: `${mount}/delete/${sample}`, operation: 'update' }],
        });
      }
      if (access.has('destroy')) {
        grants.push({
          path: `${mount}/destroy/${base}${suffix}`,
          capabilities: ['update'],
          description: `kv destroy versions of ${base}${suffix}`,
          probes: [{ path: `${mount}/destroy/${sample}`, operation: 'update' }],
        });
      }
      const metaCaps: Capability[] = [];
      const metaProbes: Grant['probes'] = [];
      if (access.has('history')) {
        metaCaps.push('read');
        metaProbes.push({ path: `${mount}/metadata/${sample}`, operation: 'read' });
      }
      if (access.has('destroy')) {
        metaCaps.push('delete');
        metaProbes.push({ path: `${mount}/metadata/${sample}`, operation: 'delete' });
      }
      if (access.has('list')) {
        metaCaps.push('list');
        metaProbes.push({ path: `${mount}/metadata/${base}/`, operation: 'list' });
      }
      if (metaCaps.length > 0) {
        const what = [
          access.has('list') ? 'list' : '',
          access.has('history') ? 'history' : '',
          access.has('destroy') ? 'delete-history' : '',
        ]
          .filter(Boolean)
          .join('/');
        grants.push({
          path: `${mount}/metadata/${base}${suffix}`,
          capabilities: metaCaps,
          description: `kv ${what} ${base}${suffix}`,
          probes: metaProbes,
        });
      }
      return {
        grants,
        kv: access.has('read') ? [{ mount, path: base, folder, keys: req.keys }] : [],
        dynamic: [],
        writes: access.has('write') || access.has('delete') || access.has('destroy'),
        envIsolated: true,
      };
    }
    case 'database': {
      const mount = x(req.mount ?? 'database');
      const role = x(req.role ?? `{app}-{env}-${req.access}`);
      const path = `${mount}/creds/${role}`;
      return {
        grants: [
          {
            path,
            capabilities: ['read'],
            description: `database ${req.access} credentials`,
            probes: [{ path, operation: 'read' }],
          },
        ],
        kv: [],
        dynamic: [{ kind: 'database', path, name: role }],
        writes: req.access === 'readwrite',
        envIsolated: isolated(req.role, req.mount),
      };
    }
    case 'pki': {
      const mount = x(req.mount ?? 'pki');
      const role = x(req.role ?? '{app}-{env}');
      const path = `${mount}/issue/${role}`;
      return {
        grants: [
          {
            path,
            capabilities: ['update'],
            description: `pki issue certificates (role ${role})`,
            probes: [{ path, operation: 'update' }],
          },
        ],
        kv: [],
        dynamic: [{ kind: 'pki', path, name: role }],
        writes: false,
        envIsolated: isolated(req.role, req.mount),
      };
    }
    case 'transit': {
      const mount = x(req.mount ?? 'transit');
      const key = x(req.key ?? '{app}-{env}');
      const grants: Grant[] = [];
      for (const op of req.operations) {
        if (op === 'rotate') {
          const path = `${mount}/keys/${key}/rotate`;
          grants.push({
            path,
            capabilities: ['update'],
            description: `transit rotate key ${key}`,
            probes: [{ path, operation: 'update' }],
          });
          continue;
        }
        for (const endpoint of TRANSIT_PATHS[op] ?? []) {
          const path = `${mount}/${endpoint}/${key}`;
          grants.push({
            path,
            capabilities: ['update'],
            description: `transit ${op} with key ${key}`,
            probes: [{ path, operation: 'update' }],
          });
        }
      }
      return {
        grants,
        kv: [],
        dynamic: [],
        writes: req.operations.includes('rotate'),
        envIsolated: isolated(req.key, req.mount),
      };
    }
    case 'ssh': {
      const mount = x(req.mount ?? 'ssh');
      const role = x(req.role ?? '{app}-{env}');
      const path = `${mount}/sign/${role}`;
      return {
        grants: [
          {
            path,
            capabilities: ['update'],
            description: `ssh sign public keys (role ${role})`,
            probes: [{ path, operation: 'update' }],
          },
        ],
        kv: [],
        dynamic: [],
        writes: false,
        envIsolated: isolated(req.role, req.mount),
      };
    }
    case 'aws':
    case 'gcp':
    case 'azure': {
      const mount = x(req.mount ?? req.kind);
      const role = x(req.role ?? '{app}-{env}');
      // aws: creds/<role>; gcp: roleset/<name>/token (OAuth2 access token); azure: creds/<role>.
      const path = req.kind === 'gcp' ? `${mount}/roleset/${role}/token` : `${mount}/creds/${role}`;
      return {
        grants: [
          {
            path,
            capabilities: ['read'],
            description: `${req.kind} dynamic credentials (role ${role})`,
            probes: [{ path, operation: 'read' }],
          },
        ],
        kv: [],
        dynamic: [{ kind: req.kind, path, name: role }],
        writes: false,
        envIsolated: isolated(req.role, req.mount),
      };
    }
  }
}

function isolated(name: string | undefined, mount: string | undefined): boolean {
  return name === undefined || name.includes('{env}') || (mount?.includes('{env}') ?? false);
}
