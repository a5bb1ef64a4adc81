// No secret value in a run result, the journal or an error, even when a hook throws with the key in its message.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '@svm/providers';
import { openFileJournal, rotate } from '../src/index.js';

describe('errors never carry a value', () => {
  it('a hook module that throws with the key in its message: the run, the journal and the error hide it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-exec-leak-'));
    const { writeFileSync, readFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'k'), randomBytes(32).toString('hex'));
    const store = await openStore(`file://${join(dir, 's.svm')}`, { file: { keyFile: join(dir, 'k') } });
    const journalPath = join(dir, 'journal.jsonl');
    const journal = await openFileJournal(journalPath);
    await store.put('k', 'old-key-value');
    const hook = join(dir, 'hook.mjs');
    writeFileSync(
      hook,
      "export const create = async () => ({ value: 'NEW-SECRET-KEY-123' });\nexport const test = async ({ value }) => { throw new Error('rejected ' + value); };\nexport const revoke = async ({ value }) => { JSON.parse(value); };\n",
    );
    const run = await rotate({ id: 'leak', type: 'api-key', name: 'k', rotation: { hook } }, { store, journal });
    // The test failed, and the rollback's revoke failed too: the run is left open for resume, nothing leaks.
    expect(run?.outcome).toBe('interrupted');
    expect(run?.message).toContain('the rollback stopped');
    expect(await journal.openItems()).toEqual(['leak']);
    const everything = JSON.stringify(run) + readFileSync(journalPath, 'utf8');
    expect(everything).not.toContain('NEW-SECRET-KEY-123');
    expect(everything).not.toContain('old-key-value');
    expect((await store.get('k')).value).toBe('old-key-value');
    await store.close();
  });
});
