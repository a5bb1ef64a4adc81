import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, isSvmError } from '@svm/core';
import { openFileJournal, rotate } from '../src/index.js';
import { adminQuery, canLogin, type DualAccountFixture, dualAccountFixture, postgres } from './executor-fixtures.js';

const fixtures: DualAccountFixture[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.cleanup();
});

async function setup(grace?: string): Promise<DualAccountFixture> {
  const f = await dualAccountFixture(postgres!, { grace });
  fixtures.push(f);
  return f;
}

function creds(value: string): { username: string; password: string } {
  return JSON.parse(value) as { username: string; password: string };
}

describe.skipIf(!postgres)('dual-account PostgreSQL rotation (real server)', () => {
  it('rotates the idle account, publishes it as current and keeps the active one as previous', async () => {
    const f = await setup();
    const journalPath = join(f.dir, 'journal.jsonl');
    const journal = await openFileJournal(journalPath);
    const before = await f.store.get(f.secret);

    const run = await rotate(f.item, { store: f.store, journal });
    expect(run?.outcome).toBe('rotated');
    expect(run?.steps.map((s) => [s.id, s.status])).toEqual([
      ['create-pending', 'done'],
      ['set-password', 'done'],
      ['verify-login', 'done'],
      ['promote', 'done'],
    ]);
    const current = await f.store.get(f.secret);
    const previous = await f.store.get(f.secret, { stage: 'previous' });
    expect(previous.version).toBe(before.version);
    expect(run?.versions).toEqual({ current: current.version, previous: before.version });
    expect(creds(current.value).username).toBe(f.roles[1]);
    expect(await canLogin(postgres!, creds(current.value).username, creds(current.value).password)).toBe(true);
    expect(await canLogin(postgres!, creds(previous.value).username, creds(previous.value).password)).toBe(true);

    // The journal holds version ids and facts, never a value.
    const text = readFileSync(journalPath, 'utf8');
    expect(text).not.toContain(creds(current.value).password);
    expect(text).not.toContain(creds(previous.value).password);
    expect(
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).kind),
    ).toEqual(['begin', 'before', 'after', 'before', 'after', 'before', 'after', 'before', 'after', 'end']);
    expect(await journal.openItems()).toEqual([]);
  });

  it('waits for the grace period before changing the account that was just retired, then rotates it', async () => {
    const f = await setup('1h');
    const journal = await openFileJournal(join(f.dir, 'journal.jsonl'));
    expect((await rotate(f.item, { store: f.store, journal }))?.outcome).toBe('rotated');
    const waiting = await rotate(f.item, { store: f.store, journal });
    expect(waiting?.outcome).toBe('waiting');
    expect(waiting?.notBefore).toBeDefined();
    const later = fixedClock(Date.parse(waiting!.notBefore!) + 1000);
    const second = await rotate(f.item, { store: f.store, journal, clock: later });
    expect(second?.outcome).toBe('rotated');
    const current = creds((await f.store.get(f.secret)).value);
    expect(current.username).toBe(f.roles[0]);
    expect(await canLogin(postgres!, current.username, current.password)).toBe(true);
  });

  it('rolls back when the new password does not log in: current untouched, the idle account keeps its stored password', async () => {
    const f = await setup();
    const journal = await openFileJournal(join(f.dir, 'journal.jsonl'));
    expect((await rotate(f.item, { store: f.store, journal }))?.outcome).toBe('rotated');
    const current = await f.store.get(f.secret);
    const previous = await f.store.get(f.secret, { stage: 'previous' });
    // The idle account (roles[0]) may not log in: the verification fails after ALTER ROLE.
    await adminQuery(postgres!, `ALTER ROLE ${f.roles[0]} NOLOGIN`);
    const run = await rotate(f.item, { store: f.store, journal });
    expect(run?.outcome).toBe('rolled-back');
    expect(run?.error?.code).toBe('VERIFICATION_FAILED');
    expect(run?.steps.map((s) => s.status)).toEqual(['rolled-back', 'rolled-back', 'failed', 'planned']);
    expect((await f.store.get(f.secret)).version).toBe(current.version);
    expect((await f.store.get(f.secret, { stage: 'previous' })).version).toBe(previous.version);
    await adminQuery(postgres!, `ALTER ROLE ${f.roles[0]} LOGIN`);
    // The rollback put the old password back.
    expect(await canLogin(postgres!, f.roles[0], creds(previous.value).password)).toBe(true);
    expect(await journal.openItems()).toEqual([]);
  });

  it('stops at a safe step when the database is unreachable (interrupted, run kept open) and resume finishes it', async () => {
    const f = await setup();
    const journal = await openFileJournal(join(f.dir, 'journal.jsonl'));
    const admin = JSON.parse((await f.store.get(f.admin)).value) as Record<string, unknown>;
    await f.store.put(f.admin, JSON.stringify({ ...admin, port: 1 }));
    const before = await f.store.get(f.secret);
    const run = await rotate(f.item, { store: f.store, journal });
    expect(run?.outcome).toBe('interrupted');
    expect(run?.error?.code).toBe('UNAVAILABLE');
    expect((await f.store.get(f.secret)).version).toBe(before.version);
    expect(await journal.openItems()).toEqual([f.item.id]);

    await f.store.put(f.admin, JSON.stringify(admin));
    expect(
      await rotate(f.item, { store: f.store, journal, resumeOnly: true }).then((r) => [r?.outcome, r?.resumed]),
    ).toEqual(['rotated', true]);
    expect(await journal.openItems()).toEqual([]);
    const current = creds((await f.store.get(f.secret)).value);
    expect(await canLogin(postgres!, current.username, current.password)).toBe(true);
    expect(await rotate(f.item, { store: f.store, journal, resumeOnly: true })).toBeUndefined();
  });

  it('refuses a second runner while the lease is held', async () => {
    const f = await setup();
    const journal = await openFileJournal(join(f.dir, 'journal.jsonl'));
    const lease = await journal.acquire(f.item.id);
    const error = await rotate(f.item, { store: f.store, journal }).catch((e: unknown) => e);
    expect(isSvmError(error) && error.code).toBe('LEASE_HELD');
    await lease.release();
    expect((await rotate(f.item, { store: f.store, journal }))?.outcome).toBe('rotated');
  });
});
