import { type Clock, SvmError, parseStoreUri } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { withCache } from './cache.ts';
import type { SecretStore, SecretValue } from './store.ts';

/** An in-memory store for exercising the cache wrapper only (the adapters are tested on real servers). */
function countingStore() {
  const values = new Map<string, string[]>();
  const calls = { get: 0 };
  let failure: SvmError | undefined;
  const store: SecretStore = {
    kind: 'file',
    ref: parseStoreUri('file:///dev/null'),
    capabilities: {
      stages: ['current', 'previous'],
      softDelete: true,
      orderedVersions: true,
      timestamps: true,
      nativeBatch: false,
      listShowsDeleted: false,
    },
    async get(name, selector = {}): Promise<SecretValue> {
      calls.get++;
      if (failure) throw failure;
      const list = values.get(name);
      if (!list) throw new SvmError('SECRET_NOT_FOUND', name);
      const index = selector.version ? Number(selector.version) - 1 : list.length - 1;
      return { name, version: String(index + 1), stages: [], value: list[index] as string };
    },
    async getMany(names) {
      return Promise.all(names.map(async (name) => ({ name, ok: true as const, secret: await store.get(name) })));
    },
    async put(name, value) {
      const list = values.get(name) ?? [];
      list.push(value);
      values.set(name, list);
      return { name, version: String(list.length), stages: ['current'] };
    },
    list: async () => [],
    versions: async () => [],
    metadata: async (name) => ({ name, tags: {} }),
    setStage: async () => undefined,
    delete: async (name) => void values.delete(name),
    destroy: async (name) => void values.delete(name),
    close: async () => undefined,
  };
  return { store, calls, values, fail: (e: SvmError | undefined) => (failure = e) };
}

function manualClock(): Clock & { advance(ms: number): void } {
  let now = Date.parse('2026-11-25T00:00:00Z');
  return { now: () => new Date(now), advance: (ms) => void (now += ms) };
}

describe('withCache', () => {
  it('serves from memory within the TTL and refetches after it', async () => {
    const { store, calls } = countingStore();
    const clock = manualClock();
    const cached = withCache(store, { ttlMs: 1000, clock });
    await store.put('a', 'v1');
    expect((await cached.get('a')).value).toBe('v1');
    await store.put('a', 'v2'); // written behind the cache's back
    expect((await cached.get('a')).value).toBe('v1');
    clock.advance(1000);
    expect((await cached.get('a')).value).toBe('v2');
    expect(calls.get).toBe(2);
    expect(cached.stats).toMatchObject({ hits: 1, misses: 2 });
  });

  it('invalidates on writes made through it, on invalidate() and on refresh()', async () => {
    const { store } = countingStore();
    const cached = withCache(store, { clock: manualClock() });
    await cached.put('a', 'v1');
    expect((await cached.get('a')).value).toBe('v1');
    await cached.put('a', 'v2');
    expect((await cached.get('a')).value).toBe('v2');
    await store.put('a', 'v3');
    cached.invalidate('a');
    expect((await cached.get('a')).value).toBe('v3');
    await store.put('a', 'v4');
    expect((await cached.refresh('a')).value).toBe('v4');
  });

  it('explicit versions never expire; current does', async () => {
    const { store, calls } = countingStore();
    const clock = manualClock();
    const cached = withCache(store, { ttlMs: 10, clock });
    await store.put('a', 'v1');
    await cached.get('a', { version: '1' });
    clock.advance(10_000);
    await cached.get('a', { version: '1' });
    expect(calls.get).toBe(1);
  });

  it('drops a name on ACCESS_DENIED so a re-authenticated read never sees the old value', async () => {
    const { store, fail } = countingStore();
    const clock = manualClock();
    const cached = withCache(store, { ttlMs: 100, staleIfErrorMs: 10_000, clock });
    await store.put('a', 'v1');
    await cached.get('a');
    clock.advance(200);
    fail(new SvmError('ACCESS_DENIED', 'denied'));
    await expect(cached.get('a')).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    fail(undefined);
    await store.put('a', 'v2');
    expect((await cached.get('a')).value).toBe('v2');
  });

  it('serves a stale value on transient errors only within staleIfErrorMs', async () => {
    const { store, fail } = countingStore();
    const clock = manualClock();
    const cached = withCache(store, { ttlMs: 100, staleIfErrorMs: 1000, clock });
    await store.put('a', 'v1');
    await cached.get('a');
    clock.advance(500);
    fail(new SvmError('UNAVAILABLE', 'down'));
    expect((await cached.get('a')).value).toBe('v1');
    expect(cached.stats.staleServed).toBe(1);
    clock.advance(1000);
    await expect(cached.get('a')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('shares one request among concurrent reads of the same key', async () => {
    const { store, calls } = countingStore();
    const cached = withCache(store, { clock: manualClock() });
    await store.put('a', 'v1');
    const values = await Promise.all(Array.from({ length: 10 }, () => cached.get('a')));
    expect(values.every((v) => v.value === 'v1')).toBe(true);
    expect(calls.get).toBe(1);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const { store, calls } = countingStore();
    const cached = withCache(store, { maxEntries: 2, clock: manualClock() });
    for (const n of ['a', 'b', 'c']) await store.put(n, n);
    await cached.get('a');
    await cached.get('b');
    await cached.get('a'); // a is now most recent
    await cached.get('c'); // evicts b
    const before = calls.get;
    await cached.get('a');
    expect(calls.get).toBe(before);
    await cached.get('b');
    expect(calls.get).toBe(before + 1);
  });
});
