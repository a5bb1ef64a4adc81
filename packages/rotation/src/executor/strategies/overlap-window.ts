import type { StepFacts } from '@svm/core';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { type JournalEntry, SvmError, isSvmError } from '@svm/core';
import type { SecretValue } from '@svm/providers';
import { configDurationMs, configString, requireString } from '../item-config.js';
import { callHook } from '../targets/hook.js';
import type { ExecutorStrategy, StepContext } from '../types.js';

const DEFAULT_OVERLAP_MS = 7 * 86_400_000;

async function stageValue(ctx: StepContext, stage: 'previous' | 'pending'): Promise<SecretValue | undefined> {
  try {
    return await ctx.store.get(ctx.secretName, { stage });
  } catch (error) {
    if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND') return undefined;
    throw error;
  }
}

function hookItem(ctx: StepContext): { id: string; name: string | undefined; secret: string } {
  return { id: ctx.itemId, name: ctx.item.name, secret: ctx.secretName };
}

/** Facts recorded for a version by earlier runs: its provider key id, when it was promoted, whether it was revoked. */
function versionHistory(
  history: readonly JournalEntry[],
  version: string,
): { keyId?: string; promotedAt?: string; revoked: boolean } {
  const out: { keyId?: string; promotedAt?: string; revoked: boolean } = { revoked: false };
  const runOf = new Map<string, string>();
  for (const e of history) {
    if (e.kind === 'after' && e.facts?.newVersion === version) {
      runOf.set(e.runId, version);
      if (typeof e.facts.keyId === 'string') out.keyId = e.facts.keyId;
    }
    if (e.kind === 'after' && e.step === 'promote' && runOf.has(e.runId)) out.promotedAt = e.at;
    if (e.kind === 'after' && e.step === 'revoke-previous' && e.facts?.revokedVersion === version) out.revoked = true;
  }
  return out;
}

/** The last time `keyId` appears in a JSON-lines audit log at or after `since` (lines without a time count). */
async function lastUseIn(path: string, keyId: string, since: number): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch((cause: NodeJS.ErrnoException) => {
    throw new SvmError(
      cause.code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
      `audit log ${path}: ${cause.code ?? 'unreadable'}`,
      { cause },
    );
  });
  let last: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.includes(keyId)) continue;
    let at = Number.NaN;
    try {
      const e = JSON.parse(line) as Record<string, unknown>;
      at = Date.parse(String(e.time ?? e.eventTime ?? e.timestamp ?? e['@timestamp'] ?? ''));
    } catch {
      // not JSON: a mention without a time counts as a use
    }
    const t = Number.isNaN(at) ? Date.now() : at;
    if (t >= since && (last === undefined || t > last)) last = t;
  }
  return last;
}

/**
 * API-key overlap (`overlap-window`) for any store with stages: a provider hook (`rotation.hook`: a command, or a
 * JS module exporting `create`/`test`/`revoke`, given JSON) creates the new key, which is stored as `pending`,
 * tested through the hook, and promoted to `current`; the old key stays `previous` for the overlap window
 * (`rotation.overlap`, default 7d). The next run revokes that previous key through the hook first — only once
 * the window has passed and, with `rotation.audit_log`, when the log shows no use of its key id since the switch.
 * Until then the run waits.
 *
 * @example
 * ```ts
 * await rotate({ id: 'stripe', type: 'api-key', name: 'prod/stripe-key',
 *   rotation: { hook: 'node hooks/stripe.mjs', overlap: '7d', audit_log: 'logs/stripe-usage.jsonl' } }, { store, journal });
 * ```
 */
export const overlapWindowStrategy: ExecutorStrategy = {
  id: 'overlap-window',
  async gate(ctx) {
    requireString(ctx.item, 'hook');
    if (!ctx.store.capabilities.stages.includes('pending')) {
      throw new SvmError(
        'UNSUPPORTED',
        `${ctx.itemId}: the overlap-window rotation needs a store with a pending stage (file, Vault KV v2, AWS)`,
      );
    }
    const current = await ctx.store.get(ctx.secretName);
    const previous = await stageValue(ctx, 'previous');
    const facts: Record<string, string> = { currentVersion: current.version };
    const currentHistory = versionHistory(ctx.history ?? [], current.version);
    if (typeof currentHistory.keyId === 'string') facts.currentKeyId = currentHistory.keyId;
    if (!previous) return { facts };
    const prev = versionHistory(ctx.history ?? [], previous.version);
    if (prev.revoked) return { facts };
    const switchedAt = Date.parse(currentHistory.promotedAt ?? current.createdAt ?? new Date(0).toISOString());
    let notBefore = switchedAt + configDurationMs(ctx.item, 'overlap', DEFAULT_OVERLAP_MS);
    let message = `overlap window: the previous key stays valid until ${new Date(notBefore).toISOString()}`;
    const log = configString(ctx.item, 'audit_log');
    if (log && prev.keyId) {
      const path = isAbsolute(log) ? log : resolve(ctx.targets.baseDir ?? process.cwd(), log);
      const used = await lastUseIn(path, prev.keyId, switchedAt);
      if (used !== undefined) {
        const later = used + configDurationMs(ctx.item, 'overlap', DEFAULT_OVERLAP_MS);
        if (later > notBefore) {
          notBefore = later;
          message = `the previous key was still used at ${new Date(used).toISOString()} (audit log); not revoked before ${new Date(notBefore).toISOString()}`;
        }
      }
    }
    return {
      facts: { ...facts, previousVersion: previous.version, ...(prev.keyId ? { previousKeyId: prev.keyId } : {}) },
      notBefore: new Date(notBefore),
      message,
    };
  },
  steps(ctx) {
    const hook = configString(ctx.item, 'hook', '<rotation.hook>')!;
    return [
      {
        id: 'revoke-previous',
        title: `Revoke the previous key through the hook (${hook.split(' ')[0]}) once its overlap window has passed`,
        async run(c): Promise<StepFacts | void> {
          if (typeof c.facts.previousVersion !== 'string') return { revokedVersion: null };
          const old = await c.store.get(c.secretName, { version: c.facts.previousVersion });
          await callHook(
            requireString(c.item, 'hook'),
            {
              action: 'revoke',
              item: hookItem(c),
              value: old.value,
              keyId: typeof c.facts.previousKeyId === 'string' ? c.facts.previousKeyId : undefined,
            },
            c.targets,
          );
          return { revokedVersion: c.facts.previousVersion };
        },
      },
      {
        id: 'create-pending',
        title: `Create a new key through the hook and store it as pending in ${ctx.secretName}`,
        async run(c): Promise<StepFacts | void> {
          if (typeof c.facts.newVersion === 'string') return;
          if (c.resumed) {
            const pending = await stageValue(c, 'pending');
            if (pending && pending.version !== c.facts.currentVersion) return { newVersion: pending.version };
          }
          const created = await callHook(
            requireString(c.item, 'hook'),
            { action: 'create', item: hookItem(c) },
            c.targets,
          );
          const put = await c.store.put(c.secretName, created.value!, { stage: 'pending' });
          return { newVersion: put.version, ...(created.keyId ? { keyId: created.keyId } : {}) };
        },
        async undo(c) {
          if (typeof c.facts.newVersion !== 'string') return;
          const failed = await c.store.get(c.secretName, { version: c.facts.newVersion });
          await callHook(
            requireString(c.item, 'hook'),
            {
              action: 'revoke',
              item: hookItem(c),
              value: failed.value,
              keyId: typeof c.facts.keyId === 'string' ? c.facts.keyId : undefined,
            },
            c.targets,
          );
          const pending = await stageValue(c, 'pending');
          if (pending?.version === c.facts.newVersion)
            await c.store.setStage(c.secretName, 'pending', String(c.facts.currentVersion));
        },
      },
      {
        id: 'test-pending',
        title: 'Test the pending key through the hook',
        async run(c): Promise<StepFacts | void> {
          const v = await c.store.get(c.secretName, { version: String(c.facts.newVersion) });
          const r = await callHook(
            requireString(c.item, 'hook'),
            {
              action: 'test',
              item: hookItem(c),
              value: v.value,
              keyId: typeof c.facts.keyId === 'string' ? c.facts.keyId : undefined,
            },
            c.targets,
          );
          if (r.ok !== true)
            throw new SvmError('VERIFICATION_FAILED', `${c.itemId}: the hook's test of the new key failed`);
        },
      },
      {
        id: 'promote',
        title: `Make the new key current in ${ctx.secretName}; the old key stays previous for the overlap window`,
        async run(c): Promise<StepFacts | void> {
          const current = await c.store.get(c.secretName);
          if (current.version !== c.facts.newVersion)
            await c.store.setStage(c.secretName, 'current', String(c.facts.newVersion));
        },
      },
    ];
  },
};
