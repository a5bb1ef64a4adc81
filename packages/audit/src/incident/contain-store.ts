import { join, resolve } from 'node:path';
import {
  type Clock,
  type InventoryItem,
  type StepFacts,
  type StoreContainment,
  SvmError,
  isSvmError,
  parseStoreUri,
  redactStoreUri,
  systemClock,
} from '@svm/core';
import type { OpenStoreOptions } from '@svm/providers';
import type { ExecutorStrategy } from '@svm/rotation';

/** The guidance's rotation order after a store-wide compromise. */
export const CONTAIN_ORDER = ['infrastructure', 'services', 'integrations', 'humans'] as const;
export type ContainCategory = (typeof CONTAIN_ORDER)[number];

const SYNONYMS: Record<string, ContainCategory> = {
  infrastructure: 'infrastructure',
  infra: 'infrastructure',
  platform: 'infrastructure',
  services: 'services',
  service: 'services',
  app: 'services',
  application: 'services',
  integrations: 'integrations',
  integration: 'integrations',
  'third-party': 'integrations',
  vendor: 'integrations',
  humans: 'humans',
  human: 'humans',
  user: 'humans',
  people: 'humans',
};

const BY_TYPE: Record<string, ContainCategory> = {
  database: 'infrastructure',
  'encryption-key': 'infrastructure',
  'tls-certificate': 'infrastructure',
  'ssh-key': 'infrastructure',
  'vault-token': 'infrastructure',
  'api-key': 'integrations',
  'oauth-secret': 'integrations',
  webhook: 'integrations',
  password: 'humans',
};

/**
 * The containment category of an inventory item: its `category` (or `tier`, `layer`) field or tag —
 * infrastructure, services, integrations, humans (singular and common synonyms accepted) — else from its type
 * (database, encryption key, certificate, SSH key → infrastructure; API key, OAuth secret → integrations;
 * password → humans), else services.
 *
 * @example
 * ```ts
 * containCategory({ name: 'x', tags: { category: 'integration' } }); // 'integrations'
 * containCategory({ name: 'db', type: 'database' }); // 'infrastructure'
 * ```
 */
export function containCategory(item: InventoryItem): ContainCategory {
  const rec = item as Record<string, unknown>;
  const tags = (item.tags ?? {}) as Record<string, string>;
  for (const key of ['category', 'tier', 'layer']) {
    const v = rec[key] ?? tags[key];
    if (typeof v === 'string' && SYNONYMS[v.toLowerCase()]) return SYNONYMS[v.toLowerCase()] as ContainCategory;
  }
  return BY_TYPE[String(item.type ?? '').toLowerCase()] ?? 'services';
}

/** Options of {@link containStore}. */
export interface ContainStoreOptions {
  /** The compromised store's URI. */
  store: string;
  /** Act; without it only the ordered plan is returned. */
  execute?: boolean | undefined;
  /** Inventory items (their strategy and `rotation:` settings); items of other stores are ignored. Default: discovered from the store's metadata. */
  items?: readonly InventoryItem[] | undefined;
  /** Only names starting with this. */
  prefix?: string | undefined;
  /** Start of the compromise: part of the containment's identity in the journal (a new incident is a new run). */
  since?: Date | undefined;
  journal?: string | undefined;
  env?: Record<string, string | undefined> | undefined;
  cwd?: string | undefined;
  storeOptions?: OpenStoreOptions | undefined;
  clock?: Clock | undefined;
  startedAt?: Date | undefined;
  /** Called before each secret (for a progress bar). */
  onProgress?: ((p: { done: number; total: number; name: string }) => void) | undefined;
}

const TRANSIENT = new Set(['UNAVAILABLE', 'TIMEOUT', 'THROTTLED', 'LEASE_HELD']);

/**
 * Contain a store-wide compromise: rotate every secret of the store at its source, in the guidance's order
 * (infrastructure → services → integrations → humans, from inventory tags), each through its executor strategy with
 * grace periods waived. The whole containment is one journaled run: an interrupted one resumes where it stopped,
 * and running it again after it finished only retries the secrets that failed.
 *
 * @example
 * ```ts
 * const r = await containStore({ store: 'vault://vault:8200/secret', execute: true,
 *   onProgress: ({ done, total }) => bar.update(done, { total }) });
 * r.items.filter((i) => i.status === 'failed');
 * ```
 */
export async function containStore(options: ContainStoreOptions): Promise<StoreContainment> {
  const clock = options.clock ?? systemClock;
  const startedAt = options.startedAt ?? clock.now();
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const rotation = await import('@svm/rotation');
  const providers = await import('@svm/providers');
  const ref = parseStoreUri(options.store);
  const store = await providers.openStore(ref.kind === 'file' ? { ...ref, path: resolve(cwd, ref.path) } : ref, {
    env,
    ...options.storeOptions,
  });
  try {
    const uri = redactStoreUri(options.store);
    let items: InventoryItem[];
    if (options.items) {
      const wanted = parseStoreUri(options.store);
      items = options.items.filter((i) => {
        if (!i.store) return false;
        try {
          const r = parseStoreUri(i.store);
          return r.uri === wanted.uri || redactStoreUri(r.uri) === uri || sameStore(r, wanted);
        } catch {
          return false;
        }
      });
    } else {
      const found = await providers.discoverInventory([store], { prefix: options.prefix });
      items = found.inventory.secrets;
    }
    if (options.prefix) items = items.filter((i) => rotation.secretNameOf(i).startsWith(options.prefix ?? ''));
    if (items.length === 0)
      throw new SvmError(
        'INPUT_INVALID',
        `--store ${uri} --all: no secrets found${options.prefix ? ` under '${options.prefix}'` : ''}`,
      );
    const ordered = items
      .map((item, i) => ({ item, i, category: containCategory(item), name: rotation.secretNameOf(item) }))
      .sort((a, b) => CONTAIN_ORDER.indexOf(a.category) - CONTAIN_ORDER.indexOf(b.category) || a.i - b.i);
    const strategyOf = (item: InventoryItem) => rotation.leakStrategyFor(item).strategy.id;

    if (!options.execute) {
      return {
        store: uri,
        dryRun: true,
        outcome: 'planned',
        startedAt: startedAt.toISOString(),
        finishedAt: null,
        elapsedMs: null,
        resumed: false,
        items: ordered.map((o) => ({
          name: o.name,
          category: o.category,
          strategy: strategyOf(o.item),
          status: 'planned',
          outcome: null,
          message: null,
        })),
        journal: null,
      };
    }

    const journal = await rotation.openJournal(
      options.journal ?? rotation.defaultJournalPath(options.store, join(cwd, 'incident'), cwd),
      { cwd },
    );
    try {
      const byName = new Map(ordered.map((o) => [o.name, o]));
      let done = 0;
      const strategy: ExecutorStrategy = {
        id: 'contain-store',
        async gate(ctx) {
          // After a finished containment of the same compromise, only the secrets that failed are tried again.
          const history = ctx.history ?? [];
          const ended = new Set(history.filter((e) => e.kind === 'end').map((e) => e.runId));
          const last = new Map<string, string>();
          for (const e of history)
            if (ended.has(e.runId) && e.kind === 'after' && e.step?.startsWith('rotate:'))
              last.set(e.step.slice(7), String(e.facts?.outcome ?? ''));
          const retry =
            ended.size === 0 ? null : ordered.filter((o) => last.get(o.name) !== 'rotated').map((o) => o.name);
          return {
            facts: {
              startedAt: ctx.clock.now().toISOString(),
              order: JSON.stringify(ordered.map((o) => o.name)),
              ...(retry ? { retry: JSON.stringify(retry) } : {}),
            },
          };
        },
        steps(ctx) {
          const facts = (ctx as { facts?: StepFacts }).facts ?? {};
          const order = parseNames(facts.order) ?? ordered.map((o) => o.name);
          const retry = parseNames(facts.retry);
          return order.map((name) => ({
            id: `rotate:${name}`,
            title: `Rotate ${name} (${byName.get(name)?.category ?? 'gone'})`,
            async run(c): Promise<StepFacts> {
              options.onProgress?.({ done: done++, total: order.length, name });
              if (retry && !retry.includes(name)) return { outcome: 'rotated', note: 'rotated by the earlier run' };
              const o = byName.get(name);
              if (!o) return { outcome: 'skipped', message: 'no longer in the store or inventory' };
              try {
                const r = await rotation.rotateLeaked(o.item, {
                  store,
                  journal,
                  clock,
                  since: new Date(String(c.facts.startedAt)),
                });
                return { outcome: 'rotated', strategy: r.strategy, check: r.check };
              } catch (error) {
                if (!isSvmError(error) || error.kind === 'internal') throw error;
                if (TRANSIENT.has(error.code)) throw error;
                return { outcome: 'failed', message: `${error.code}: ${error.message}` };
              }
            },
          }));
        },
      };
      const run = await rotation.rotate(
        { id: `incident-store:${uri}@${options.since?.toISOString() ?? 'all'}`, name: uri },
        { store, journal, clock, strategy },
      );
      options.onProgress?.({ done: ordered.length, total: ordered.length, name: '' });
      if (!run) throw new SvmError('INTERNAL', 'the store containment did not start');
      const items: StoreContainment['items'] = run.steps.map((s) => {
        const name = s.id.slice('rotate:'.length);
        const o = byName.get(name);
        const outcome = typeof s.facts?.outcome === 'string' ? s.facts.outcome : null;
        return {
          name,
          category: o?.category ?? 'services',
          strategy: o ? strategyOf(o.item) : 'unknown',
          status: s.status === 'done' && outcome === 'failed' ? 'failed' : s.status,
          outcome,
          message:
            typeof s.facts?.message === 'string'
              ? s.facts.message
              : s.error
                ? `${s.error.code}: ${s.error.message}`
                : null,
        };
      });
      const failed = items.some((i) => i.status === 'failed' || i.status === 'planned');
      const finishedAt = run.finishedAt ?? clock.now().toISOString();
      return {
        store: uri,
        dryRun: false,
        outcome:
          run.outcome === 'interrupted'
            ? 'interrupted'
            : failed || run.outcome !== 'rotated'
              ? 'incomplete'
              : 'contained',
        startedAt: startedAt.toISOString(),
        finishedAt,
        elapsedMs: Date.parse(finishedAt) - startedAt.getTime(),
        resumed: run.resumed,
        items,
        journal: journal.location,
      };
    } finally {
      await journal.close();
    }
  } finally {
    await store.close();
  }
}

function sameStore(a: ReturnType<typeof parseStoreUri>, b: ReturnType<typeof parseStoreUri>): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'vault' && b.kind === 'vault') return a.address === b.address && a.mount === b.mount;
  if (a.kind === 'file' && b.kind === 'file') return resolve(a.path) === resolve(b.path);
  return a.uri === b.uri;
}

function parseNames(value: unknown): string[] | null {
  if (typeof value !== 'string') return null;
  try {
    const v = JSON.parse(value) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
  } catch {
    return null;
  }
}
