import {
  type Clock,
  type ErrorCode,
  type SecretMetadata,
  type SecretStage,
  type SecretVersion,
  isSvmError,
  systemClock,
} from '@svm/core';
import type {
  GetManyResult,
  PutOptions,
  PutResult,
  SecretListEntry,
  SecretSelector,
  SecretStore,
  SecretValue,
} from './store.js';

/** Settings of {@link withCache}. */
export interface CacheOptions {
  /** How long a `current`/stage read is served from memory (default 300 000 ms, like the AWS agent). Reads of an explicit version never expire: versions are immutable. */
  ttlMs?: number | undefined;
  /** Largest number of cached values, least recently used evicted first (default 1024, like the AWS caching libraries). */
  maxEntries?: number | undefined;
  /** When a refresh fails with THROTTLED / UNAVAILABLE / TIMEOUT, serve the expired value for up to this long (default 0 = never). */
  staleIfErrorMs?: number | undefined;
  clock?: Clock | undefined;
}

interface Entry {
  value: SecretValue;
  fetchedAt: number;
  /** Explicit version reads never go stale. */
  immutable: boolean;
}

const TRANSIENT: readonly ErrorCode[] = ['THROTTLED', 'UNAVAILABLE', 'TIMEOUT'];

/**
 * A {@link SecretStore} with a client-side cache in front of `get`: a TTL, explicit `invalidate` /
 * `refresh`, invalidation on every write made through it, and dropping a name's entries when the
 * store answers ACCESS_DENIED (so a re-authenticated retry never sees a stale value). Concurrent reads
 * of the same key share one request.
 *
 * @example
 * ```ts
 * const store = withCache(await openStore('aws-sm://eu-west-1'), { ttlMs: 60_000 });
 * const password = (await store.get('prod/db')).value;
 * // the database said "authentication failed": the secret was rotated under us
 * const fresh = (await store.refresh('prod/db')).value;
 * ```
 */
export interface CachedSecretStore extends SecretStore {
  /** Forget one name's cached values, or everything. */
  invalidate(name?: string): void;
  /** Read through the cache, replacing what it held for this key. */
  refresh(name: string, selector?: SecretSelector): Promise<SecretValue>;
  /** Cache counters for this instance (hits, misses, stale values served). */
  readonly stats: { hits: number; misses: number; staleServed: number };
}

/**
 * Wrap a store with a client-side cache (see {@link CachedSecretStore}).
 *
 * @example
 * ```ts
 * const cached = withCache(store, { ttlMs: 30_000, staleIfErrorMs: 600_000 });
 * ```
 */
export function withCache(store: SecretStore, options: CacheOptions = {}): CachedSecretStore {
  const ttl = options.ttlMs ?? 300_000;
  const max = options.maxEntries ?? 1024;
  const staleFor = options.staleIfErrorMs ?? 0;
  const clock = options.clock ?? systemClock;
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Promise<SecretValue>>();
  const stats = { hits: 0, misses: 0, staleServed: 0 };

  const keyOf = (name: string, selector: SecretSelector = {}): string =>
    `${name}\u0000${selector.version !== undefined ? `v:${selector.version}` : `s:${selector.stage ?? 'current'}`}`;
  const now = (): number => clock.now().getTime();

  const invalidate = (name?: string): void => {
    if (name === undefined) {
      entries.clear();
      return;
    }
    for (const key of entries.keys()) if (key.startsWith(`${name}\u0000`)) entries.delete(key);
  };

  const remember = (key: string, value: SecretValue, immutable: boolean): void => {
    entries.delete(key);
    entries.set(key, { value, fetchedAt: now(), immutable });
    while (entries.size > max) entries.delete(entries.keys().next().value as string);
  };

  const fetch = (
    name: string,
    selector: SecretSelector,
    key: string,
    stale: Entry | undefined,
  ): Promise<SecretValue> => {
    const running = inflight.get(key);
    if (running) return running;
    const request = store
      .get(name, selector)
      .then((value) => {
        remember(key, value, selector.version !== undefined);
        return value;
      })
      .catch((error: unknown) => {
        if (isSvmError(error) && error.code === 'ACCESS_DENIED') invalidate(name);
        if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND') entries.delete(key);
        if (
          stale &&
          staleFor > 0 &&
          isSvmError(error) &&
          TRANSIENT.includes(error.code) &&
          now() - stale.fetchedAt <= ttl + staleFor
        ) {
          stats.staleServed++;
          return stale.value;
        }
        throw error;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, request);
    return request;
  };

  const cached: CachedSecretStore = {
    kind: store.kind,
    ref: store.ref,
    capabilities: store.capabilities,
    stats,
    invalidate,
    async get(name: string, selector: SecretSelector = {}): Promise<SecretValue> {
      const key = keyOf(name, selector);
      const entry = entries.get(key);
      if (entry && (entry.immutable || now() - entry.fetchedAt < ttl)) {
        stats.hits++;
        entries.delete(key);
        entries.set(key, entry);
        return entry.value;
      }
      stats.misses++;
      return fetch(name, selector, key, entry);
    },
    async refresh(name: string, selector: SecretSelector = {}): Promise<SecretValue> {
      const key = keyOf(name, selector);
      entries.delete(key);
      stats.misses++;
      return fetch(name, selector, key, undefined);
    },
    async getMany(names: readonly string[]): Promise<GetManyResult[]> {
      const missing = names.filter((n) => {
        const e = entries.get(keyOf(n));
        return !(e && now() - e.fetchedAt < ttl);
      });
      const fetched = new Map<string, GetManyResult>();
      if (missing.length > 0) {
        for (const result of await store.getMany(missing)) {
          fetched.set(result.name, result);
          if (result.ok) remember(keyOf(result.name), result.secret, false);
        }
      }
      return names.map((name) => {
        const hit = fetched.get(name);
        if (hit) {
          stats.misses++;
          return hit;
        }
        stats.hits++;
        return { name, ok: true as const, secret: (entries.get(keyOf(name)) as Entry).value };
      });
    },
    async put(name: string, value: string, putOptions?: PutOptions): Promise<PutResult> {
      invalidate(name);
      try {
        return await store.put(name, value, putOptions);
      } finally {
        invalidate(name);
      }
    },
    list: (prefix?: string): Promise<SecretListEntry[]> => store.list(prefix),
    versions: (name: string): Promise<SecretVersion[]> => store.versions(name),
    metadata: (name: string): Promise<SecretMetadata> => store.metadata(name),
    async setStage(name: string, stage: SecretStage, version: string): Promise<void> {
      try {
        await store.setStage(name, stage, version);
      } finally {
        invalidate(name);
      }
    },
    async delete(name: string): Promise<void> {
      try {
        await store.delete(name);
      } finally {
        invalidate(name);
      }
    },
    async destroy(name: string): Promise<void> {
      try {
        await store.destroy(name);
      } finally {
        invalidate(name);
      }
    },
    async close(): Promise<void> {
      entries.clear();
      await store.close();
    },
  };
  return cached;
}
