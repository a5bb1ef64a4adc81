// The one conformance suite every adapter runs against its real server (and the file store).
// Behaviours a store cannot have are declared by its capability flags, and the cases branch on those
// flags only; never on the adapter's kind.
import { randomBytes } from 'node:crypto';
import { isSvmError } from '@svm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretStore } from '../src/index.ts';

/** Register the shared cases for a store. `open` is called once; names are unique per run. */
export function conformance(label: string, open: () => Promise<SecretStore>): void {
  describe(`conformance: ${label}`, () => {
    let store: SecretStore;
    // Names that fit every store's grammar (Azure: letters, digits, dashes).
    const run = `svmconf-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const n = (suffix: string): string => `${run}-${suffix}`;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      if (!store) return;
      for (const { name } of await store.list(run).catch(() => [])) await store.destroy(name).catch(() => undefined);
      await store.close();
    });

    const code = async (p: Promise<unknown>): Promise<string> => {
      try {
        await p;
        return 'no error';
      } catch (error) {
        if (!isSvmError(error)) throw error;
        return error.code;
      }
    };

    it('puts and gets the latest value; a second put makes a new version current and the old one previous', async () => {
      const first = await store.put(n('a'), 'value-one');
      expect(first.version).toBeTruthy();
      expect(first.stages).toContain('current');
      const got = await store.get(n('a'));
      expect(got.value).toBe('value-one');
      expect(got.version).toBe(first.version);
      expect(got.stages).toContain('current');

      const second = await store.put(n('a'), 'value-two');
      expect(second.version).not.toBe(first.version);
      expect((await store.get(n('a'))).value).toBe('value-two');
      expect((await store.get(n('a'), { stage: 'current' })).version).toBe(second.version);
      const previous = await store.get(n('a'), { stage: 'previous' });
      expect(previous.version).toBe(first.version);
      expect(previous.value).toBe('value-one');
      expect(previous.stages).toContain('previous');
    });

    it('gets a version by id', async () => {
      const v1 = await store.put(n('b'), 'b-1');
      await store.put(n('b'), 'b-2');
      expect((await store.get(n('b'), { version: v1.version })).value).toBe('b-1');
      if (store.capabilities.orderedVersions) expect(Number(v1.version)).toBeGreaterThan(0);
    });

    it('keeps values byte-exact (unicode, newlines, JSON)', async () => {
      const value = 'päss\nwörd 🔑 {"a":[1,2]}\t ';
      await store.put(n('exact'), value);
      expect((await store.get(n('exact'))).value).toBe(value);
    });

    it('lists by prefix, sorted', async () => {
      await store.put(n('list-x1'), 'x');
      await store.put(n('list-x2'), 'x');
      await store.put(n('list-y'), 'y');
      const names = (await store.list(n('list-x'))).map((e) => e.name);
      expect(names).toEqual([n('list-x1'), n('list-x2')]);
      expect((await store.list(run)).map((e) => e.name)).toEqual(expect.arrayContaining([n('list-x1'), n('list-y')]));
    });

    it('lists versions newest first with stages and no values', async () => {
      const v1 = await store.put(n('versions'), 'one');
      const v2 = await store.put(n('versions'), 'two');
      const versions = await store.versions(n('versions'));
      expect(versions.map((v) => v.version)).toEqual([v2.version, v1.version]);
      expect(versions[0]?.stages).toContain('current');
      expect(versions[1]?.stages).toContain('previous');
      expect(versions.every((v) => v.state === 'enabled')).toBe(true);
      expect(JSON.stringify(versions)).not.toContain('one');
    });

    it('reports metadata without the value', async () => {
      const v = await store.put(n('meta'), 'meta-value-canary');
      const meta = await store.metadata(n('meta'));
      expect(meta.name).toBe(n('meta'));
      expect(meta.currentVersion).toBe(v.version);
      expect(meta.versionCount).toBe(1);
      if (store.capabilities.timestamps) expect(Date.parse(meta.createdAt ?? '')).not.toBeNaN();
      expect(JSON.stringify(meta)).not.toContain('meta-value-canary');
    });

    it('getMany returns values and per-name errors in order', async () => {
      await store.put(n('many-1'), 'm1');
      await store.put(n('many-2'), 'm2');
      const results = await store.getMany([n('many-1'), n('many-missing'), n('many-2')]);
      expect(results.map((r) => r.name)).toEqual([n('many-1'), n('many-missing'), n('many-2')]);
      expect(results[0]?.ok && results[0].secret.value).toBe('m1');
      expect(results[2]?.ok && results[2].secret.value).toBe('m2');
      const missing = results[1];
      expect(missing?.ok).toBe(false);
      if (missing && !missing.ok) expect(missing.error.code).toBe('SECRET_NOT_FOUND');
    });

    it('throws typed errors: not found (secret, version, stage) and invalid references', async () => {
      expect(await code(store.get(n('nope')))).toBe('SECRET_NOT_FOUND');
      expect(await code(store.versions(n('nope')))).toBe('SECRET_NOT_FOUND');
      expect(await code(store.metadata(n('nope')))).toBe('SECRET_NOT_FOUND');
      await store.put(n('single'), 'only');
      expect(await code(store.get(n('single'), { stage: 'previous' }))).toBe('SECRET_NOT_FOUND');
      const absent = store.capabilities.orderedVersions ? '999' : '00000000-0000-4000-8000-000000000000';
      expect(await code(store.get(n('single'), { version: absent }))).toBe('SECRET_NOT_FOUND');
      expect(await code(store.get('bad name with spaces'))).toBe('SECRET_NAME_INVALID');
      expect(await code(store.put('', 'x'))).toBe('SECRET_NAME_INVALID');
      expect(await code(store.get(n('single'), { version: '1', stage: 'current' }))).toBe('SECRET_NAME_INVALID');
    });

    it('soft delete makes reads fail; destroy removes the secret for good', async () => {
      await store.put(n('del'), 'd');
      await store.delete(n('del'));
      expect(await code(store.get(n('del')))).toBe('SECRET_NOT_FOUND');
      if (!store.capabilities.listShowsDeleted) expect((await store.list(n('del'))).map((e) => e.name)).toEqual([]);

      await store.put(n('gone'), 'g');
      await store.destroy(n('gone'));
      expect(await code(store.get(n('gone')))).toBe('SECRET_NOT_FOUND');
      expect((await store.list(n('gone'))).map((e) => e.name)).toEqual([]);
      expect(await code(store.destroy(n('gone')))).toBe('SECRET_NOT_FOUND');
    });

    it('restore undoes a soft delete, where the store has restore', async () => {
      if (!store.restore) return; // an optional method: stores without it cannot restore
      const v1 = await store.put(n('restore'), 'r-1');
      const v2 = await store.put(n('restore'), 'r-2');
      await store.delete(n('restore'));
      expect(await code(store.get(n('restore')))).toBe('SECRET_NOT_FOUND');
      await store.restore(n('restore'));
      const back = await store.get(n('restore'));
      expect([back.version, back.value]).toEqual([v2.version, 'r-2']);
      expect((await store.get(n('restore'), { stage: 'previous' })).version).toBe(v1.version);
      expect(await code(store.restore(n('restore-never-existed')))).toBe('SECRET_NOT_FOUND');
    });

    it('pending stage: put pending leaves current alone; moving current onto it makes the old current previous', async (ctx) => {
      if (!store.capabilities.stages.includes('pending')) {
        expect(await code(store.put(n('pending'), 'x', { stage: 'pending' }))).toBe('UNSUPPORTED');
        ctx.skip(); // declared by the capability flag (README table)
        return;
      }
      const v1 = await store.put(n('pending'), 'old');
      const v2 = await store.put(n('pending'), 'new', { stage: 'pending' });
      expect(v2.stages).toEqual(['pending']);
      expect((await store.get(n('pending'))).value).toBe('old');
      expect((await store.get(n('pending'), { stage: 'pending' })).value).toBe('new');
      await store.setStage(n('pending'), 'current', v2.version);
      const current = await store.get(n('pending'));
      expect(current.value).toBe('new');
      expect(current.stages).not.toContain('pending');
      expect((await store.get(n('pending'), { stage: 'previous' })).version).toBe(v1.version);
      expect(await code(store.get(n('pending'), { stage: 'pending' }))).toBe('SECRET_NOT_FOUND');
    });

    it('pending stage: a normal put while a version is pending becomes current and keeps the pending one', async (ctx) => {
      if (!store.capabilities.stages.includes('pending')) {
        ctx.skip(); // declared by the capability flag (README table)
        return;
      }
      const v1 = await store.put(n('pending2'), 'one');
      const v2 = await store.put(n('pending2'), 'two', { stage: 'pending' });
      const v3 = await store.put(n('pending2'), 'three');
      const current = await store.get(n('pending2'));
      expect([current.version, current.value]).toEqual([v3.version, 'three']);
      expect((await store.get(n('pending2'), { stage: 'previous' })).version).toBe(v1.version);
      expect((await store.get(n('pending2'), { stage: 'pending' })).version).toBe(v2.version);
      const stages = Object.fromEntries((await store.versions(n('pending2'))).map((v) => [v.version, v.stages]));
      expect(stages[v3.version]).toEqual(['current']);
      expect(stages[v2.version]).toEqual(['pending']);
      expect(stages[v1.version]).toEqual(['previous']);
      expect((await store.metadata(n('pending2'))).currentVersion).toBe(v3.version);
    });
  });
}
