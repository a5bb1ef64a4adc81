import { SvmError, isSvmError } from '@svm/core';
import type { ApiRequest } from '../generate/requests.js';
import type { VaultApi } from './client.js';
import { type ApplyItem, diffItem } from './diff.js';

/** What the planner remembers between engine requests of one plan. */
export interface EnginePlanState {
  /** Mounts this plan creates: nothing below them can exist yet. */
  newMounts: Set<string>;
  /** Paths this plan creates (rotate-root follows its connection's creation). */
  created: Set<string>;
  /** `sys/mounts`, read once. */
  mounts: Record<string, unknown> | undefined;
}

/** Fields an object's read does not echo (write-only settings): never compared. */
const NOT_ECHOED: Record<string, string[]> = {
  'database-connection': ['verify_connection'],
};

/**
 * Plan one secrets-engine request: read the object (or `sys/mounts` for a mount) and compare the fields svm
 * sets. A CA is only created when missing; rotate-root only right after its connection is created; a transit
 * key's type cannot change (CONFLICT).
 */
export async function planEngineItem(request: ApiRequest, api: VaultApi, state: EnginePlanState): Promise<ApplyItem> {
  const item = await plan(request, api, state);
  if (item.action === 'create') state.created.add(request.path);
  return item;
}

async function plan(request: ApiRequest, api: VaultApi, state: EnginePlanState): Promise<ApplyItem> {
  const mount = request.mount ?? '';
  const create = (): ApplyItem => diffItem(request, undefined);
  const unchanged = (): ApplyItem => ({ request, action: 'unchanged', changes: [], textDiff: [] });
  if (request.engine === 'mount') {
    state.mounts ??= await api.read('sys/mounts');
    const current = state.mounts?.[`${mount}/`] as { type?: string } | undefined;
    if (!current) {
      state.newMounts.add(mount);
      return create();
    }
    if (current.type !== request.body.type)
      throw new SvmError(
        'CONFLICT',
        `${mount}/ is a ${current.type ?? 'different'} mount, not ${String(request.body.type)}: choose another mount path; nothing was written`,
      );
    return unchanged();
  }
  if (state.newMounts.has(mount)) return create();
  if (request.after !== undefined) return state.created.has(request.after) ? create() : unchanged();
  if (request.ensureOnly) {
    let current: Record<string, unknown> | undefined;
    try {
      current = await api.read(request.readPath ?? request.path);
    } catch (error) {
      // PKI and SSH answer 400 ("no default issuer", "keys haven't been configured yet") when there is no CA.
      if (!isSvmError(error) || error.code !== 'CONFLICT') throw error;
      current = undefined;
    }
    const exists = Boolean(current && (current.certificate || current.public_key));
    return exists ? unchanged() : create();
  }
  const raw = await api.read(request.readPath ?? request.path);
  if (raw === undefined) return create();
  const current = normalise(request, raw);
  const skip = NOT_ECHOED[request.engine ?? ''] ?? [];
  // SQL statements run in order: compare them as ordered lists (sameValue treats lists as sets).
  const ordered = (k: string) => k.endsWith('_statements');
  const compared = {
    ...request,
    body: Object.fromEntries(Object.entries(request.body).filter(([k]) => !skip.includes(k) && !ordered(k))),
  };
  const item = { ...diffItem(compared, current), request };
  for (const [field, to] of Object.entries(request.body)) {
    if (!ordered(field)) continue;
    const from = current[field];
    const have = from === undefined || from === null || from === '' ? [] : Array.isArray(from) ? from : [from];
    if (JSON.stringify(have.map(String)) !== JSON.stringify(to)) item.changes.push({ field, from, to });
  }
  if (item.action === 'unchanged' && item.changes.length > 0) item.action = 'update';
  const fixed = item.changes.filter((c) => (request.createOnly ?? []).includes(c.field));
  if (fixed.length > 0)
    throw new SvmError(
      'CONFLICT',
      `${request.path}: ${fixed.map((c) => `${c.field} is ${JSON.stringify(c.from)} on the server, ${JSON.stringify(c.to)} in the requirements`).join('; ')}; it cannot change once created (create a new one under another name); nothing was written`,
    );
  return item;
}

/** Bring a read into the shape of the write: a connection's settings sit under `connection_details`. */
function normalise(request: ApiRequest, current: Record<string, unknown>): Record<string, unknown> {
  if (request.engine !== 'database-connection') return current;
  const details = (current.connection_details ?? {}) as Record<string, unknown>;
  return {
    ...current,
    ...details,
    root_rotation_statements: current.root_credentials_rotate_statements ?? current.root_rotation_statements,
  };
}
