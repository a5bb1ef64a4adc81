// runInventory: selection, skipped items, dry run, real rotations through a file store and journal, the renderer.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStoreAt } from '@svm/providers';
import { loadInventory, renderRunsText, runExitCode, runInventory, summarizeRuns } from '../src/index.js';

const inventoryText = `version: 1
secrets:
  - id: token
    name: app/token
    type: service-token
    strategy: new-version
    store: file://./s.svm
    last_rotated: "2020-01-01"
  - id: fresh
    name: app/fresh
    type: service-token
    strategy: new-version
    store: file://./s.svm
    last_rotated: "2026-03-01"
    interval: 90d
  - id: by-hand
    name: app/manual
    type: ssh-key
    strategy: manual
    store: file://./s.svm
`;

function setup() {
  const cwd = mkdtempSync(join(tmpdir(), 'svm-run-inventory-'));
  writeFileSync(join(cwd, 'k'), randomBytes(32));
  const inventory = loadInventory(inventoryText, { file: 'inventory.yaml' });
  const log: string[] = [];
  const options = {
    cwd,
    env: {},
    inventoryPath: join(cwd, 'inventory.yaml'),
    openStore: (uri: string) => openStoreAt(uri, { cwd, env: {}, keyFile: 'k' }),
    log: (m: string) => log.push(m),
  };
  return { cwd, inventory, log, options };
}

describe('runInventory', () => {
  it('a dry run lists the steps of the due items and the skipped ones, touching nothing', async () => {
    const { inventory, options } = setup();
    const { document, updates } = await runInventory(inventory, {
      ...options,
      dryRun: true,
      dueOnly: true,
      now: '2026-03-01',
    });
    expect(document.runs.map((r) => [r.itemId, r.outcome])).toEqual([['token', 'planned']]);
    expect(document.skipped.map((s) => s.id)).toEqual(['by-hand']); // never rotated: due, but manual
    expect(updates.size).toBe(0);
    const all = await runInventory(inventory, { ...options, dryRun: true });
    expect(all.document.skipped).toEqual([
      { id: 'by-hand', reason: expect.stringContaining("no strategy for method 'manual'") },
    ]);
    expect(renderRunsText(all.document).split('\n').at(-1)).toBe(
      '2 item(s): 0 rotated, 2 planned, 0 waiting, 0 rolled back, 0 interrupted, 0 failed, 1 skipped (no executor strategy)',
    );
  });

  it('rotates for real through the store and a journal beside it, and reports the day per inventory index', async () => {
    const { inventory, options, log } = setup();
    const store = await openStoreAt('file://./s.svm', { cwd: options.cwd, env: {}, keyFile: 'k' });
    await store.put('app/token', 'old-value');
    await store.close();
    const { document, updates } = await runInventory(inventory, { ...options, only: ['token'] });
    expect(document.summary).toEqual(summarizeRuns(document.runs));
    expect(document.runs.map((r) => [r.itemId, r.outcome])).toEqual([['token', 'rotated']]);
    expect([...updates.keys()]).toEqual([0]);
    expect(document.journal).toContain(options.cwd);
    expect(runExitCode(document)).toBe(0);
    expect(log).toEqual(['token: rotating…', 'token: rotated']);
    expect(JSON.stringify(document)).not.toContain('old-value');
  });

  it('an unknown --only id and a store that is not a URI are input errors', async () => {
    const { inventory, options } = setup();
    await expect(runInventory(inventory, { ...options, only: ['nope'] })).rejects.toThrow(
      "--only: no item with id 'nope' in inventory.yaml",
    );
    const bad = loadInventory(inventoryText.replace('store: file://./s.svm', 'store: s.svm'), { file: 'inv.yaml' });
    await expect(runInventory(bad, { ...options, only: ['token'] })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('exit codes: 3 interrupted, 1 rolled back or failed', () => {
    const summary = summarizeRuns([]);
    expect(runExitCode({ summary: { ...summary, interrupted: 1, failed: 1 } })).toBe(3);
    expect(runExitCode({ summary: { ...summary, 'rolled-back': 1 } })).toBe(1);
    expect(
      renderRunsText({ dryRun: false, journal: null, runs: [], skipped: [], summary, inventoryUpdated: false }),
    ).toBe(
      'Nothing to rotate or resume.\n\n0 item(s): 0 rotated, 0 planned, 0 waiting, 0 rolled back, 0 interrupted, 0 failed',
    );
  });
});
