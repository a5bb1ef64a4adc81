// Several processes write to one file store at the same time: no version may be lost.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseStoreUri } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { openFileStore } from '../src/adapters/file.ts';

const WRITER = fileURLToPath(new URL('./fixtures/concurrent-writer.ts', import.meta.url));
const PROCESSES = 4;
const COUNT = 15;

describe('file store under concurrent processes', () => {
  it(`${PROCESSES} processes × ${COUNT} × 2 puts: every version is kept`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-conc-'));
    const path = join(dir, 'store.svm');
    const keyFile = join(dir, 'store.key');
    writeFileSync(keyFile, randomBytes(32));
    const outputs = await Promise.all(
      Array.from({ length: PROCESSES }, (_, id) =>
        promisify(execFile)(process.execPath, [
          '--conditions=@svm/source',
          '--import',
          'tsx',
          WRITER,
          path,
          keyFile,
          String(id),
          String(COUNT),
        ]),
      ),
    );
    expect(outputs.map((o) => o.stdout)).toEqual(Array(PROCESSES).fill('done\n'));
    const store = await openFileStore(parseStoreUri(`file://${path}`) as never, { env: {}, keyFile });
    for (let id = 0; id < PROCESSES; id++) {
      const versions = await store.versions(`own-${id}`);
      expect(versions).toHaveLength(COUNT);
      for (let i = 0; i < COUNT; i++)
        expect((await store.get(`own-${id}`, { version: String(i + 1) })).value).toBe(`${id}-${i}`);
    }
    const shared = await store.versions('shared');
    expect(shared).toHaveLength(PROCESSES * COUNT);
    const values = await Promise.all(
      shared.map((v) => store.get('shared', { version: v.version }).then((s) => s.value)),
    );
    expect(new Set(values).size).toBe(PROCESSES * COUNT);
  }, 120_000);
});
