import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { isSvmError } from '@svm/core';
import { openJournal, rotate } from '../src/index.js';
import { adminQuery, canLogin, dualAccountFixture, postgres } from './executor-fixtures.js';

const prefix = `svm_exec_${randomBytes(4).toString('hex')}`;
const uri = postgres
  ? `postgres://${postgres.user}:${postgres.password}@${postgres.host}:${postgres.port}/${postgres.database}?prefix=${prefix}`
  : '';

afterAll(async () => {
  if (!postgres) return;
  await adminQuery(postgres, `DROP TABLE IF EXISTS ${prefix}_journal, ${prefix}_lease`);
});

describe.skipIf(!postgres)('PostgreSQL rotation journal (real server)', () => {
  it('records a rotation and reports open runs; its location hides the password', async () => {
    const f = await dualAccountFixture(postgres!);
    const journal = await openJournal(uri);
    try {
      expect(journal.location).not.toContain(postgres!.password);
      const run = await rotate(f.item, { store: f.store, journal });
      expect(run?.outcome).toBe('rotated');
      const entries = await journal.entries(f.item.id);
      expect(entries.map((e) => e.kind)).toEqual([
        'begin',
        'before',
        'after',
        'before',
        'after',
        'before',
        'after',
        'before',
        'after',
        'end',
      ]);
      expect(await journal.openItems()).toEqual([]);
      const current = JSON.parse((await f.store.get(f.secret)).value) as { username: string; password: string };
      expect(JSON.stringify(entries)).not.toContain(current.password);
      expect(await canLogin(postgres!, current.username, current.password)).toBe(true);
    } finally {
      await journal.close();
      await f.cleanup();
    }
  });

  it('one runner at a time per item; a lease whose session died is taken over at once', async () => {
    const a = await openJournal(uri);
    const b = await openJournal(uri);
    try {
      const lease = await a.acquire('item-1');
      const held = await b.acquire('item-1').catch((e: unknown) => e);
      expect(isSvmError(held) && held.code).toBe('LEASE_HELD');
      // Other items are free.
      await (await b.acquire('item-2')).release();
      await lease.renew();
      // Runner a dies without releasing: its session ends, b takes the lease.
      await a.close();
      const taken = await b.acquire('item-1');
      await taken.release();
    } finally {
      await b.close();
    }
  });
});
