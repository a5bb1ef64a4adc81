import { crc32c } from '@aws-crypto/crc32c';
import type { SecretMetadata, SecretStage, SecretVersion, StoreRef } from '@svm/core';
import { SvmError, isSvmError } from '@svm/core';
import type { RetryOptions } from '../retry.js';
import { type ErrorFacts, notFound, unsupported } from '../internal/errors.js';
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

/** Options of the GCP Secret Manager adapter. Credentials: application default credentials unless an emulator (`?insecure=true`). */
export interface GcpStoreOptions {
  env?: Record<string, string | undefined> | undefined;
  retry?: RetryOptions | undefined;
  /**
   * A google-auth-library client (e.g. an `OAuth2Client`, `GoogleAuth`) used instead of application default
   * credentials. Emulators on plain HTTP get an `OAuth2Client` holding a fixed token when none is given.
   */
  authClient?: unknown;
}

export const GCP_CAPABILITIES: StoreCapabilities = {
  stages: ['current', 'previous'],
  softDelete: true,
  orderedVersions: true,
  timestamps: true,
  nativeBatch: false,
  listShowsDeleted: true,
};

type GcpRef = Extract<StoreRef, { kind: 'gcp-sm' }>;
interface Timestamp {
  seconds?: number | string | { toNumber(): number } | null;
  nanos?: number | null;
}
interface GcpVersion {
  name?: string | null;
  state?: string | number | null;
  createTime?: Timestamp | null;
}
interface GcpPayload {
  data?: Uint8Array | string | null;
  dataCrc32c?: number | string | { toString(): string } | null;
}
interface GcpClient {
  accessSecretVersion(
    req: { name: string },
    opts?: unknown,
  ): Promise<[{ name?: string | null; payload?: GcpPayload | null }]>;
  addSecretVersion(
    req: { parent: string; payload: { data: Buffer; dataCrc32c: number } },
    opts?: unknown,
  ): Promise<[GcpVersion]>;
  createSecret(req: unknown, opts?: unknown): Promise<[unknown]>;
  getSecret(req: { name: string }, opts?: unknown): Promise<[Record<string, any>]>;
  listSecrets(
    req: { parent: string; filter?: string },
    opts?: unknown,
  ): Promise<[Array<{ name?: string | null; createTime?: Timestamp | null }>]>;
  listSecretVersions(req: { parent: string }, opts?: unknown): Promise<[GcpVersion[]]>;
  disableSecretVersion(req: { name: string }, opts?: unknown): Promise<unknown>;
  enableSecretVersion(req: { name: string }, opts?: unknown): Promise<unknown>;
  deleteSecret(req: { name: string }, opts?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Both transports' errors. gRPC (and google-gax's REST fallback, which translates the HTTP status) give a
 * numeric gRPC `code`; a `GaxiosError` from the HTTP layer gives the HTTP `status` (404, 409, …) and a string
 * `code` such as `ECONNREFUSED`; google-gax also keeps `httpStatusCode`.
 */
export function gcpFacts(error: unknown): ErrorFacts {
  const e = error as {
    code?: number | string;
    status?: unknown;
    httpStatusCode?: unknown;
    response?: { status?: unknown };
    name?: string;
    message?: string;
  };
  const http = [e?.httpStatusCode, e?.response?.status, e?.status].find((x): x is number => typeof x === 'number');
  return {
    grpc: typeof e?.code === 'number' ? e.code : undefined,
    status: http,
    code: typeof e?.code === 'string' ? e.code : undefined,
    name: e?.name === 'Error' ? undefined : e?.name,
    message: e?.message,
  };
}

/** CRC32C of a payload as the unsigned integer Secret Manager sends in `dataCrc32c` (an int64, so maybe a string or Long). */
function crcOf(value: GcpPayload['dataCrc32c']): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = Number(typeof value === 'object' ? value.toString() : value);
  return Number.isFinite(n) ? n : undefined;
}

function toIso(t: Timestamp | null | undefined): string | undefined {
  if (!t || t.seconds === undefined || t.seconds === null) return undefined;
  const s = typeof t.seconds === 'object' ? t.seconds.toNumber() : Number(t.seconds);
  return new Date(s * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString();
}

function stateOf(state: string | number | null | undefined): SecretVersion['state'] {
  if (state === 'ENABLED' || state === 1) return 'enabled';
  if (state === 'DISABLED' || state === 2) return 'disabled';
  return 'destroyed';
}

const lastSegment = (name: string | null | undefined): string => (name ?? '').split('/').pop() ?? '';

/**
 * GCP Secret Manager (`gcp-sm://<project>`, `?endpoint=host:port&insecure=true` for an emulator).
 * `current` is the newest enabled version, `previous` the one before it; `delete` disables every
 * version (restorable with enable), `destroy` deletes the secret.
 *
 * @example
 * ```ts
 * const store = await openGcpStore(parseStoreUri('gcp-sm://my-project') as GcpRef);
 * ```
 */
export class GcpSecretStore implements SecretStore {
  readonly kind = 'gcp-sm' as const;
  readonly capabilities = GCP_CAPABILITIES;
  readonly ref: GcpRef;
  private readonly client: GcpClient;
  private readonly call: ReturnType<typeof remoteCaller>;
  private readonly label: string;

  constructor(ref: GcpRef, client: GcpClient, options: GcpStoreOptions = {}) {
    this.ref = ref;
    this.client = client;
    this.label = `gcp-sm ${ref.project}`;
    this.call = remoteCaller(this.label, options.retry, gcpFacts);
  }

  private secretPath(name: string): string {
    return `projects/${this.ref.project}/secrets/${name}`;
  }

  private check(name: string): void {
    checkName(this.label, name, NAME_RULES['gcp-sm']);
  }

  private async enabledVersions(name: string): Promise<GcpVersion[]> {
    return (await this.rawVersions(name)).filter((v) => stateOf(v.state) === 'enabled');
  }

  private async rawVersions(name: string): Promise<GcpVersion[]> {
    try {
      const [versions] = await this.call('list versions', name, () =>
        this.client.listSecretVersions({ parent: this.secretPath(name) }),
      );
      return [...versions].sort((a, b) => Number(lastSegment(b.name)) - Number(lastSegment(a.name)));
    } catch (error) {
      if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND') throw notFound(this.label, name);
      throw error;
    }
  }

  async get(name: string, selector: SecretSelector = {}): Promise<SecretValue> {
    this.check(name);
    checkSelector(selector);
    const enabled = await this.enabledVersions(name);
    const ids = enabled.map((v) => lastSegment(v.name));
    let id: string | undefined;
    if (selector.version !== undefined) id = ids.includes(selector.version) ? selector.version : undefined;
    else if ((selector.stage ?? 'current') === 'current') id = ids[0];
    else if (selector.stage === 'previous') id = ids[1];
    if (id === undefined) throw notFound(this.label, name, describeSelector(selector));
    const version = id;
    const [out] = await this.call('access', name, () =>
      this.client.accessSecretVersion({ name: `${this.secretPath(name)}/versions/${version}` }),
    ).catch((error: unknown) => {
      if (isSvmError(error) && (error.code === 'SECRET_NOT_FOUND' || error.code === 'CONFLICT'))
        throw notFound(this.label, name, describeSelector(selector));
      throw error;
    });
    const data = out.payload?.data;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data ?? new Uint8Array());
    // The real service returns the payload's CRC32C; emulators may not (drongo does not): check it when present.
    const expected = crcOf(out.payload?.dataCrc32c);
    if (expected !== undefined && crc32c(bytes) !== expected)
      throw new SvmError(
        'UNAVAILABLE',
        `${this.label}: secret '${name}' version ${version}: payload checksum (dataCrc32c) does not match; the data was corrupted in transit or at rest`,
        {
          details: { store: this.label, name, version },
        },
      );
    const stages: SecretStage[] = [];
    if (ids[0] === version) stages.push('current');
    if (ids[1] === version) stages.push('previous');
    const createdAt = toIso(enabled.find((v) => lastSegment(v.name) === version)?.createTime);
    return { name, version, stages, createdAt, value: bytes.toString('utf8') };
  }

  getMany(names: readonly string[]): Promise<GetManyResult[]> {
    return getManyByGet((name) => this.get(name), names);
  }

  async put(name: string, value: string, options: PutOptions = {}): Promise<PutResult> {
    this.check(name);
    if (options.stage === 'pending') throw unsupported(this.label, "put with stage 'pending' (needs version aliases)");
    const data = Buffer.from(value, 'utf8');
    // dataCrc32c makes the service verify the bytes it received (it answers INVALID_ARGUMENT on a mismatch).
    const add = () =>
      this.call('add version', name, () =>
        this.client.addSecretVersion({ parent: this.secretPath(name), payload: { data, dataCrc32c: crc32c(data) } }),
      );
    let out: [GcpVersion];
    try {
      out = await add();
    } catch (error) {
      if (!(isSvmError(error) && error.code === 'SECRET_NOT_FOUND')) throw error;
      await this.call('create', name, () =>
        this.client.createSecret({
          parent: `projects/${this.ref.project}`,
          secretId: name,
          secret: { replication: { automatic: {} }, labels: options.tags ?? {} },
        }),
      ).catch((e: unknown) => {
        if (!(isSvmError(e) && e.code === 'CONFLICT')) throw e; // created meanwhile by another writer
      });
      out = await add();
    }
    return { name, version: lastSegment(out[0].name), stages: ['current'] };
  }

  async list(prefix = ''): Promise<SecretListEntry[]> {
    // The service narrows by `name:<text>` (a substring match); emulators may ignore the filter (drongo does).
    // Either way the prefix is applied here as well, so both give the same answer.
    const filter = /^[A-Za-z0-9_-]+$/.test(prefix) ? { filter: `name:${prefix}` } : {};
    const [secrets] = await this.call('list', undefined, () =>
      this.client.listSecrets({ parent: `projects/${this.ref.project}`, ...filter }),
    );
    return secrets
      .map((s) => lastSegment(s.name))
      .filter((n) => n.startsWith(prefix))
      .sort()
      .map((name) => ({ name }));
  }

  async versions(name: string): Promise<SecretVersion[]> {
    this.check(name);
    const all = await this.rawVersions(name);
    const enabledIds = all.filter((v) => stateOf(v.state) === 'enabled').map((v) => lastSegment(v.name));
    return all.map((v) => {
      const id = lastSegment(v.name);
      const stages: SecretStage[] = [];
      if (enabledIds[0] === id) stages.push('current');
      if (enabledIds[1] === id) stages.push('previous');
      const createdAt = toIso(v.createTime);
      return { version: id, stages, state: stateOf(v.state), ...(createdAt ? { createdAt } : {}) };
    });
  }

  async metadata(name: string): Promise<SecretMetadata> {
    this.check(name);
    const [secret] = await this.call('describe', name, () =>
      this.client.getSecret({ name: this.secretPath(name) }),
    ).catch((error: unknown) => {
      if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND') throw notFound(this.label, name);
      throw error;
    });
    const versions = await this.rawVersions(name);
    const enabled = versions.filter((v) => stateOf(v.state) === 'enabled');
    const current = enabled[0];
    const period = secret.rotation?.rotationPeriod?.seconds;
    const createdAt = toIso(secret.createTime);
    const expiresAt = toIso(secret.expireTime);
    const lastRotatedAt = toIso(current?.createTime);
    const nextRotationAt = toIso(secret.rotation?.nextRotationTime);
    return {
      name,
      ...(createdAt ? { createdAt } : {}),
      ...(lastRotatedAt ? { lastRotatedAt, updatedAt: lastRotatedAt } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      ...(secret.rotation
        ? {
            rotation: {
              enabled: Boolean(period || nextRotationAt),
              ...(period ? { intervalDays: Number(period) / 86400 } : {}),
              ...(nextRotationAt ? { nextRotationAt } : {}),
            },
          }
        : {}),
      ...(current ? { currentVersion: lastSegment(current.name) } : {}),
      versionCount: enabled.length,
      tags: { ...(secret.labels ?? {}) },
    };
  }

  async setStage(_name: string, stage: SecretStage): Promise<void> {
    throw unsupported(this.label, `moving stage '${stage}' (GCP orders versions by creation; aliases are not used)`);
  }

  async delete(name: string): Promise<void> {
    this.check(name);
    const enabled = await this.enabledVersions(name);
    if (enabled.length === 0) throw notFound(this.label, name);
    for (const v of enabled)
      await this.call('disable version', name, () => this.client.disableSecretVersion({ name: v.name as string }));
  }

  /**
   * Undo {@link delete}: enable the versions it disabled, so the newest of them is current again.
   * `SECRET_NOT_FOUND` when the secret does not exist (destroyed) or has no disabled version.
   */
  async restore(name: string): Promise<void> {
    this.check(name);
    const all = await this.rawVersions(name);
    if (all.some((v) => stateOf(v.state) === 'enabled')) return; // not deleted: nothing to do
    const disabled = all.filter((v) => stateOf(v.state) === 'disabled');
    if (disabled.length === 0) throw notFound(this.label, name, '(no disabled version to restore)');
    for (const v of disabled)
      await this.call('enable version', name, () => this.client.enableSecretVersion({ name: v.name as string }));
  }

  async destroy(name: string): Promise<void> {
    this.check(name);
    await this.call('delete', name, () => this.client.deleteSecret({ name: this.secretPath(name) })).catch(
      (error: unknown) => {
        if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND') throw notFound(this.label, name);
        throw error;
      },
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/**
 * Open a GCP Secret Manager store (the SDK loads now).
 *
 * - `?transport=rest` uses the HTTP/JSON transport (google-gax `fallback`) instead of gRPC.
 * - `?endpoint=host:port` talks to another endpoint; `?endpoint=http://host:port` (or `&insecure=true` with
 *   `transport=rest`) is an emulator on plain HTTP such as drongo: REST transport, and a fixed bearer token
 *   instead of application default credentials.
 * - `?endpoint=host:port&insecure=true` without `transport=rest` is an emulator speaking plain gRPC.
 *
 * @example
 * ```ts
 * const store = await openGcpStore(parseStoreUri('gcp-sm://svm-test?endpoint=http://127.0.0.1:18091') as GcpRef);
 * ```
 */
export async function openGcpStore(ref: GcpRef, options: GcpStoreOptions = {}): Promise<GcpSecretStore> {
  let mod: typeof import('@google-cloud/secret-manager');
  try {
    mod = await import('@google-cloud/secret-manager');
  } catch (error) {
    throw missingSdk('@google-cloud/secret-manager', error);
  }
  const config: Record<string, unknown> = { projectId: ref.project };
  const endpoint = ref.options.endpoint ?? '';
  const scheme = /^([a-z]+):\/\//i.exec(endpoint)?.[1]?.toLowerCase();
  const rest = ref.options.transport === 'rest' || scheme === 'http' || scheme === 'https';
  const insecure = ref.options.insecure === 'true' || scheme === 'http';
  if (endpoint) {
    const [host, port] = endpoint
      .replace(/^[a-z]+:\/\//i, '')
      .replace(/\/+$/, '')
      .split(':');
    config.apiEndpoint = host;
    if (port) config.port = Number(port);
  }
  if (rest) {
    config.fallback = true;
    if (insecure) config.protocol = 'http';
  }
  if (options.authClient) config.authClient = options.authClient;
  else if (insecure) {
    // An emulator checks no credentials, but google-gax insists on an auth client: a fixed token spares the
    // application-default-credentials lookup, which fails on a machine without gcloud and, over gRPC as over
    // REST, first probes the GCE metadata server (network traffic that must not leave a local test).
    let auth: typeof import('google-auth-library');
    try {
      auth = await import('google-auth-library');
    } catch (error) {
      throw missingSdk('google-auth-library', error);
    }
    const client = new auth.OAuth2Client();
    client.setCredentials({ access_token: 'svm-emulator', expiry_date: Date.now() + 365 * 86_400_000 });
    config.authClient = client;
  }
  if (insecure && !rest && !options.authClient) {
    let grpc: typeof import('@grpc/grpc-js');
    try {
      grpc = await import('@grpc/grpc-js');
    } catch (error) {
      throw missingSdk('@grpc/grpc-js', error);
    }
    config.sslCreds = grpc.credentials.createInsecure();
  }
  const Client =
    mod.SecretManagerServiceClient ?? (mod as unknown as { default: typeof mod }).default.SecretManagerServiceClient;
  return new GcpSecretStore(ref, new Client(config as never) as unknown as GcpClient, options);
}
