import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inventory } from '@svm/core';
import { openStore } from '@svm/providers';
import { requireService } from '@svm/test-harness';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const PASS = 'inventory passphrase';
const VALUE = 'INVENTORY-CANARY-value';

describe('svm inventory discover', () => {
  it('builds a schema-valid inventory from file store metadata without reading values out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-inv-'));
    const uri = `file://${join(dir, 's.svm')}`;
    const store = await openStore(uri, { env: {}, file: { passphrase: PASS, scryptCost: 2 ** 14 } });
    await store.put('prod/db-password', VALUE, {
      tags: { owner: 'payments', team: 'core', environment: 'prod', criticality: 'high', interval: '30' },
    });
    await store.put('prod/db-password', `${VALUE}-2`);
    await store.put('svc/api-key', VALUE);
    await store.close();
    const env = { PATH: process.env.PATH, SVM_FILE_PASSPHRASE: PASS };

    const r = await runCli(['inventory', 'discover', '--store', uri, '--json'], { env, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('INVENTORY-CANARY');
    const doc = Inventory.parse(JSON.parse(r.stdout));
    const normalized = JSON.parse(
      r.stdout
        .split(dir)
        .join('<dir>')
        .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>'),
    );
    expect(normalized).toMatchInlineSnapshot(`
      {
        "secrets": [
          {
            "created": "<time>",
            "criticality": "high",
            "environment": "prod",
            "id": "file://<dir>/s.svm#prod/db-password",
            "interval": "30d",
            "last_rotated": "<time>",
            "name": "prod/db-password",
            "owner": "payments",
            "store": "file://<dir>/s.svm",
            "tags": {
              "criticality": "high",
              "environment": "prod",
              "interval": "30",
              "owner": "payments",
              "team": "core",
            },
            "team": "core",
            "type": "database",
          },
          {
            "created": "<time>",
            "id": "file://<dir>/s.svm#svc/api-key",
            "last_rotated": "<time>",
            "name": "svc/api-key",
            "store": "file://<dir>/s.svm",
            "type": "api-key",
          },
        ],
        "version": 1,
      }
    `);
    expect(Array.isArray(doc) ? doc : doc.secrets).toHaveLength(2);

    const out = await runCli(['inventory', 'discover', '--store', uri, '--out', 'inventory.json'], { env, cwd: dir });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('prod/db-password');
    Inventory.parse(JSON.parse(readFileSync(join(dir, 'inventory.json'), 'utf8')));
    const valid = await runCli(['inventory', 'validate', 'inventory.json'], { env, cwd: dir });
    expect(valid.stdout).toBe('inventory.json: valid, 2 secrets\n');
  });

  it('validate reports the file, line and field of a bad inventory (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-inv-'));
    writeFileSync(join(dir, 'bad.yaml'), 'secrets:\n  - name: a\n    last_rotated: 2026-13-01\n');
    const r = await runCli(['inventory', 'validate', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('bad.yaml');
    expect(r.stderr).toContain('last_rotated');
  });

  it('needs at least one --store', async () => {
    const r = await runCli(['inventory', 'discover']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--store');
  });
});

const bao = requireService('openbao');
describe.skipIf(!bao)('svm inventory discover on OpenBao', () => {
  it('reads KV v2 metadata (version times, custom metadata) into the inventory', async () => {
    const vault = `vault+http://${bao!.addr.replace(/^https?:\/\//, '')}/${bao!.kvMount}`;
    const prefix = `svm-inv-${Date.now().toString(36)}/`;
    const env = { VAULT_TOKEN: bao!.token };
    const store = await openStore(vault, { env });
    await store.put(`${prefix}db-password`, VALUE, { tags: { owner: 'ops', interval: '60' } });
    try {
      const r = await runCli(['inventory', 'discover', '--store', vault, '--prefix', prefix, '--json'], { env });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('INVENTORY-CANARY');
      const doc = Inventory.parse(JSON.parse(r.stdout));
      const items = Array.isArray(doc) ? doc : doc.secrets;
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ name: `${prefix}db-password`, owner: 'ops', interval: '60d', type: 'database' });
      expect(items[0]?.last_rotated).toMatch(/^\d{4}-/);
    } finally {
      await store.destroy(`${prefix}db-password`);
      await store.close();
    }
  });
});
