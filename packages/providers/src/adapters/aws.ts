import { randomUUID } from 'node:crypto';
import type * as Sm from '@aws-sdk/client-secrets-manager';
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

/** Options of the AWS Secrets Manager adapter. Credentials come from the SDK's usual chain unless given. */
export interface AwsStoreOptions {
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined } | undefined;
  /** Recovery window of `delete` in days, 7–30 (default 7). */
  recoveryWindowDays?: number | undefined;
  env?: Record<string, string | undefined> | undefined;
  retry?: RetryOptions | undefined;
}

export const AWS_CAPABILITIES: StoreCapabilities = {
  stages: ['current', 'previous', 'pending'],
  softDelete: true,
  orderedVersions: false,
  timestamps: true,
  nativeBatch: true,
  listShowsDeleted: false,
};

const TO_AWS: Record<SecretStage, string> = { current: 'AWSCURRENT', previous: 'AWSPREVIOUS', pending: 'AWSPENDING' };
const FROM_AWS: Record<string, SecretStage> = { AWSCURRENT: 'current', AWSPREVIOUS: 'previous', AWSPENDING: 'pending' };
type AwsRef = Extract<StoreRef, { kind: 'aws-sm' }>;
type SmModule = typeof Sm;

function awsFacts(error: unknown): ErrorFacts {
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  // A secret marked for deletion answers InvalidRequestException: for svm it is not found.
  if (e?.name === 'InvalidRequestException' && /marked (for )?delet/i.test(e.message ?? ''))
    return { name: 'ResourceNotFoundException', status: 404 };
  return { name: e?.name, code: e?.code, status: e?.$metadata?.httpStatusCode, message: e?.message };
}

const stagesFrom = (labels: readonly string[] | undefined): SecretStage[] =>
  (labels ?? []).map((l) => FROM_AWS[l]).filter((s): s is SecretStage => s !== undefined);
const rank = (labels: readonly string[] | undefined): number =>
  labels?.includes('AWSPENDING') ? 0 : labels?.includes('AWSCURRENT') ? 1 : labels?.includes('AWSPREVIOUS') ? 2 : 3;
const iso = (d: Date | undefined): string | undefined => (d ? new Date(d).toISOString() : undefined);

/**
 * AWS Secrets Manager (`aws-sm://<region>`, `?endpoint=` for moto/LocalStack, `?profile=`). Stages map to
 * AWSCURRENT / AWSPREVIOUS / AWSPENDING; `delete` schedules deletion with a recovery window.
 *
 * @example
 * ```ts
 * const store = await openAwsStore(parseStoreUri('aws-sm://eu-west-1') as AwsRef);
 * await store.put('prod/api-key', 'k-1', { stage: 'pending' });
 * ```
 */
export class AwsSecretStore implements SecretStore {
  readonly kind = 'aws-sm' as const;
  readonly capabilities = AWS_CAPABILITIES;
  readonly ref: AwsRef;
  private readonly client: Sm.SecretsManagerClient;
  private readonly sm: SmModule;
  private readonly call: ReturnType<typeof remoteCaller>;
  private readonly label: string;
  private readonly recoveryWindowDays: number;

  constructor(ref: AwsRef, sm: SmModule, client: Sm.SecretsManagerClient, options: AwsStoreOptions = {}) {
    this.ref = ref;
    this.sm = sm;
    this.client = client;
    this.label = `aws-sm ${ref.region}`;
    this.call = remoteCaller(this.label, options.retry, awsFacts);
    this.recoveryWindowDays = options.recoveryWindowDays ?? 7;
  }

  private check(name: string): void {
    checkName(this.label, name, NAME_RULES['aws-sm']);
  }

  private async notFoundAs<TResult>(name: string, what: string | undefined, p: Promise<TResult>): Promise<TResult> {
    try {
      return await p;
    } catch (error) {
      if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND') throw notFound(this.label, name, what);
      throw error;
    }
  }

  async get(name: string, selector: SecretSelector = {}): Promise<SecretValue> {
    this.check(name);
    checkSelector(selector);
    const input: Sm.GetSecretValueCommandInput = { SecretId: name };
    if (selector.version !== undefined) input.VersionId = selector.version;
    else input.VersionStage = TO_AWS[selector.stage ?? 'current'];
    const out = await this.notFoundAs(
      name,
      describeSelector(selector),
      this.call('get', name, (signal) =>
        this.client.send(new this.sm.GetSecretValueCommand(input), { abortSignal: signal }),
      ),
    ).catch((error: unknown) => {
      // A version id that is not a UUID-like token is a bad reference in AWS terms; for svm it is simply absent.
      if (isSvmError(error) && error.code === 'SECRET_NAME_INVALID' && selector.version !== undefined)
        throw notFound(this.label, name, describeSelector(selector));
      throw error;
    });
    return {
      name,
      version: out.VersionId as string,
      stages: stagesFrom(out.VersionStages),
      createdAt: iso(out.CreatedDate),
      value: out.SecretString ?? Buffer.from(out.SecretBinary ?? new Uint8Array()).toString('base64'),
    };
  }

  async getMany(names: readonly string[]): Promise<GetManyResult[]> {
    const results = new Map<string, GetManyResult>();
    const valid: string[] = [];
    for (const name of names) {
      try {
        this.check(name);
        valid.push(name);
      } catch (error) {
        results.set(name, { name, ok: false, error: error as SvmError });
      }
    }
    for (let i = 0; i < valid.length; i += 20) {
      const chunk = valid.slice(i, i + 20);
      const out = await this.call('batch get', undefined, (signal) =>
        this.client.send(new this.sm.BatchGetSecretValueCommand({ SecretIdList: chunk }), { abortSignal: signal }),
      );
      for (const v of out.SecretValues ?? []) {
        const name = chunk.find((n) => n === v.Name || n === v.ARN) ?? (v.Name as string);
        results.set(name, {
          name,
          ok: true,
          secret: {
            name,
            version: v.VersionId as string,
            stages: stagesFrom(v.VersionStages),
            createdAt: iso(v.CreatedDate),
            value: v.SecretString ?? '',
          },
        });
      }
      for (const e of out.Errors ?? []) {
        const name = chunk.find((n) => n === e.SecretId) ?? (e.SecretId as string);
        const facts = awsFacts({ name: e.ErrorCode, message: e.Message });
        results.set(name, {
          name,
          ok: false,
          error:
            facts.name === 'ResourceNotFoundException'
              ? notFound(this.label, name)
              : new SvmError('ACCESS_DENIED', `${this.label}: batch get '${name}' failed (${e.ErrorCode ?? 'error'})`),
        });
      }
      for (const name of chunk)
        if (!results.has(name)) results.set(name, { name, ok: false, error: notFound(this.label, name) });
    }
    return names.map((name) => results.get(name) as GetManyResult);
  }

  async put(name: string, value: string, options: PutOptions = {}): Promise<PutResult> {
    this.check(name);
    const token = randomUUID();
    const stage = options.stage ?? 'current';
    try {
      const out = await this.call('put', name, (signal) =>
        this.client.send(
          new this.sm.PutSecretValueCommand({
            SecretId: name,
            SecretString: value,
            ClientRequestToken: token,
            ...(stage === 'pending' ? { VersionStages: ['AWSPENDING'] } : {}),
          }),
          { abortSignal: signal },
        ),
      );
      return { name, version: out.VersionId as string, stages: stagesFrom(out.VersionStages) };
    } catch (error) {
      if (!(isSvmError(error) && error.code === 'SECRET_NOT_FOUND')) throw error;
      if (stage === 'pending') throw notFound(this.label, name, '(a pending version needs an existing secret)');
    }
    const tags = Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
    const created = await this.call('create', name, (signal) =>
      this.client.send(
        new this.sm.CreateSecretCommand({
          Name: name,
          SecretString: value,
          ClientRequestToken: token,
          ...(tags.length ? { Tags: tags } : {}),
        }),
        { abortSignal: signal },
      ),
    );
    return { name, version: created.VersionId as string, stages: ['current'] };
  }

  async list(prefix = ''): Promise<SecretListEntry[]> {
    const out: SecretListEntry[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.call('list', undefined, (signal) =>
        this.client.send(
          new this.sm.ListSecretsCommand({
            NextToken,
            MaxResults: 100,
            ...(prefix ? { Filters: [{ Key: 'name', Values: [prefix] }] } : {}),
          }),
          { abortSignal: signal },
        ),
      );
      for (const s of page.SecretList ?? [])
        if (s.Name?.startsWith(prefix) && !s.DeletedDate) out.push({ name: s.Name, updatedAt: iso(s.LastChangedDate) });
      NextToken = page.NextToken;
    } while (NextToken);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private describe(name: string): Promise<Sm.DescribeSecretCommandOutput> {
    return this.notFoundAs(
      name,
      undefined,
      this.call('describe', name, (signal) =>
        this.client.send(new this.sm.DescribeSecretCommand({ SecretId: name }), { abortSignal: signal }),
      ),
    ).then((d) => {
      if (d.DeletedDate) throw notFound(this.label, name);
      return d;
    });
  }

  async versions(name: string): Promise<SecretVersion[]> {
    this.check(name);
    await this.describe(name);
    const versions: Sm.SecretVersionsListEntry[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.call('list versions', name, (signal) =>
        this.client.send(
          new this.sm.ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, NextToken }),
          { abortSignal: signal },
        ),
      );
      versions.push(...(page.Versions ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return (
      versions
        // Newest first; versions created in the same second are ordered by their labels (current, previous, others).
        .sort(
          (a, b) =>
            new Date(b.CreatedDate ?? 0).getTime() - new Date(a.CreatedDate ?? 0).getTime() ||
            rank(a.VersionStages) - rank(b.VersionStages),
        )
        .map((v) => ({
          version: v.VersionId as string,
          stages: stagesFrom(v.VersionStages),
          state: 'enabled' as const,
          ...(v.CreatedDate ? { createdAt: iso(v.CreatedDate) } : {}),
        }))
    );
  }

  async metadata(name: string): Promise<SecretMetadata> {
    this.check(name);
    const d = await this.describe(name);
    const current = Object.entries(d.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
    const rules = d.RotationRules;
    return {
      name,
      ...(d.CreatedDate ? { createdAt: iso(d.CreatedDate) } : {}),
      ...(d.LastChangedDate ? { updatedAt: iso(d.LastChangedDate) } : {}),
      ...(d.LastRotatedDate ? { lastRotatedAt: iso(d.LastRotatedDate) } : {}),
      ...(d.LastAccessedDate ? { lastAccessedAt: iso(d.LastAccessedDate) } : {}),
      ...(d.RotationEnabled !== undefined || rules
        ? {
            rotation: {
              enabled: Boolean(d.RotationEnabled),
              ...(rules?.AutomaticallyAfterDays ? { intervalDays: rules.AutomaticallyAfterDays } : {}),
              ...(rules?.ScheduleExpression ? { schedule: rules.ScheduleExpression } : {}),
              ...(d.NextRotationDate ? { nextRotationAt: iso(d.NextRotationDate) } : {}),
            },
          }
        : {}),
      ...(current ? { currentVersion: current } : {}),
      versionCount: Object.keys(d.VersionIdsToStages ?? {}).length,
      tags: Object.fromEntries((d.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    };
  }

  async setStage(name: string, stage: SecretStage, version: string): Promise<void> {
    this.check(name);
    const d = await this.describe(name);
    const map = d.VersionIdsToStages ?? {};
    if (!map[version]) throw notFound(this.label, name, `version ${version}`);
    const label = TO_AWS[stage];
    const holder = Object.entries(map).find(([, s]) => s.includes(label))?.[0];
    if (holder !== version) {
      await this.call('update stage', name, (signal) =>
        this.client.send(
          new this.sm.UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: label,
            MoveToVersionId: version,
            ...(holder ? { RemoveFromVersionId: holder } : {}),
          }),
          { abortSignal: signal },
        ),
      );
    }
    // Finishing a rotation: the new current is no longer pending (AWS leaves the label otherwise).
    if (stage === 'current' && map[version]?.includes('AWSPENDING')) {
      await this.call('update stage', name, (signal) =>
        this.client.send(
          new this.sm.UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'AWSPENDING',
            RemoveFromVersionId: version,
          }),
          {
            abortSignal: signal,
          },
        ),
      );
    }
  }

  async delete(name: string): Promise<void> {
    this.check(name);
    await this.describe(name);
    await this.call('delete', name, (signal) =>
      this.client.send(
        new this.sm.DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: this.recoveryWindowDays }),
        { abortSignal: signal },
      ),
    );
  }

  async destroy(name: string): Promise<void> {
    this.check(name);
    await this.notFoundAs(
      name,
      undefined,
      this.call('describe', name, (signal) =>
        this.client.send(new this.sm.DescribeSecretCommand({ SecretId: name }), { abortSignal: signal }),
      ),
    );
    await this.call('destroy', name, (signal) =>
      this.client.send(new this.sm.DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }), {
        abortSignal: signal,
      }),
    );
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

/**
 * Open an AWS Secrets Manager store (the SDK loads now, not before).
 *
 * @example
 * ```ts
 * const store = await openAwsStore(parseStoreUri('aws-sm://us-east-1?endpoint=http://127.0.0.1:5000') as AwsRef, {
 *   credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
 * });
 * ```
 */
export async function openAwsStore(ref: AwsRef, options: AwsStoreOptions = {}): Promise<AwsSecretStore> {
  let sm: SmModule;
  try {
    sm = await import('@aws-sdk/client-secrets-manager');
  } catch (error) {
    throw missingSdk('@aws-sdk/client-secrets-manager', error);
  }
  const env = options.env ?? process.env;
  const credentials =
    options.credentials ??
    (env !== process.env && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          sessionToken: env.AWS_SESSION_TOKEN,
        }
      : undefined);
  const endpoint = ref.options.endpoint ?? env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  // svm supports Node >= 20; the SDK's 8-line NodeVersionSupportWarning (emitted when a client is built on
  // Node < 22) is switched off with the SDK's own documented switch, unless the caller set it. Other
  // process warnings are untouched; AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false shows it again.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new sm.SecretsManagerClient({
    region: ref.region,
    // The store's own retry/backoff wraps each call; the SDK's retries stay on for its transient errors.
    maxAttempts: 2,
    ...(endpoint ? { endpoint } : {}),
    ...(ref.options.profile ? { profile: ref.options.profile } : {}),
    ...(credentials ? { credentials } : {}),
  });
  return new AwsSecretStore(ref, sm, client, options);
}
