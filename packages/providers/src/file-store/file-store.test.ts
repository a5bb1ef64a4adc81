import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSvmError, parseStoreUri } from '@svm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openFileStore, type FileSecretStore } from '../adapters/file.ts';

const COST = 2 ** 14;
const fresh = (): string => join(mkdtempSync(join(tmpdir(), 'svm-fs-')), 'store.svm');
const open = (path: string, passphrase = 'pass phrase'): Promise<FileSecretStore> =>
  openFileStore(parseStoreUri(`file://${path}`) as Extract<ReturnType<typeof parseStoreUri>, { kind: 'file' }>, {
    env: {},
    passphrase,
    scryptCost: COST,
  });
const codeOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) => (isSvmError(e) ? e.code : 'not an SvmError'),
  );

describe('file store on disk', () => {
  it('creates the file with mode 0600 and keeps it 0600 after rewrites', async () => {
    const path = fresh();
    const store = await open(path);
    await store.put('a', '1');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await store.put('a', '2');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('never writes a value or a name in clear text', async () => {
    const path = fresh();
    const store = await open(path);
    await store.put('visible-name-xyz', 'PLAINTEXT-CANARY-123');
    const bytes = readFileSync(path, 'utf8');
    expect(bytes).not.toContain('PLAINTEXT-CANARY');
    expect(bytes).not.toContain('visible-name-xyz');
  });

  it('any changed byte in the header or the body is detected (GCM covers the header too)', async () => {
    const path = fresh();
    const store = await open(path);
    await store.put('a', 'value');
    const original = readFileSync(path);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), async (index, xor) => {
        const copy = Buffer.from(original);
        copy[index] = (copy[index] as number) ^ xor;
        const tampered = fresh();
        writeFileSync(tampered, copy);
        const code = await codeOf((await open(tampered)).get('a'));
        // A change that still reads back the same value would be a failure of authentication.
        expect(['DECRYPT_FAILED', 'INPUT_INVALID']).toContain(code);
      }),
      { numRuns: 400 },
    );
  });

  it('a wrong passphrase fails with DECRYPT_FAILED and writes nothing', async () => {
    const path = fresh();
    await (await open(path)).put('a', 'value');
    const before = readFileSync(path);
    const wrong = await open(path, 'not the pass phrase');
    expect(await codeOf(wrong.get('a'))).toBe('DECRYPT_FAILED');
    expect(await codeOf(wrong.put('a', 'x'))).toBe('DECRYPT_FAILED');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('reading a store that does not exist says so (FILE_NOT_FOUND), the first put creates it', async () => {
    const path = fresh();
    const store = await open(path);
    expect(await codeOf(store.list())).toBe('FILE_NOT_FOUND');
    await store.put('a', '1');
    expect((await store.list()).map((e) => e.name)).toEqual(['a']);
  });

  it('concurrent writers through separate handles never lose a version (lock + re-read-merge)', async () => {
    const path = fresh();
    await (await open(path)).put('seed', 's');
    const handles = await Promise.all([1, 2, 3, 4].map(() => open(path)));
    await Promise.all(
      handles.map((h, i) =>
        (async () => {
          for (let j = 0; j < 8; j++) await h.put(`w${i}`, `v${j}`);
          for (let j = 0; j < 4; j++) await h.put('shared', `w${i}-${j}`);
        })(),
      ),
    );
    const reader = await open(path);
    for (let i = 0; i < 4; i++) expect((await reader.versions(`w${i}`)).length).toBe(8);
    const shared = await reader.versions('shared');
    expect(shared.map((v) => v.version)).toEqual(Array.from({ length: 16 }, (_, k) => String(16 - k)));
  });

  it('another handle sees a write at once (reads are re-validated against the file, no stale values)', async () => {
    const path = fresh();
    const a = await open(path);
    const b = await open(path);
    await a.put('k', 'one');
    expect((await b.get('k')).value).toBe('one');
    await a.put('k', 'two');
    expect((await b.get('k')).value).toBe('two');
  });

  it('maxVersions prunes the oldest unlabelled versions', async () => {
    const path = fresh();
    const store = await openFileStore(parseStoreUri(`file://${path}`) as never, {
      env: {},
      passphrase: 'p',
      scryptCost: COST,
      maxVersions: 3,
    });
    for (let i = 1; i <= 6; i++) await store.put('k', `v${i}`);
    expect((await store.versions('k')).map((v) => v.version)).toEqual(['6', '5', '4']);
  });
});

type Command =
  | { op: 'put'; name: string; value: string; pending: boolean }
  | { op: 'delete'; name: string }
  | { op: 'destroy'; name: string }
  | { op: 'promote'; name: string };

interface ModelSecret {
  versions: string[];
  current?: number;
  previous?: number;
  pending?: number;
  deleted: boolean;
}

describe('file store model property', () => {
  it('any sequence of puts, deletes, destroys and promotions reads back like a simple model, also after reopening', async () => {
    const name = fc.constantFrom('a', 'b', 'dir/c');
    const command: fc.Arbitrary<Command> = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({
          op: fc.constant('put' as const),
          name,
          value: fc.string({ minLength: 0, maxLength: 12 }),
          pending: fc.boolean(),
        }),
      },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), name }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('destroy' as const), name }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('promote' as const), name }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 14 }), async (commands) => {
        const path = fresh();
        const store = await open(path);
        const model = new Map<string, ModelSecret>();
        for (const c of commands) {
          const m = model.get(c.name);
          const live = m && !m.deleted ? m : undefined;
          if (c.op === 'put') {
            if (c.pending && !live) {
              // pending on a new or deleted secret is allowed in the file store: it creates the secret with only a pending version
            }
            const result = await store.put(c.name, c.value, { stage: c.pending ? 'pending' : 'current' });
            const s: ModelSecret = m ?? { versions: [], deleted: false };
            s.deleted = false;
            s.versions.push(c.value);
            const id = s.versions.length;
            expect(result.version).toBe(String(id));
            if (c.pending) s.pending = id;
            else {
              if (s.current !== undefined && s.current !== id) s.previous = s.current;
              s.current = id;
              if (s.pending === id) s.pending = undefined;
            }
            model.set(c.name, s);
          } else if (c.op === 'delete') {
            const code = await codeOf(store.delete(c.name));
            expect(code).toBe(live ? 'ok' : 'SECRET_NOT_FOUND');
            if (live) live.deleted = true;
          } else if (c.op === 'destroy') {
            const code = await codeOf(store.destroy(c.name));
            expect(code).toBe(m ? 'ok' : 'SECRET_NOT_FOUND');
            model.delete(c.name);
          } else {
            const code = await codeOf(
              live?.pending !== undefined
                ? store.setStage(c.name, 'current', String(live.pending))
                : store.get(c.name, { stage: 'pending' }),
            );
            if (live?.pending !== undefined) {
              expect(code).toBe('ok');
              if (live.current !== undefined && live.current !== live.pending) live.previous = live.current;
              live.current = live.pending;
              live.pending = undefined;
            } else expect(['SECRET_NOT_FOUND', 'FILE_NOT_FOUND']).toContain(code);
          }
        }
        if (model.size === 0 && commands.every((c) => c.op !== 'put')) return;
        for (const handle of [store, await open(path)]) {
          const liveNames = [...model]
            .filter(([, s]) => !s.deleted)
            .map(([n]) => n)
            .sort();
          expect((await handle.list()).map((e) => e.name)).toEqual(liveNames);
          for (const [n, s] of model) {
            if (s.deleted) {
              expect(await codeOf(handle.get(n))).toBe('SECRET_NOT_FOUND');
              continue;
            }
            for (const stage of ['current', 'previous', 'pending'] as const) {
              const id = s[stage];
              if (id === undefined) expect(await codeOf(handle.get(n, { stage }))).toBe('SECRET_NOT_FOUND');
              else expect((await handle.get(n, { stage })).value).toBe(s.versions[id - 1]);
            }
            const versions = await handle.versions(n);
            expect(versions.map((v) => v.version)).toEqual(s.versions.map((_, i) => String(i + 1)).reverse());
            for (let i = 0; i < s.versions.length; i++)
              expect((await handle.get(n, { version: String(i + 1) })).value).toBe(s.versions[i]);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
