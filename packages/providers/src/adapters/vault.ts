// Vault / OpenBao KV v2 through node-vault's generic read/write/list/delete on the raw KV v2 paths
// (`<mount>/data`, `<mount>/metadata`, `<mount>/delete`): node-vault has no KV v2 helpers (its issue #82).
import { readFileSync } from 'node:fs';
import {
  type SecretMetadata,
  type SecretStage,
  type SecretVersion,
  type StoreRef,
  SvmError,
  isSvmError,
} from '@svm/core';
import type { RetryOptions } from '../retry.js';
import { type ErrorFacts, notFound } from '../internal/errors.js';
import { NAME_RULES, checkName } from '../internal/names.js';
import { missingSdk, remoteCaller } from '../internal/remote.js';
import { checkSelector, describeSelector } from '../internal/selector.js';
import { getManyByGet } from '../internal/get-many.js';
import type {
  GetManyResult,
  PutOptions,
  PutResult,
  SecretListEntry,
  SecretSelector,
  SecretStore,
  SecretValue,
  StoreCapabilities,
} from '../store.js';

/** How the Vault adapter logs in. Without one: VAULT_TOKEN / BAO_TOKEN, then AppRole, Kubernetes or JWT from the environment. */
export type VaultAuth =
  | { method: 'token'; token: string }
  | { method: 'approle'; roleId: string; secretId: string; mount?: string | undefined }
  | {
      method: 'kubernetes';
      role: string;
      jwt?: string | undefined;
      jwtFile?: string | undefined;
      mount?: string | undefined;
    }
  | { method: 'jwt'; role: string; jwt: string; mount?: string | undefined };

/** Options of the Vault / OpenBao adapter. */
export interface VaultStoreOptions {
  auth?: VaultAuth | undefined;
  /** PEM CA bundle (else VAULT_CACERT / BAO_CACERT). */
  caCert?: string | undefined;
  env?: Record<string, string | undefined> | undefined;
  retry?: RetryOptions | undefined;
}

export const VAULT_CAPABILITIES: StoreCapabilities = {
  stages: ['current', 'previous', 'pending'],
  softDelete: true,
  orderedVersions: true,
  timestamps: true,
  nativeBatch: false,
  listShowsDeleted: true,
};

type VaultRef = Extract<StoreRef, { kind: 'vault' }>;
interface VaultClient {
  token: string | undefined;
  read(path: string): Promise<any>;
  write(path: string, data: unknown): Promise<any>;
  list(path: string): Promise<any>;
  delete(path: string): Promise<any>;
}
interface KvVersionMeta {
  created_time?: string;
  deletion_time?: string;
  destroyed?: boolean;
}
interface KvMetadata {
  current_version: number;
  oldest_version?: number;
  created_time?: string;
  updated_time?: string;
  custom_metadata?: Record<string, string> | null;
  versions: Record<string, KvVersionMeta>;
}

function vaultFacts(error: unknown): ErrorFacts {
  const e = error as { response?: { statusCode?: number }; code?: string; name?: string; message?: string };
  return {
    status: e?.response?.statusCode,
    code: e?.code,
    name: e?.name === 'Error' ? undefined : e?.name,
    message: e?.message,
  };
}

/**
 * Vault / OpenBao KV v2 (`vault://host:port/<mount>`, `vault+http://…` for plain HTTP). A secret's value is
 * stored as `{ "value": "<text>" }`; secrets written by other tools with other keys read as their JSON.
 *
 * @example
 * ```ts
 * const store = await openVaultStore(parseStoreUri('vault+http://127.0.0.1:8200/secret') as VaultRef, { auth: { method: 'token', token: 'root' } });
 * ```
 */
export class VaultSecretStore implements SecretStore {
  readonly kind = 'vault' as const;
  readonly capabilities = VAULT_CAPABILITIES;
  readonly ref: VaultRef;
  private readonly client: VaultClient;
  private readonly auth: VaultAuth;
  private readonly call: ReturnType<typeof remoteCaller>;
  private readonly label: string;
  private renewTimer: NodeJS.Timeout | undefined;

  constructor(ref: VaultRef, client: VaultClient, auth: VaultAuth, retry?: RetryOptions) {
    this.ref = ref;
    this.client = client;
    this.auth = auth;
    this.label = `vault ${ref.address}/${ref.mount}`;
    this.call = remoteCaller(this.label, retry, vaultFacts);
  }

  /** Log in (unless given a token) and schedule renewal of a renewable token at two thirds of its TTL. */
  async login(): Promise<void> {
    if (this.auth.method === 'token') {
      this.client.token = this.auth.token;
      return;
    }
    const auth = this.auth;
    const result = await this.call('login', undefined, async () => {
      // Logins go through the generic write on `auth/<mount>/login` (node-vault's login helpers render
      // paths with mustache templates, which break when node-vault is bundled or transformed).
      if (auth.method === 'approle')
        return this.client.write(`auth/${auth.mount ?? 'approle'}/login`, {
          role_id: auth.roleId,
          secret_id: auth.secretId,
        });
      if (auth.method === 'kubernetes') {
        const jwt =
          auth.jwt ??
          readFileSync(auth.jwtFile ?? '/var/run/secrets/kubernetes.io/serviceaccount/token', 'utf8').trim();
        return this.client.write(`auth/${auth.mount ?? 'kubernetes'}/login`, { role: auth.role, jwt });
      }
      return this.client.write(`auth/${auth.mount ?? 'jwt'}/login`, { role: auth.role, jwt: auth.jwt });
    }).catch((error: unknown) => {
      // Vault answers a refused login (bad JWT, wrong audience or claim, unknown role) with 400, which would
      // otherwise read as an invalid secret name: a refused login is an access problem.
      if (isSvmError(error) && (error.code === 'SECRET_NAME_INVALID' || error.code === 'SECRET_NOT_FOUND'))
        throw new SvmError(
          'ACCESS_DENIED',
          `${this.label}: ${auth.method} login was refused (check the role, mount and credentials)`,
          {
            details: { store: this.label, method: auth.method },
          },
        );
      throw error;
    });
    this.client.token = result?.auth?.client_token;
    if (!this.client.token)
      throw new SvmError('ACCESS_DENIED', `${this.label}: ${auth.method} login returned no token`);
    this.scheduleRenewal(result.auth.lease_duration, result.auth.renewable);
  }

  private scheduleRenewal(ttlSeconds: number | undefined, renewable: boolean | undefined): void {
    clearTimeout(this.renewTimer);
    if (!renewable || !ttlSeconds) return;
    this.renewTimer = setTimeout(
      () => {
        this.client
          .write('auth/token/renew-self', {})
          .then((r) => this.scheduleRenewal(r?.auth?.lease_duration, r?.auth?.renewable))
          .catch(() => this.login().catch(() => undefined));
      },
      Math.max(1000, ttlSeconds * 667),
    );
    this.renewTimer.unref();
  }

  /** Run a request; on 403 with a login method, log in again once (expired token) and retry. */
  private async request<TResult>(
    operation: string,
    name: string | undefined,
    fn: () => Promise<TResult>,
  ): Promise<TResult> {
    try {
      return await this.call(operation, name, fn);
    } catch (error) {
      if (isSvmError(error) && error.code === 'ACCESS_DENIED' && this.auth.method !== 'token') {
        await this.login();
        return this.call(operation, name, fn);
      }
      throw error;
    }
  }

  private path(kind: 'data' | 'metadata' | 'delete' | 'destroy', name: string): string {
    return `${this.ref.mount}/${kind}/${name.split('/').map(encodeURIComponent).join('/')}`;
  }

  private check(name: string): void {
    checkName(this.label, name, NAME_RULES.vault);
  }

  private async meta(name: string): Promise<KvMetadata> {
    const response = await this.request('read metadata', name, () =>
      this.client.read(this.path('metadata', name)),
    ).catch((error: unknown) => {
      if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND') throw notFound(this.label, name);
      throw error;
    });
    return response.data as KvMetadata;
  }

  async get(name: string, selector: SecretSelector = {}): Promise<SecretValue> {
    this.check(name);
    checkSelector(selector);
    let version = selector.version;
    let meta: KvMetadata | undefined;
    if (selector.stage === 'previous' || selector.stage === 'pending') {
      meta = await this.meta(name);
      const id = stageMap(meta).get(selector.stage);
      if (id === undefined) throw notFound(this.label, name, describeSelector(selector));
      version = id;
    }
    if (version !== undefined && !/^\d+$/.test(version)) throw notFound(this.label, name, describeSelector(selector));
    const query = version !== undefined ? `?version=${version}` : '';
    const response = await this.request('read', name, () =>
      this.client.read(`${this.path('data', name)}${query}`),
    ).catch((error: unknown) => {
      if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND')
        throw notFound(this.label, name, describeSelector(selector));
      throw error;
    });
    const data = response?.data?.data as Record<string, unknown> | null | undefined;
    const md = response?.data?.metadata as
      | { version: number; created_time?: string; custom_metadata?: Record<string, string> | null }
      | undefined;
    // A pending version is KV's latest while svm's current stays pinned in custom metadata: read the pin.
    const pinned = md?.custom_metadata?.[PIN.current];
    if (version === undefined && pinned !== undefined && md && pinned !== String(md.version) && /^\d+$/.test(pinned))
      return this.get(name, { version: pinned }).then((s) => ({
        ...s,
        stages: s.stages.includes('current') ? s.stages : ['current', ...s.stages],
      }));
    if (!data || !md) throw notFound(this.label, name, describeSelector(selector));
    const id = String(md.version);
    const stages = meta
      ? [...stageMap(meta)].filter(([, v]) => v === id).map(([s]) => s)
      : version === undefined
        ? (['current'] as SecretStage[])
        : await this.stagesOf(name, id);
    return { name, version: id, stages, createdAt: md.created_time, value: kvValue(data) };
  }

  private async stagesOf(name: string, id: string): Promise<SecretStage[]> {
    const meta = await this.meta(name);
    return [...stageMap(meta)].filter(([, v]) => v === id).map(([s]) => s);
  }

  getMany(names: readonly string[]): Promise<GetManyResult[]> {
    return getManyByGet((name) => this.get(name), names);
  }

  async put(name: string, value: string, options: PutOptions = {}): Promise<PutResult> {
    this.check(name);
    if (options.stage === 'pending') {
      // KV v2 has no labels: the new version becomes KV's latest, and svm pins its current and pending
      // versions in custom metadata. Plain KV readers of "latest" see the pending value (README).
      const before = await this.meta(name);
      const current = stageMap(before).get('current');
      if (current === undefined) throw notFound(this.label, name, '(a pending version needs a current one)');
      const response = await this.request('write', name, () =>
        this.client.write(this.path('data', name), { data: { value } }),
      );
      const version = String(response?.data?.version);
      await this.writePins(name, { ...(before.custom_metadata ?? {}), [PIN.current]: current, [PIN.pending]: version });
      return { name, version, stages: ['pending'] };
    }
    const response = await this.request('write', name, () =>
      this.client.write(this.path('data', name), { data: { value } }),
    );
    const version = String(response?.data?.version);
    const custom = (response?.data?.custom_metadata ?? {}) as Record<string, string>;
    if (Object.keys(custom).some((k) => k.startsWith(PIN_PREFIX))) {
      // Pins exist: the new version is current, the effective current before it becomes previous.
      const meta = await this.meta(name);
      const oldCurrent =
        custom[PIN.current] ??
        stageMap({
          ...meta,
          current_version: Number(version),
          custom_metadata: custom[PIN.pending] ? { [PIN.pending]: custom[PIN.pending] as string } : {},
        }).get('previous');
      const next: Record<string, string> = { ...custom, ...(oldCurrent ? { [PIN.previous]: oldCurrent } : {}) };
      delete next[PIN.current];
      await this.writePins(name, next);
    } else if (options.tags && Object.keys(options.tags).length > 0 && version === '1') {
      await this.request('write metadata', name, () =>
        this.client.write(this.path('metadata', name), { custom_metadata: options.tags }),
      );
    }
    return { name, version, stages: ['current'] };
  }

  async list(prefix = ''): Promise<SecretListEntry[]> {
    const slash = prefix.lastIndexOf('/');
    const dir = slash >= 0 ? prefix.slice(0, slash + 1) : '';
    const out: SecretListEntry[] = [];
    const walk = async (folder: string): Promise<void> => {
      const path = `${this.ref.mount}/metadata/${folder.split('/').map(encodeURIComponent).join('/')}`;
      const response = await this.request('list', folder || undefined, () => this.client.list(path)).catch(
        (error: unknown) => {
          if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND') return { data: { keys: [] } };
          throw error;
        },
      );
      for (const key of (response?.data?.keys ?? []) as string[]) {
        const full = `${folder}${key}`;
        if (key.endsWith('/')) {
          if (full.startsWith(prefix) || prefix.startsWith(full)) await walk(full);
        } else if (full.startsWith(prefix)) out.push({ name: full });
      }
    };
    await walk(dir);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async versions(name: string): Promise<SecretVersion[]> {
    this.check(name);
    const meta = await this.meta(name);
    const stages = stageMap(meta);
    return Object.entries(meta.versions)
      .map(([id, v]) => ({
        version: id,
        stages: [...stages].filter(([, s]) => s === id).map(([s]) => s),
        state: v.destroyed ? ('destroyed' as const) : v.deletion_time ? ('deleted' as const) : ('enabled' as const),
        ...(v.created_time ? { createdAt: v.created_time } : {}),
      }))
      .sort((a, b) => Number(b.version) - Number(a.version));
  }

  async metadata(name: string): Promise<SecretMetadata> {
    this.check(name);
    const meta = await this.meta(name);
    const current = meta.versions[String(meta.current_version)];
    const live = Object.values(meta.versions).filter((v) => !v.destroyed && !v.deletion_time);
    return {
      name,
      ...(meta.created_time ? { createdAt: meta.created_time } : {}),
      ...(meta.updated_time ? { updatedAt: meta.updated_time } : {}),
      ...(current?.created_time ? { lastRotatedAt: current.created_time } : {}),
      ...(current?.deletion_time ? { deletedAt: current.deletion_time } : {}),
      currentVersion: stageMap(meta).get('current') ?? String(meta.current_version),
      versionCount: live.length,
      tags: Object.fromEntries(Object.entries(meta.custom_metadata ?? {}).filter(([k]) => !k.startsWith(PIN_PREFIX))),
    };
  }

  async setStage(name: string, stage: SecretStage, version: string): Promise<void> {
    this.check(name);
    const meta = await this.meta(name);
    const info = meta.versions[version];
    if (!info || info.destroyed || info.deletion_time) throw notFound(this.label, name, `version ${version}`);
    const map = stageMap(meta);
    const next: Record<string, string> = { ...(meta.custom_metadata ?? {}) };
    if (stage === 'current') {
      const old = map.get('current');
      if (old !== undefined && old !== version) next[PIN.previous] = old;
      // No pin needed when the new current is KV's latest: plain readers and svm agree again.
      if (Number(version) === meta.current_version) delete next[PIN.current];
      else next[PIN.current] = version;
      if (next[PIN.pending] === version) delete next[PIN.pending];
    } else next[PIN[stage]] = version;
    await this.writePins(name, next);
  }

  private async writePins(name: string, custom: Record<string, string>): Promise<void> {
    await this.request('write metadata', name, () =>
      this.client.write(this.path('metadata', name), { custom_metadata: custom }),
    );
  }

  async delete(name: string): Promise<void> {
    this.check(name);
    const meta = await this.meta(name);
    const versions = Object.entries(meta.versions)
      .filter(([, v]) => !v.destroyed && !v.deletion_time)
      .map(([id]) => Number(id));
    if (versions.length === 0) throw notFound(this.label, name);
    await this.request('delete', name, () => this.client.write(this.path('delete', name), { versions }));
  }

  async destroy(name: string): Promise<void> {
    this.check(name);
    await this.meta(name);
    await this.request('destroy', name, () => this.client.delete(this.path('metadata', name)));
  }

  async close(): Promise<void> {
    clearTimeout(this.renewTimer);
  }
}

/** Custom-metadata keys where svm pins stages that differ from KV's own order. */
const PIN_PREFIX = 'svm-stage-';
const PIN: Record<SecretStage, string> = {
  current: 'svm-stage-current',
  previous: 'svm-stage-previous',
  pending: 'svm-stage-pending',
};

/**
 * current = the pinned current, else KV's current version; pending = the pinned pending version;
 * previous = the pinned previous, else the newest readable version below current. Pins to versions that
 * are no longer readable are ignored.
 */
function stageMap(meta: KvMetadata): Map<SecretStage, string> {
  const readable = Object.entries(meta.versions)
    .filter(([, v]) => !v.destroyed && !v.deletion_time)
    .map(([id]) => Number(id))
    .sort((a, b) => b - a);
  const pins = meta.custom_metadata ?? {};
  const pin = (stage: SecretStage): number | undefined => {
    const id = Number(pins[PIN[stage]]);
    return Number.isInteger(id) && readable.includes(id) ? id : undefined;
  };
  const map = new Map<SecretStage, string>();
  const current = pin('current') ?? (readable.includes(meta.current_version) ? meta.current_version : undefined);
  if (current === undefined) return map;
  map.set('current', String(current));
  const pending = pin('pending');
  if (pending !== undefined && pending !== current) map.set('pending', String(pending));
  const pinnedPrevious = pin('previous');
  const previous =
    pinnedPrevious !== undefined && pinnedPrevious !== current
      ? pinnedPrevious
      : readable.find((v) => v < current && v !== pending);
  if (previous !== undefined) map.set('previous', String(previous));
  return map;
}

function kvValue(data: Record<string, unknown>): string {
  const keys = Object.keys(data);
  if (keys.length === 1 && keys[0] === 'value' && typeof data.value === 'string') return data.value;
  return JSON.stringify(data);
}

function authFromEnv(env: Record<string, string | undefined>): VaultAuth | undefined {
  const token = env.VAULT_TOKEN ?? env.BAO_TOKEN;
  if (token) return { method: 'token', token };
  const roleId = env.VAULT_ROLE_ID ?? env.BAO_ROLE_ID;
  const secretId = env.VAULT_SECRET_ID ?? env.BAO_SECRET_ID;
  if (roleId && secretId) return { method: 'approle', roleId, secretId, mount: env.VAULT_APPROLE_MOUNT };
  if (env.VAULT_K8S_ROLE)
    return {
      method: 'kubernetes',
      role: env.VAULT_K8S_ROLE,
      jwtFile: env.VAULT_K8S_TOKEN_FILE,
      mount: env.VAULT_K8S_MOUNT,
    };
  if (env.VAULT_JWT_ROLE && env.VAULT_JWT)
    return { method: 'jwt', role: env.VAULT_JWT_ROLE, jwt: env.VAULT_JWT, mount: env.VAULT_JWT_MOUNT };
  return undefined;
}

/**
 * Open a Vault / OpenBao KV v2 store and log in.
 *
 * @example
 * ```ts
 * const store = await openVaultStore(ref, { env: process.env }); // VAULT_TOKEN, or AppRole / Kubernetes / JWT variables
 * ```
 */
export async function openVaultStore(ref: VaultRef, options: VaultStoreOptions = {}): Promise<VaultSecretStore> {
  const env = options.env ?? process.env;
  const auth = options.auth ?? authFromEnv(env);
  if (!auth)
    throw new SvmError(
      'CREDENTIALS_MISSING',
      'no Vault credentials: set VAULT_TOKEN (or BAO_TOKEN), VAULT_ROLE_ID + VAULT_SECRET_ID, VAULT_K8S_ROLE, or VAULT_JWT_ROLE + VAULT_JWT',
    );
  let factory: (config: Record<string, unknown>) => VaultClient;
  try {
    const mod = (await import('node-vault')) as unknown as { default?: unknown };
    factory = (mod.default ?? mod) as typeof factory;
  } catch (error) {
    throw missingSdk('node-vault', error);
  }
  const caPath = env.VAULT_CACERT ?? env.BAO_CACERT;
  const ca = options.caCert ?? (caPath ? readFileSync(caPath, 'utf8') : undefined);
  const client = factory({
    endpoint: ref.address,
    namespace: ref.namespace ?? env.VAULT_NAMESPACE ?? env.BAO_NAMESPACE,
    apiVersion: 'v1',
    // node-vault logs request bodies (secret values) through `debug` when DEBUG=node-vault is set: never.
    debug: () => undefined,
    ...(ca ? { requestOptions: { ca } } : {}),
  });
  const store = new VaultSecretStore(ref, client, auth, options.retry);
  await store.login();
  return store;
}
