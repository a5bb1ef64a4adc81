// The exit codes the README documents for `svm secret` (issue 11): a malformed version reference is an
// input error (SECRET_NAME_INVALID, exit 2), a missing version a provider answer (SECRET_NOT_FOUND, 3), and a
// wrong passphrase for the target of `copy` a credential error (DECRYPT_FAILED, 2) that writes nothing.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const env = (passphrase: string, extra: Record<string, string> = {}): Record<string, string | undefined> => ({
  PATH: process.env.PATH,
  SVM_FILE_PASSPHRASE: passphrase,
  SVM_FILE_SCRYPT_COST: '16384',
  ...extra,
});

describe('svm secret exit codes match the README', () => {
  it('get --version: malformed → 2 (SECRET_NAME_INVALID), well-formed but missing → 3 (SECRET_NOT_FOUND)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-exit-'));
    const store = `file://${join(dir, 's.svm')}`;
    expect(
      (await runCli(['secret', 'put', store, 'x', '--value-stdin'], { stdin: 'v', env: env('pw'), cwd: dir })).code,
    ).toBe(0);
    const bad = await runCli(['--json', 'secret', 'get', store, 'x', '--version', 'zzz'], { env: env('pw'), cwd: dir });
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('SECRET_NAME_INVALID');
    const missing = await runCli(['--json', 'secret', 'get', store, 'x', '--version', '99'], {
      env: env('pw'),
      cwd: dir,
    });
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stdout).error.code).toBe('SECRET_NOT_FOUND');
  });

  it('copy into a target opened with the wrong passphrase exits 2 (DECRYPT_FAILED) and changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-exit-'));
    const from = `file://${join(dir, 'a.svm')}`;
    const to = `file://${join(dir, 'b.svm')}`;
    await runCli(['secret', 'put', from, 'x', '--value-stdin'], { stdin: 'v', env: env('pw'), cwd: dir });
    await runCli(['secret', 'put', to, 'y', '--value-stdin'], { stdin: 'w', env: env('other'), cwd: dir });
    const before = readFileSync(join(dir, 'b.svm'));
    const r = await runCli(['--json', 'secret', 'copy', from, to], { env: env('pw'), cwd: dir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('DECRYPT_FAILED');
    expect(readFileSync(join(dir, 'b.svm')).equals(before)).toBe(true);
    // With the target's own passphrase the same copy succeeds.
    const ok = await runCli(['secret', 'copy', from, to], {
      env: env('pw', { SVM_FILE_PASSPHRASE_TO: 'other' }),
      cwd: dir,
    });
    expect(ok.code).toBe(0);
  });

  it('a store path under a regular file, or a device, is an input error (exit 2) naming the cause, not an internal error (70)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-exit-'));
    writeFileSync(join(dir, 'plain'), 'x');
    const under = await runCli(
      ['--json', 'secret', 'put', `file://${join(dir, 'plain', 's.svm')}`, 'x', '--value-stdin'],
      { stdin: 'v', env: env('pw'), cwd: dir },
    );
    expect(under.code).toBe(2);
    expect(JSON.parse(under.stdout).error).toMatchObject({ code: 'FILE_UNREADABLE' });
    expect(JSON.parse(under.stdout).error.message).toMatch(/ENOTDIR|EEXIST/);
    const device = await runCli(['secret', 'list', 'file:///dev/zero'], { env: env('pw'), cwd: dir });
    expect(device.code).toBe(2);
    expect(device.stderr).toBe('svm: error: /dev/zero: the file store path is not a regular file (it is a device)\n');
  });
});
