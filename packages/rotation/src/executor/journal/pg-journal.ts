import { randomUUID } from 'node:crypto';
import { JournalEntry, SvmError } from '@svm/core';
import { pgError } from '../targets/postgres.js';
import type { JournalLease, RotationJournal } from '../types.js';

/** Options of {@link openPgJournal}. */
export interface PgJournalOptions {
  /** Table name prefix (default `svm_rotation`): tables `<prefix>_journal` and `<prefix>_lease`. Also `?prefix=` in the URI. */
  prefix?: string | undefined;
  /** A lease not renewed for this long is taken over (default 10 min); a lease whose session is gone is taken at once. */
  leaseTtlMs?: number | undefined;
}

/**
 * A rotation journal in PostgreSQL (`postgres://user:pass@host:port/db`), for teams with many runners. Entries go
 * to `<prefix>_journal` (one row per entry, committed before `append` returns). The lease is a row per item in
 * `<prefix>_lease` holding the runner's id and its session's backend pid: another runner takes it over only when
 * it expired or that session no longer exists (a killed runner's session ends with it), so two runners never
 * rotate the same item and `resume` after a crash does not wait.
 *
 * @example
 * ```ts
 * const journal = await openPgJournal('postgres://svm:…@db:5432/ops');
 * const run = await rotate(item, { store, journal });
 * await journal.close();
 * ```
 */
export async function openPgJournal(uri: string, options: PgJournalOptions = {}): Promise<RotationJournal> {
  const url = new URL(uri);
  const prefix = options.prefix ?? url.searchParams.get('prefix') ?? 'svm_rotation';
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix))
    throw new SvmError('INPUT_INVALID', `journal prefix: expected a lower-case SQL identifier, got '${prefix}'`);
  url.searchParams.delete('prefix');
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  const location = redact(url);
  try {
    await client.connect();
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('svm_rotation_journal_schema'))");
    await client.query(`CREATE TABLE IF NOT EXISTS ${prefix}_journal (
      id bigserial PRIMARY KEY, item_id text NOT NULL, run_id text NOT NULL, seq integer NOT NULL, kind text NOT NULL,
      entry jsonb NOT NULL, UNIQUE (run_id, seq))`);
    await client.query(`CREATE INDEX IF NOT EXISTS ${prefix}_journal_item ON ${prefix}_journal (item_id, id)`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${prefix}_lease (
      item_id text PRIMARY KEY, runner text NOT NULL, backend_pid integer NOT NULL, expires_at timestamptz NOT NULL)`);
    await client.query('COMMIT');
  } catch (error) {
    await client.end().catch(() => undefined);
    throw pgError(error, `rotation journal ${location}`);
  }
  return new PgJournal(client, prefix, location, options.leaseTtlMs ?? 10 * 60_000);
}

function redact(url: URL): string {
  const copy = new URL(url.toString());
  if (copy.password) copy.password = '***';
  return copy.toString();
}

class PgJournal implements RotationJournal {
  constructor(
    private readonly client: import('pg').Client,
    private readonly prefix: string,
    readonly location: string,
    private readonly leaseTtlMs: number,
  ) {}

  private async q<T extends Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
  ): Promise<{ rows: T[]; rowCount: number }> {
    try {
      const r = await this.client.query(sql, params);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    } catch (error) {
      throw pgError(error, `rotation journal ${this.location}`);
    }
  }

  async append(entry: JournalEntry): Promise<void> {
    const e = JournalEntry.parse(entry);
    await this.q(
      `INSERT INTO ${this.prefix}_journal (item_id, run_id, seq, kind, entry) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (run_id, seq) DO NOTHING`,
      [e.itemId, e.runId, e.seq, e.kind, JSON.stringify(e)],
    );
  }

  async entries(itemId: string): Promise<JournalEntry[]> {
    const r = await this.q<{ entry: unknown }>(
      `SELECT entry FROM ${this.prefix}_journal WHERE item_id = $1 ORDER BY id`,
      [itemId],
    );
    return r.rows.map((row) => JournalEntry.parse(row.entry));
  }

  async openItems(): Promise<string[]> {
    const r = await this.q<{ item_id: string }>(`SELECT DISTINCT j.item_id FROM ${this.prefix}_journal j
      WHERE NOT EXISTS (SELECT 1 FROM ${this.prefix}_journal e WHERE e.run_id = j.run_id AND e.kind = 'end') ORDER BY 1`);
    return r.rows.map((row) => row.item_id);
  }

  async acquire(itemId: string): Promise<JournalLease> {
    const runner = randomUUID();
    const ttl = `${Math.ceil(this.leaseTtlMs / 1000)} seconds`;
    const lease = `${this.prefix}_lease`;
    const r = await this.q(
      `INSERT INTO ${lease} (item_id, runner, backend_pid, expires_at)
        VALUES ($1, $2, pg_backend_pid(), now() + $3::interval)
      ON CONFLICT (item_id) DO UPDATE SET runner = EXCLUDED.runner, backend_pid = EXCLUDED.backend_pid, expires_at = EXCLUDED.expires_at
      WHERE ${lease}.expires_at < now() OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = ${lease}.backend_pid)
      RETURNING runner`,
      [itemId, runner, ttl],
    );
    if (r.rowCount === 0) {
      const holder = await this.q<{ backend_pid: number; expires_at: Date }>(
        `SELECT backend_pid, expires_at FROM ${lease} WHERE item_id = $1`,
        [itemId],
      );
      const h = holder.rows[0];
      throw new SvmError(
        'LEASE_HELD',
        `${itemId}: another runner is rotating this item (session ${h?.backend_pid ?? '?'}, lease until ${h ? new Date(h.expires_at).toISOString() : '?'})`,
      );
    }
    return {
      renew: async () => {
        const u = await this.q(
          `UPDATE ${lease} SET expires_at = now() + $3::interval WHERE item_id = $1 AND runner = $2`,
          [itemId, runner, ttl],
        );
        if (u.rowCount === 0)
          throw new SvmError('LEASE_HELD', `${itemId}: the rotation lease was taken over by another runner`);
      },
      release: async () => {
        await this.q(`DELETE FROM ${lease} WHERE item_id = $1 AND runner = $2`, [itemId, runner]);
      },
    };
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
