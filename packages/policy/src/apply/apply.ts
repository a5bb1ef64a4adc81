import { type SecretReference, SvmError, isSvmError } from '@svm/core';
import { type ApiRequest, configRequests } from '../generate/requests.js';
import type { GeneratedConfig } from '../generate/types.js';
import type { VaultApi } from './client.js';
import { type ApplyItem, diffItem } from './diff.js';
import { planEngineItem } from './engine-plan.js';

/**
 * Options of {@link applyPlan}.
 *
 * @example
 * ```ts
 * await applyPlan(plan, api, { resolveSecret: (ref) => readSecretRef(ref) });
 * ```
 */
export interface ApplyOptions {
  /**
   * Reads a credential named by a store reference (the database admin password), only for objects being
   * created. `@svm/providers`' `readSecretRef` does it for every store svm knows.
   */
  resolveSecret?: ((ref: SecretReference) => Promise<string>) | undefined;
}

/**
 * The difference between a generated configuration and a server, object by object.
 *
 * @example
 * ```ts
 * const { summary } = await planApply(config, api); // { create, update, unchanged }
 * ```
 */
export interface ApplyPlan {
  items: ApplyItem[];
  summary: { create: number; update: number; unchanged: number };
}

/**
 * What {@link applyPlan} did.
 *
 * @example
 * ```ts
 * const { written } = await applyPlan(plan, api);
 * ```
 */
export interface ApplyResult extends ApplyPlan {
  /** Requests sent (created + updated objects). 0 on a second apply. */
  written: number;
}

/**
 * Read every secrets-engine object, policy and auth role of the configuration from the server and compare.
 * Reads only. Objects under a mount that does not exist yet are planned as created without reading.
 *
 * @example
 * ```ts
 * const plan = await planApply(config, createVaultClient({ address, token }));
 * plan.summary; // { create: 3, update: 0, unchanged: 0 }
 * ```
 */
export async function planApply(config: GeneratedConfig, api: VaultApi): Promise<ApplyPlan> {
  const items: ApplyItem[] = [];
  const engineState = { newMounts: new Set<string>(), created: new Set<string>(), mounts: undefined };
  for (const request of configRequests(config)) {
    if (request.kind === 'engine') {
      items.push(await planEngineItem(request, api, engineState));
      continue;
    }
    let current: Record<string, unknown> | undefined;
    try {
      current = await api.read(request.path, request.namespace);
    } catch (error) {
      if (isSvmError(error) && error.details?.reason === 'no-route' && request.kind === 'auth-role') {
        const mount = request.path.replace(/^auth\/(.+)\/role\/[^/]+$/, '$1');
        const where = request.namespace ? ` in namespace ${request.namespace}` : '';
        throw new SvmError(
          'CONFLICT',
          `no auth method is enabled at auth/${mount}/${where}: enable it first (vault auth enable -path=${mount} ${request.authMethod ?? '<method>'}); nothing was written`,
          {
            cause: error,
            details: { reason: 'mount-missing', mount },
          },
        );
      }
      throw error;
    }
    items.push(diffItem(request, current));
  }
  return { items, summary: summarize(items) };
}

/**
 * Write what the plan says differs, in order (policies before the roles that name them). Unchanged objects
 * are not written, so a second apply sends nothing.
 *
 * @example
 * ```ts
 * const result = await applyPlan(await planApply(config, api), api);
 * result.written; // 0 the second time
 * ```
 */
export async function applyPlan(plan: ApplyPlan, api: VaultApi, options: ApplyOptions = {}): Promise<ApplyResult> {
  // Credentials first: a store that cannot be read stops the apply before anything is written.
  const secrets = new Map<ApplyItem, Record<string, string>>();
  for (const item of plan.items) {
    const refs = item.request.secretFields;
    if (item.action !== 'create' || !refs) continue;
    if (!options.resolveSecret)
      throw new SvmError(
        'CREDENTIALS_MISSING',
        `${item.request.path} needs ${Object.keys(refs).join(', ')} from a store, and no store reader was given; nothing was written`,
      );
    const values: Record<string, string> = {};
    for (const [field, ref] of Object.entries(refs)) values[field] = await options.resolveSecret(ref);
    secrets.set(item, values);
  }
  let written = 0;
  for (const item of plan.items) {
    if (item.action === 'unchanged') continue;
    const { path, body } = writeOf(item);
    await api.write(item.request.method, path, { ...body, ...secrets.get(item) }, item.request.namespace);
    written++;
  }
  return { ...plan, written };
}

/** Where and what to write: an update of an object with its own update endpoint sends only what changed. */
function writeOf(item: ApplyItem): { path: string; body: Record<string, unknown> } {
  const r: ApiRequest = item.request;
  if (item.action === 'update' && r.updatePath) {
    const body = Object.fromEntries(
      item.changes.filter((c) => !(r.createOnly ?? []).includes(c.field)).map((c) => [c.field, c.to]),
    );
    return { path: r.updatePath, body };
  }
  return { path: r.path, body: r.body };
}

function summarize(items: ApplyItem[]): ApplyPlan['summary'] {
  return {
    create: items.filter((i) => i.action === 'create').length,
    update: items.filter((i) => i.action === 'update').length,
    unchanged: items.filter((i) => i.action === 'unchanged').length,
  };
}
