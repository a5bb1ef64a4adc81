import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  canLogin,
  type DualAccountFixture,
  dualAccountFixture,
  postgres,
} from '../../rotation/test/executor-fixtures.ts';
import { runCli } from './run-cli.ts';

const fixture = join(import.meta.dirname, 'fixtures/rotation-run/inventory.yaml');

describe('svm rotation run --dry-run', () => {
  it('prints every step and touches nothing (no store, no journal)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-run-dry-'));
    copyFileSync(fixture, join(dir, 'inventory.yaml'));
    const r = await runCli(['rotation', 'run', 'inventory.yaml', '--dry-run'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchSnapshot();
    const json = await runCli(['rotation', 'run', 'inventory.yaml', '--dry-run', '--json', '--only', 'orders-db'], {
      cwd: dir,
    });
    const doc = JSON.parse(json.stdout);
    expect(
      doc.runs.map((x: { startedAt?: string; finishedAt?: string }) => ({
        ...x,
        startedAt: '<now>',
        finishedAt: '<now>',
      })),
    ).toMatchSnapshot();
    expect(existsSync(join(dir, 'secrets.svm'))).toBe(false);
    expect(existsSync(join(dir, 'secrets.svm.rotation-journal.jsonl'))).toBe(false);
    expect(readFileSync(join(dir, 'inventory.yaml'), 'utf8')).toBe(readFileSync(fixture, 'utf8'));
  });

  it('--due-only keeps the items the plan finds due on --now', async () => {
    const r = await runCli(['rotation', 'run', fixture, '--dry-run', '--due-only', '--now', '2026-02-01', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).runs.map((x: { itemId: string }) => x.itemId)).toEqual(['orders-db']);
  });

  it('--only names an unknown id: usage error, exit 2', async () => {
    const r = await runCli(['rotation', 'run', fixture, '--dry-run', '--only', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--only: no item with id 'nope'");
  });
});

const fixtures: DualAccountFixture[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.cleanup();
});

describe.skipIf(!postgres)('svm rotation run / resume (real PostgreSQL, file store)', () => {
  async function setup(): Promise<{
    f: DualAccountFixture;
    inventory: string;
    env: Record<string, string | undefined>;
  }> {
    const f = await dualAccountFixture(postgres!);
    fixtures.push(f);
    const inventory = join(f.dir, 'inventory.yaml');
    const rot = f.item.rotation as { accounts: string[]; admin_secret: string };
    writeFileSync(
      inventory,
      [
        '# keep this comment',
        'version: 1',
        'secrets:',
        `  - id: ${f.item.id}   # spacing kept`,
        `    name: ${f.secret}`,
        '    type: database',
        `    store: ${f.storeUri}`,
        '    last_rotated: 2026-01-01 # set by svm',
        '    rotation: { grace: 0s, accounts: [' +
          rot.accounts.join(', ') +
          '], admin_secret: ' +
          rot.admin_secret +
          ' }',
        '',
      ].join('\n'),
    );
    return { f, inventory, env: { PATH: process.env.PATH, SVM_FILE_KEY_FILE: f.keyFile } };
  }

  it('rotates, updates last_rotated in place (comments kept) and never prints a secret', async () => {
    const { f, inventory, env } = await setup();
    const before = readFileSync(inventory, 'utf8');
    const r = await runCli(['rotation', 'run', inventory, '--update-inventory', '--json', '--key-file', f.keyFile], {
      env,
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toMatchObject({ total: 1, rotated: 1 });
    expect(doc.inventoryUpdated).toBe(true);
    const current = JSON.parse((await f.store.get(f.secret)).value) as { username: string; password: string };
    expect(await canLogin(postgres!, current.username, current.password)).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(current.password);
    const after = readFileSync(inventory, 'utf8');
    const today = doc.runs[0].finishedAt.slice(0, 10);
    expect(after).toBe(before.replace('last_rotated: 2026-01-01 # set by svm', `last_rotated: ${today} # set by svm`));
    expect(existsSync(join(f.dir, 'secrets.svm.rotation-journal.jsonl'))).toBe(true);
  });

  it('an unreachable database exits 3 with the run left open; resume finishes it', async () => {
    const { f, inventory } = await setup();
    const admin = JSON.parse((await f.store.get(f.admin)).value) as Record<string, unknown>;
    await f.store.put(f.admin, JSON.stringify({ ...admin, port: 1 }));
    const before = (await f.store.get(f.secret)).version;
    const r = await runCli(['rotation', 'run', inventory, '--key-file', f.keyFile]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('interrupted');
    expect((await f.store.get(f.secret)).version).toBe(before);

    await f.store.put(f.admin, JSON.stringify(admin));
    const resumed = await runCli(['rotation', 'resume', inventory, '--key-file', f.keyFile, '--json']);
    expect(resumed.code).toBe(0);
    const doc = JSON.parse(resumed.stdout);
    expect(doc.runs.map((x: { outcome: string; resumed: boolean }) => [x.outcome, x.resumed])).toEqual([
      ['rotated', true],
    ]);
    const again = await runCli(['rotation', 'resume', inventory, '--key-file', f.keyFile]);
    expect(again.stdout).toContain('Nothing to rotate or resume.');
  });

  it('a failed verification rolls back: exit 1, current untouched', async () => {
    const { f, inventory } = await setup();
    const { adminQuery } = await import('../../rotation/test/executor-fixtures.ts');
    await adminQuery(postgres!, `ALTER ROLE ${f.roles[1]} NOLOGIN`);
    const before = (await f.store.get(f.secret)).version;
    const r = await runCli(['rotation', 'run', inventory, '--key-file', f.keyFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('rolled-back');
    expect((await f.store.get(f.secret)).version).toBe(before);
  });
});
