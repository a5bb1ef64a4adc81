import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStoreAt } from '@svm/providers';
import { describe, expect, it } from 'vitest';
import { planInventoryFile, runInventoryFile, validateInventory } from './inventory-file.js';

const inventory = `version: 1
secrets:
  - id: token
    name: app/token
    type: service-token
    strategy: new-version
    owner: platform
    store: file://./s.svm
    last_rotated: "2020-01-01"
  - id: other
    name: app/other
    type: service-token
    owner: payments
    store: file://./s.svm
    last_rotated: "2026-02-20"
`;

/** A `read` over files in `cwd`, and `-` as standard input (no path). */
function reader(cwd: string) {
  return async (file: string) =>
    file === '-'
      ? { text: inventory, name: '<stdin>' }
      : { text: readFileSync(join(cwd, file), 'utf8'), name: file, path: join(cwd, file) };
}

function setup() {
  const cwd = mkdtempSync(join(tmpdir(), 'svm-inventory-file-'));
  writeFileSync(join(cwd, 'inventory.yaml'), inventory);
  writeFileSync(join(cwd, 'k'), randomBytes(32));
  return { cwd, read: reader(cwd) };
}

describe('planInventoryFile', () => {
  it('plans the inventory as of --now and keeps the whole plan beside the owner part', async () => {
    const { read } = setup();
    const { plan, shown } = await planInventoryFile('inventory.yaml', { now: '2026-03-01', owner: 'platform' }, read);
    expect(plan.items.map((i) => i.id)).toEqual(['token', 'other']);
    expect(shown.items.map((i) => i.id)).toEqual(['token']);
    expect(shown.summary.overdue).toBe(1);
  });

  it('applies the policy file and checks the settings before reading anything', async () => {
    const { cwd, read } = setup();
    writeFileSync(join(cwd, 'policy.yaml'), 'types:\n  service-token:\n    interval: 5d\n');
    const { plan } = await planInventoryFile('inventory.yaml', { now: '2026-03-01', policyFile: 'policy.yaml' }, read);
    expect(plan.items.find((i) => i.id === 'other')?.status).toBe('overdue');
    await expect(planInventoryFile('missing.yaml', { now: '1 March' }, read)).rejects.toThrow(
      "--now: expected YYYY-MM-DD, got '1 March'",
    );
  });
});

describe('runInventoryFile', () => {
  it('runs the inventory and writes last_rotated back with --update-inventory', async () => {
    const { cwd, read } = setup();
    const log: string[] = [];
    const options = {
      read,
      cwd,
      env: {},
      openStore: (uri: string) => openStoreAt(uri, { cwd, env: {}, keyFile: 'k' }),
      log: (m: string) => log.push(m),
    };
    const store = await options.openStore('file://./s.svm');
    await store.put('app/token', 'old-value');
    await store.close();
    const dry = await runInventoryFile('inventory.yaml', { dryRun: true, only: ['token'] }, options);
    expect(dry.runs.map((r) => [r.itemId, r.outcome])).toEqual([['token', 'planned']]);
    const doc = await runInventoryFile('inventory.yaml', { only: ['token'], updateInventory: true }, options);
    expect(doc.runs.map((r) => [r.itemId, r.outcome])).toEqual([['token', 'rotated']]);
    expect(doc.inventoryUpdated).toBe(true);
    expect(readFileSync(join(cwd, 'inventory.yaml'), 'utf8')).not.toContain('"2020-01-01"');
    expect(log.at(-1)).toBe('updated last_rotated of 1 item(s) in inventory.yaml');
  });

  it('opens the stores itself with --key-file when no openStore is given', async () => {
    const { cwd, read } = setup();
    const store = await openStoreAt('file://./s.svm', { cwd, env: {}, keyFile: 'k' });
    await store.put('app/token', 'old-value');
    await store.close();
    const doc = await runInventoryFile('inventory.yaml', { only: ['token'], keyFile: 'k' }, { read, cwd, env: {} });
    expect(doc.runs.map((r) => [r.itemId, r.outcome])).toEqual([['token', 'rotated']]);
  });

  it('refuses --update-inventory on standard input and a malformed --now', async () => {
    const { cwd, read } = setup();
    const options = { read, cwd, env: {}, openStore: () => Promise.reject(new Error('not opened')) };
    await expect(runInventoryFile('-', { updateInventory: true }, options)).rejects.toThrow(
      '--update-inventory needs an inventory file, not standard input',
    );
    await expect(runInventoryFile('inventory.yaml', { now: '2026-3-1' }, options)).rejects.toMatchObject({
      code: 'USAGE',
    });
  });
});

describe('validateInventory', () => {
  it('counts the secrets of a valid inventory; an invalid one names the file and line', () => {
    expect(validateInventory(inventory, 'inv.yaml')).toEqual({ file: 'inv.yaml', valid: true, secrets: 2 });
    expect(() => validateInventory(inventory.replace('"2020-01-01"', '"2020-13-01"'), 'inv.yaml')).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID', location: expect.objectContaining({ file: 'inv.yaml' }) }),
    );
  });
});
