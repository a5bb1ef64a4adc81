import type { TokenCredential } from '@azure/core-auth';
import type { SecretClient, SecretProperties } from '@azure/keyvault-secrets';
import { readFileSync } from 'node:fs';
import { type SecretMetadata, type SecretStage, type SecretVersion, type StoreRef, isSvmError } from '@svm/core';
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

/** Options of the Azure Key Vault adapter. */
export interface AzureStoreOptions {
  /** A TokenCredential (default: `DefaultAzureCredential` from @azure/identity). */
  credential?: TokenCredential | undefined;
  /** PEM CA bundle to trust (else the file named by `?ca=` in the URI), e.g. an emulator's self-signed certificate. */
  caCert?: string | undefined;
  /** Key Vault API version (e.g. '7.4'); the SDK's default otherwise. */
  serviceVersion?: string | undefined;
  env?: Record<string, string | undefined> | undefined;
  retry?: RetryOptions | undefined;
}

export const AZURE_CAPABILITIES: StoreCapabilities = {
  stages: ['current', 'previous'],
  softDelete: true,
  orderedVersions: false,
  timestamps: true,
  nativeBatch: false,
  listShowsDeleted: false,
};

type AzureRef = Extract<StoreRef, { kind: 'azure-kv' }>;

function azureFacts(error: unknown): ErrorFacts {
  const e = error as { statusCode?: number; code?: string; name?: string; message?: string };
  return {
    status: e?.statusCode,
    code: e?.code,
    name: e?.name === 'RestError' ? undefined : e?.name,
    message: e?.message,
  };
}

const iso = (d: Date | undefined): string | undefined => (d ? d.toISOString() : undefined);

/**
 * Azure Key Vault secrets (`azure-kv://<vault-name>`, `?url=` for another endpoint such as lowkey-vault,
 * `?ca=<pem file>` to trust its certificate). `current` is the latest version, `previous` the enabled
 * version created before it; `delete` is Key Vault's soft delete, `destroy` deletes and purges.
 *
 * @example
 * ```ts
 * const store = await openAzureStore(parseStoreUri('azure-kv://my-vault') as AzureRef);
 * ```
 */
export class AzureSecretStore implements SecretStore {
  readonly kind = 'azure-kv' as const;
  readonly capabilities = AZURE_CAPABILITIES;
  readonly ref: AzureRef;
  private readonly client: SecretClient;
  private readonly call: ReturnType<typeof remoteCaller>;
  private readonly label: string;

  constructor(ref: AzureRef, client: SecretClient, options: AzureStoreOptions = {}) {
    this.ref = ref;
    this.client = client;
    this.label = `azure-kv ${ref.vaultName}`;
    this.call = remoteCaller(this.label, options.retry, azureFacts);
  }

  private check(name: string): void {
    checkName(this.label, name, NAME_RULES['azure-kv']);
  }

  /** Enabled versions, newest first. */
  private async versionProps(name: string): Promise<SecretProperties[]> {
    const all: SecretProperties[] = [];
    await this.call('list versions', name, async (signal) => {
      all.length = 0;
      for await (const p of this.client.listPropertiesOfSecretVersions(name, { abortSignal: signal })) all.push(p);
    });
    all.sort((a, b) => (b.createdOn?.getTime() ?? 0) - (a.createdOn?.getTime() ?? 0));
    // Key Vault times have one-second resolution and list order is unspecified: when the newest versions share a
    // second, the service's own latest (GET without a version) decides which one is current.
    if (all.length > 1 && all[0]?.createdOn?.getTime() === all[1]?.createdOn?.getTime()) {
      const latest = await this.call('get', name, (signal) =>
        this.client.getSecret(name, { abortSignal: signal }),
      ).catch(() => undefined);
      const i = all.findIndex((p) => p.version === latest?.properties.version);
      if (i > 0) all.unshift(...all.splice(i, 1));
    }
    return all;
  }

  async get(name: string, selector: SecretSelector = {}): Promise<SecretValue> {
    this.check(name);
    checkSelector(selector);
    let version = selector.version;
    let enabled: SecretProperties[] | undefined;
    if (selector.stage === 'previous' || selector.stage === 'pending') {
      enabled = (await this.versionProps(name)).filter((p) => p.enabled !== false);
      version = selector.stage === 'previous' ? enabled[1]?.version : undefined;
      if (!version) throw notFound(this.label, name, describeSelector(selector));
    }
    const secret = await this.call('get', name, (signal) =>
      this.client.getSecret(name, { ...(version ? { version } : {}), abortSignal: signal }),
    ).catch((error: unknown) => {
      if (
        isSvmError(error) &&
        (error.code === 'SECRET_NOT_FOUND' ||
          error.code === 'SECRET_NAME_INVALID' ||
          (error.code === 'ACCESS_DENIED' && version !== undefined))
      )
        throw notFound(this.label, name, describeSelector(selector));
      throw error;
    });
    const id = secret.properties.version as string;
    let stages: SecretStage[];
    if (version === undefined) stages = ['current'];
    else {
      enabled ??= (await this.versionProps(name)).filter((p) => p.enabled !== false);
      stages = [];
      if (enabled[0]?.version === id) stages.push('current');
      if (enabled[1]?.version === id) stages.push('previous');
    }
    return { name, version: id, stages, createdAt: iso(secret.properties.createdOn), value: secret.value ?? '' };
  }

  getMany(names: readonly string[]): Promise<GetManyResult[]> {
    return getManyByGet((name) => this.get(name), names);
  }

  async put(name: string, value: string, options: PutOptions = {}): Promise<PutResult> {
    this.check(name);
    if (options.stage === 'pending')
      throw unsupported(this.label, "put with stage 'pending' (the newest Key Vault version is always the one read)");
    const out = await this.call('set', name, (signal) =>
      this.client.setSecret(name, value, { ...(options.tags ? { tags: options.tags } : {}), abortSignal: signal }),
    );
    return { name, version: out.properties.version as string, stages: ['current'] };
  }

  async list(prefix = ''): Promise<SecretListEntry[]> {
    const out: SecretListEntry[] = [];
    await this.call('list', undefined, async (signal) => {
      out.length = 0;
      for await (const p of this.client.listPropertiesOfSecrets({ abortSignal: signal }))
        if (p.name.startsWith(prefix))
          out.push({ name: p.name, ...(p.updatedOn ? { updatedAt: iso(p.updatedOn) } : {}) });
    });
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private async existing(name: string): Promise<SecretProperties[]> {
    const props = await this.versionProps(name).catch((error: unknown) => {
      if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND') throw notFound(this.label, name);
      throw error;
    });
    if (props.length === 0) throw notFound(this.label, name);
    return props;
  }

  async versions(name: string): Promise<SecretVersion[]> {
    this.check(name);
    const props = await this.existing(name);
    const enabled = props.filter((p) => p.enabled !== false).map((p) => p.version);
    return props.map((p) => {
      const stages: SecretStage[] = [];
      if (enabled[0] === p.version) stages.push('current');
      if (enabled[1] === p.version) stages.push('previous');
      return {
        version: p.version as string,
        stages,
        state: p.enabled === false ? ('disabled' as const) : ('enabled' as const),
        ...(p.createdOn ? { createdAt: iso(p.createdOn) } : {}),
      };
    });
  }

  async metadata(name: string): Promise<SecretMetadata> {
    this.check(name);
    const props = await this.existing(name);
    const current = props.find((p) => p.enabled !== false) ?? props[0];
    const oldest = props[props.length - 1];
    return {
      name,
      ...(oldest?.createdOn ? { createdAt: iso(oldest.createdOn) } : {}),
      ...(current?.updatedOn ? { updatedAt: iso(current.updatedOn) } : {}),
      ...(current?.createdOn ? { lastRotatedAt: iso(current.createdOn) } : {}),
      ...(current?.expiresOn ? { expiresAt: iso(current.expiresOn) } : {}),
      ...(current?.version ? { currentVersion: current.version } : {}),
      versionCount: props.filter((p) => p.enabled !== false).length,
      tags: { ...(current?.tags ?? {}) },
    };
  }

  async setStage(_name: string, stage: SecretStage): Promise<void> {
    throw unsupported(this.label, `moving stage '${stage}' (Key Vault always reads its newest version)`);
  }

  async delete(name: string): Promise<void> {
    this.check(name);
    await this.existing(name);
    await this.call('delete', name, async () => {
      const poller = await this.client.beginDeleteSecret(name, { intervalInMs: 200 });
      await poller.pollUntilDone();
    });
  }

  /**
   * Undo {@link delete}: recover the soft-deleted secret with every version (Key Vault "recover"), and wait until
   * it reads again. A secret that is not deleted is left alone; one that does not exist (or was purged) is
   * `SECRET_NOT_FOUND`.
   */
  async restore(name: string): Promise<void> {
    this.check(name);
    try {
      await this.call('recover', name, async () => {
        const poller = await this.client.beginRecoverDeletedSecret(name, { intervalInMs: 200 });
        await poller.pollUntilDone();
      });
    } catch (error) {
      if (!(isSvmError(error) && error.code === 'SECRET_NOT_FOUND')) throw error;
      await this.existing(name); // live (not deleted): nothing to restore; absent: SECRET_NOT_FOUND
    }
  }

  async destroy(name: string): Promise<void> {
    this.check(name);
    await this.existing(name);
    await this.call('delete', name, async () => {
      const poller = await this.client.beginDeleteSecret(name, { intervalInMs: 200 });
      await poller.pollUntilDone();
    });
    await this.call('purge', name, () => this.client.purgeDeletedSecret(name));
  }

  async close(): Promise<void> {}
}

/**
 * Open an Azure Key Vault store (the SDK and @azure/identity load now).
 *
 * @example
 * ```ts
 * const store = await openAzureStore(parseStoreUri('azure-kv://localhost?url=https://localhost:8443&ca=./lowkey.pem') as AzureRef, { credential });
 * ```
 */
export async function openAzureStore(ref: AzureRef, options: AzureStoreOptions = {}): Promise<AzureSecretStore> {
  let kv: typeof import('@azure/keyvault-secrets');
  try {
    kv = await import('@azure/keyvault-secrets');
  } catch (error) {
    throw missingSdk('@azure/keyvault-secrets', error);
  }
  let credential = options.credential;
  if (!credential) {
    try {
      const identity = await import('@azure/identity');
      credential = new identity.DefaultAzureCredential();
    } catch (error) {
      throw missingSdk('@azure/identity', error);
    }
  }
  const caFile = ref.options.ca;
  const ca = options.caCert ?? (caFile ? readFileSync(caFile, 'utf8') : undefined);
  const custom = ref.url !== `https://${ref.vaultName}.vault.azure.net`;
  const client = new kv.SecretClient(ref.url, credential, {
    ...(options.serviceVersion ? { serviceVersion: options.serviceVersion as never } : {}),
    // An endpoint other than *.vault.azure.net (an emulator, a private link name) answers a challenge for another resource.
    ...(custom ? { disableChallengeResourceVerification: true } : {}),
    ...(ca ? { tlsOptions: { ca } } : {}),
    retryOptions: { maxRetries: 1 },
  });
  return new AzureSecretStore(ref, client, options);
}
