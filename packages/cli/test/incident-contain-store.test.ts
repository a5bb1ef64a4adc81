import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@svm/providers';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe('svm incident contain --store <uri> --all', () => {
  it('rotates every secret in infrastructure → services → integrations → humans order, once; a repeat rotates nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-contain-store-'));
    const keyFile = join(dir, 'store.key');
    writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    const uri = `file://${join(dir, 'secrets.svm')}`;
    const store = await openStore(uri, { file: { keyFile } });
    const seed: Array<[string, Record<string, string>]> = [
      ['alice-password', { category: 'humans' }],
      ['stripe-key', { category: 'integration' }],
      ['kms-wrapping', { category: 'infrastructure' }],
      ['orders-token', {}],
    ];
    for (const [name, tags] of seed) await store.put(name, `old-${name}`, { tags });
    await store.close();
    const args = [
      'incident',
      'contain',
      '--store',
      uri,
      '--all',
      '--key-file',
      keyFile,
      '--journal',
      join(dir, 'j.jsonl'),
    ];
    const env = { PATH: process.env.PATH };

    const plan = await runCli(['--json', ...args], { env });
    expect(plan.code, plan.stderr).toBe(0);
    const p = JSON.parse(plan.stdout);
    expect(p.outcome).toBe('planned');
    expect(p.items.map((i: { name: string; category: string }) => `${i.category}:${i.name}`)).toEqual([
      'infrastructure:kms-wrapping',
      'services:orders-token',
      'integrations:stripe-key',
      'humans:alice-password',
    ]);

    // Not a P0 and no terminal: --execute needs --yes.
    const refused = await runCli([...args, '--execute'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('needs --yes when there is no terminal');

    const run = await runCli(['--quiet', ...args, '--execute', '--yes'], { env });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('CONTAINED');
    expect(run.stdout).toContain('4/4 rotated');
    const after = await openStore(uri, { file: { keyFile } });
    const values: Record<string, string> = {};
    for (const [name] of seed) values[name] = (await after.get(name)).value;
    for (const [name] of seed) expect(values[name]).not.toBe(`old-${name}`);
    await after.close();
    const journal = readFileSync(join(dir, 'j.jsonl'), 'utf8');
    const order = journal
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.kind === 'after' && e.step?.startsWith('rotate:'))
      .map((e) => e.step.slice(7));
    expect(order).toEqual(['kms-wrapping', 'orders-token', 'stripe-key', 'alice-password']);
    for (const [name] of seed) expect(journal).not.toContain(values[name]);

    // Running it again does no harm: nothing is rotated a second time.
    const again = await runCli(['--json', ...args, '--execute', '--yes'], { env });
    expect(again.code, again.stderr).toBe(0);
    const a = JSON.parse(again.stdout);
    expect(a.outcome).toBe('contained');
    const check = await openStore(uri, { file: { keyFile } });
    for (const [name] of seed) expect((await check.get(name)).value).toBe(values[name]);
    await check.close();
  });

  it('shows a progress bar on a TTY stderr, and none with --quiet', async () => {
    const { run } = await import('../src/index.ts');
    const { PassThrough, Readable } = await import('node:stream');
    const dir = mkdtempSync(join(tmpdir(), 'svm-contain-bar-'));
    const keyFile = join(dir, 'store.key');
    writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    const uri = `file://${join(dir, 'secrets.svm')}`;
    const store = await openStore(uri, { file: { keyFile } });
    for (const name of ['a', 'b', 'c']) await store.put(name, `old-${name}`);
    await store.close();
    const once = async (extra: string[], journal: string) => {
      const stdout = new PassThrough();
      const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
      let err = '';
      stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      stdout.resume();
      const code = await run(
        [
          ...extra,
          'incident',
          'contain',
          '--store',
          uri,
          '--all',
          '--key-file',
          keyFile,
          '--journal',
          join(dir, journal),
          '--execute',
          '--yes',
        ],
        { stdout, stderr, stdin: Readable.from([]), env: { PATH: process.env.PATH }, cwd: dir },
      );
      return { code, err };
    };
    const shown = await once([], 'j1.jsonl');
    expect(shown.code).toBe(0);
    expect(shown.err).toContain('containing');
    const quiet = await once(['--quiet'], 'j2.jsonl');
    expect(quiet.code).toBe(0);
    expect(quiet.err).toBe('');
  });
});
