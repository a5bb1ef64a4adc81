import { SvmError, isSvmError } from '@svm/core';
import { configRequests } from '../generate/requests.js';
import type { GeneratedConfig } from '../generate/types.js';
import type { VaultApi } from './client.js';
import { type ApplyItem, diffItem } from './diff.js';

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
 * Read every policy and auth role of the configuration from the server and compare. Reads only.
 *
 * @example
 * ```ts
 * const plan = await planApply(config, createVaultClient({ address, token }));
 * plan.summary; // { create: 3, update: 0, unchanged: 0 }
 * ```
 */
export async function planApply(config: GeneratedConfig, api: VaultApi): Promise<ApplyPlan> {
  const items: ApplyItem[] = [];
  for (const request of configRequests(config)) {
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
export async function applyPlan(plan: ApplyPlan, api: VaultApi): Promise<ApplyResult> {
  let written = 0;
  for (const item of plan.items) {
    if (item.action === 'unchanged') continue;
    await api.write(item.request.method, item.request.path, item.request.body, item.request.namespace);
    written++;
  }
  return { ...plan, written };
}

function summarize(items: ApplyItem[]): ApplyPlan['summary'] {
  return {
    create: items.filter((i) => i.action === 'create').length,
    update: items.filter((i) => i.action === 'update').length,
    unchanged: items.filter((i) => i.action === 'unchanged').length,
  };
}
