import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { JournalEntry, SvmError } from '@svm/core';
import type { JournalLease, RotationJournal } from '../types.js';

/** Options of {@link openFileJournal}. */
export interface FileJournalOptions {
  /** A lease not renewed for this long may be taken over even if its process looks alive (default 10 min). */
  leaseTtlMs?: number | undefined;
}

interface LeaseBody {
  pid: number;
  host: string;
  token: string;
  renewedAt: number;
}

/**
 * A rotation journal in one JSON-lines file (default: beside the encrypted file store). Each entry is one
 * `write` with `O_APPEND` followed by `fsync`, so a crash leaves whole lines (a torn last line is ignored on
 * read). Leases are files `<journal>.leases/<item>.lease` created with `O_EXCL`; a lease whose process is gone
 * (same host, pid not alive) or that was not renewed within the TTL is taken over, so `resume` right after a
 * `SIGKILL` does not wait.
 *
 * @example
 * ```ts
 * const journal = await openFileJournal('./secrets.svm.journal');
 * console.log(await journal.openItems()); // items with an unfinished rotation
 * ```
 */
export async function openFileJournal(path: string, options: FileJournalOptions = {}): Promise<RotationJournal> {
  const file = resolve(path);
  await mkdir(dirname(file), { recursive: true });
  return new FileJournal(file, options.leaseTtlMs ?? 10 * 60_000);
}

class FileJournal implements RotationJournal {
  readonly location: string;
  private readonly leaseDir: string;
  constructor(
    private readonly file: string,
    private readonly leaseTtlMs: number,
  ) {
    this.location = file;
    this.leaseDir = `${file}.leases`;
  }

  async append(entry: JournalEntry): Promise<void> {
    const line = `${JSON.stringify(JournalEntry.parse(entry))}\n`;
    try {
      const fd = openSync(this.file, 'a', 0o600);
      try {
        writeSync(fd, line);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (cause) {
      throw new SvmError(
        'UNAVAILABLE',
        `cannot write the rotation journal ${this.file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
        { cause },
      );
    }
  }

  private async all(): Promise<JournalEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new SvmError(
        'FILE_UNREADABLE',
        `cannot read the rotation journal ${this.file}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
        { cause },
      );
    }
    const out: JournalEntry[] = [];
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        // A torn last line (crash in the middle of a write) is not an entry; anything else is corruption.
        if (i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === '')) return;
        throw new SvmError('INPUT_PARSE', 'not a JSON line', { file: this.file, line: i + 1 });
      }
      const r = JournalEntry.safeParse(parsed);
      if (!r.success)
        throw new SvmError('INPUT_INVALID', `not a journal entry: ${r.error.issues[0]?.message}`, {
          file: this.file,
          line: i + 1,
        });
      out.push(r.data);
    });
    return out;
  }

  async entries(itemId: string): Promise<JournalEntry[]> {
    return (await this.all()).filter((e) => e.itemId === itemId);
  }

  async openItems(): Promise<string[]> {
    const ended = new Set<string>();
    const begun = new Map<string, string>();
    for (const e of await this.all()) {
      if (e.kind === 'end') ended.add(e.runId);
      else begun.set(e.runId, e.itemId);
    }
    return [...new Set([...begun].filter(([run]) => !ended.has(run)).map(([, item]) => item))].sort();
  }

  async acquire(itemId: string): Promise<JournalLease> {
    await mkdir(this.leaseDir, { recursive: true });
    const path = `${this.leaseDir}/${encodeURIComponent(itemId)}.lease`;
    const body: LeaseBody = {
      pid: process.pid,
      host: hostname(),
      token: `${process.pid}-${Date.now()}-${Math.random()}`,
      renewedAt: Date.now(),
    };
    for (let attempt = 0; attempt < 3; attempt++) {
      // Write the whole lease to a temp file, then link() it into place: creation is atomic and never half-written.
      const tmp = `${path}.${body.token}.tmp`;
      const handle = await open(tmp, 'w', 0o600);
      await handle.writeFile(JSON.stringify(body));
      await handle.sync();
      await handle.close();
      try {
        await link(tmp, path);
        return this.lease(path, body);
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
      } finally {
        await rm(tmp, { force: true });
      }
      const holder = await readLease(path);
      if (holder && !this.stale(holder)) {
        throw new SvmError(
          'LEASE_HELD',
          `${itemId}: another runner (pid ${holder.pid} on ${holder.host}, lease file ${path}) is rotating this item`,
        );
      }
      // Dead or expired holder: remove its lease and try again (O_EXCL decides between racing takers).
      await rm(path, { force: true });
    }
    throw new SvmError('LEASE_HELD', `${itemId}: could not take the rotation lease`);
  }

  private stale(holder: LeaseBody): boolean {
    if (Date.now() - holder.renewedAt > this.leaseTtlMs) return true;
    if (holder.host !== hostname()) return false;
    if (holder.pid === process.pid) return false;
    try {
      process.kill(holder.pid, 0);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }

  private lease(path: string, body: LeaseBody): JournalLease {
    return {
      renew: async () => {
        body.renewedAt = Date.now();
        const current = await readLease(path);
        if (current?.token !== body.token)
          throw new SvmError('LEASE_HELD', 'the rotation lease was taken over by another runner');
        const tmp = `${path}.${body.token}.tmp`;
        const handle = await open(tmp, 'w', 0o600);
        await handle.writeFile(JSON.stringify(body));
        await handle.close();
        await rename(tmp, path);
      },
      release: async () => {
        const current = await readLease(path);
        if (current?.token === body.token) await rm(path, { force: true });
      },
    };
  }

  async close(): Promise<void> {}
}

async function readLease(path: string): Promise<LeaseBody | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LeaseBody;
  } catch {
    // Missing, or half-written by a process that died while creating it: treat as stale.
    return { pid: -1, host: hostname(), token: '', renewedAt: 0 };
  }
}
