import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  copySecretsAt,
  diffStoresAt,
  getSecretAt,
  listSecretsAt,
  putSecretAt,
  removeSecretAt,
  secretVersionsAt,
  setSecretStageAt,
} from './secrets-at.js';

/** A working directory with two key files (a.key, b.key): file stores open fast, without scrypt. */
function workDir(): { cwd: string; env: Record<string, string | undefined> } {
  const cwd = mkdtempSync(join(tmpdir(), 'svm-secrets-at-'));
  writeFileSync(join(cwd, 'a.key'), Buffer.alloc(32, 1));
  writeFileSync(join(cwd, 'b.key'), Buffer.alloc(32, 2));
  return { cwd, env: {} };
}

describe('secret operations on stores named by URI', () => {
  it('put, get, list, versions, stage and delete return the documents svm secret prints', async () => {
    const w = workDir();
    const o = { ...w, keyFile: 'a.key' };
    expect(await putSecretAt('file://./s.svm', 'app/db', 'one', o)).toEqual({
      store: 'file://./s.svm',
      name: 'app/db',
      version: '1',
      stages: ['current'],
    });
    await putSecretAt('file://./s.svm', 'app/db', 'two', { ...o, stage: 'pending' });

    const current = await getSecretAt('file://./s.svm', 'app/db', o);
    expect(current.value).toBe('one');
    expect(current.document).toMatchObject({ store: 'file://./s.svm', name: 'app/db', version: '1' });
    expect(current.document).not.toHaveProperty('value');
    expect((await getSecretAt('file://./s.svm', 'app/db', { ...o, stage: 'pending' })).value).toBe('two');

    const listed = await listSecretsAt('file://./s.svm', 'app/', o);
    expect(listed).toMatchObject({ store: 'file://./s.svm', prefix: 'app/', secrets: [{ name: 'app/db' }] });
    expect((await secretVersionsAt('file://./s.svm', 'app/db', o)).versions.map((v) => v.version)).toEqual(['2', '1']);

    const staged = await setSecretStageAt('file://./s.svm', 'app/db', 'current', '2', o);
    expect(staged).toMatchObject({ name: 'app/db', stage: 'current', version: '2' });
    expect(staged.versions.find((v) => v.version === '2')?.stages).toContain('current');

    expect(await removeSecretAt('file://./s.svm', 'app/db', o)).toEqual({
      store: 'file://./s.svm',
      name: 'app/db',
      action: 'deleted',
      recoverable: true,
    });
  });

  it('copy and diff open the second store with toKeyFile, and count the drift', async () => {
    const w = workDir();
    const a = { ...w, keyFile: 'a.key' };
    const b = { ...w, keyFile: 'b.key' };
    await putSecretAt('file://./a.svm', 'app/one', 'v1', a);
    await putSecretAt('file://./a.svm', 'app/two', 'same', a);
    await putSecretAt('file://./b.svm', 'app/two', 'same', b);
    const pair = { ...a, toKeyFile: 'b.key' };

    expect(await diffStoresAt('file://./a.svm', 'file://./b.svm', 'app/', pair)).toEqual({
      a: 'file://./a.svm',
      b: 'file://./b.svm',
      prefix: 'app/',
      drift: 1,
      entries: [
        { name: 'app/one', status: 'only-in-a' },
        { name: 'app/two', status: 'same' },
      ],
    });
    const dry = await copySecretsAt('file://./a.svm', 'file://./b.svm', 'app/', { ...pair, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.entries).toEqual([
      { name: 'app/one', action: 'would-copy', versions: 1 },
      { name: 'app/two', action: 'unchanged', versions: 0 },
    ]);
    const done = await copySecretsAt('file://./a.svm', 'file://./b.svm', 'app/', pair);
    expect(done).toMatchObject({ from: 'file://./a.svm', to: 'file://./b.svm', dryRun: false });
    expect((await diffStoresAt('file://./a.svm', 'file://./b.svm', 'app/', pair)).drift).toBe(0);
    // Without toKeyFile the second store is opened with keyFile: b.svm does not open with a.key.
    await expect(diffStoresAt('file://./a.svm', 'file://./b.svm', 'app/', a)).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });
  });

  it('destroy removes for good: not recoverable', async () => {
    const w = workDir();
    const o = { ...w, keyFile: 'a.key' };
    await putSecretAt('file://./s.svm', 'gone', 'v', o);
    expect(await removeSecretAt('file://./s.svm', 'gone', { ...o, destroy: true })).toMatchObject({
      action: 'destroyed',
      recoverable: false,
    });
    expect((await listSecretsAt('file://./s.svm', '', o)).secrets).toEqual([]);
  });
});
