import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSvmError } from '@svm/core';
import { openFileJournal } from './file-journal.js';

const entry = (seq: number, kind: 'begin' | 'end' | 'before', runId = 'r1') => ({
  runId,
  itemId: 'db',
  strategy: 'dual-account',
  seq,
  at: '2026-03-01T10:00:00.000Z',
  kind,
  ...(kind === 'end' ? { outcome: 'rotated' as const } : {}),
});

describe('file journal', () => {
  it('ignores a torn last line (a crash in the middle of a write) and reports the open run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-journal-'));
    const path = join(dir, 'j.jsonl');
    const j = await openFileJournal(path);
    await j.append(entry(0, 'begin'));
    await j.append(entry(1, 'before'));
    appendFileSync(path, '{"runId":"r1","itemId":"db","str');
    expect((await j.entries('db')).map((e) => e.seq)).toEqual([0, 1]);
    expect(await j.openItems()).toEqual(['db']);
  });

  it('a corrupt line in the middle is an error naming the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-journal-'));
    const path = join(dir, 'j.jsonl');
    writeFileSync(path, `${JSON.stringify(entry(0, 'begin'))}\nnot json\n${JSON.stringify(entry(1, 'end'))}\n`);
    const error = await (await openFileJournal(path)).entries('db').catch((e: unknown) => e);
    expect(isSvmError(error) && error.toString()).toBe(`${path}:2: not a JSON line`);
  });

  it('takes over the lease of a process that is gone, but not of a live one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-journal-'));
    const path = join(dir, 'j.jsonl');
    const j = await openFileJournal(path);
    mkdirSync(`${path}.leases`, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(
      `${path}.leases/db.lease`,
      JSON.stringify({ pid: Number(dead.stdout), host: hostname(), token: 't', renewedAt: Date.now() }),
    );
    const lease = await j.acquire('db');
    await lease.release();
    // A live holder (this test's parent process stands in for another runner).
    writeFileSync(
      `${path}.leases/db.lease`,
      JSON.stringify({ pid: process.ppid, host: hostname(), token: 't', renewedAt: Date.now() }),
    );
    const held = await j.acquire('db').catch((e: unknown) => e);
    expect(isSvmError(held) && held.code).toBe('LEASE_HELD');
  });
});
