import { SvmError } from '@svm/core';
import type { BaselineSnapshot } from '../analyzer.js';
import { CURSOR_LOOKBACK_MS, type ObjectCursorEntry } from '../objstore/read.js';

/** A persisted baseline (what `--state <db>` opens). */
export interface StateStore {
  /** The saved snapshot, or undefined for a new database. */
  load(): BaselineSnapshot | undefined;
  /**
   * Replace the saved state with this snapshot and add the objects read (`AnalyzeFilesResult.objects.cursor`),
   * in one transaction: a run that dies before it saves leaves the previous state whole, so the next run reads
   * the same objects again and nothing is counted twice.
   */
  save(snapshot: BaselineSnapshot, objects?: { cursor: readonly ObjectCursorEntry[] }): void;
  /** The object keys remembered for one stream URL (the `seen` option of `analyzeFiles`). */
  objectsRead(streamUrl: string): ReadonlySet<string>;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS identities (identity TEXT PRIMARY KEY, first_ms INTEGER NOT NULL, events INTEGER NOT NULL, networks TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rates (key TEXT PRIMARY KEY, hour INTEGER NOT NULL, count INTEGER NOT NULL, ewma REAL NOT NULL, hours INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS accessors (accessor TEXT PRIMARY KEY, auth_method TEXT NOT NULL, identity TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS objects_read (stream TEXT NOT NULL, key TEXT NOT NULL, end_ms INTEGER, PRIMARY KEY (stream, key));
`;

type Db = {
  exec(sql: string): void;
  prepare(sql: string): {
    run(...a: unknown[]): unknown;
    all(...a: unknown[]): unknown[];
    get(...a: unknown[]): unknown;
  };
  transaction<T extends (...a: never[]) => unknown>(fn: T): T;
  pragma(s: string): unknown;
  close(): void;
};

/** Options of {@link openStateStore}. */
export interface OpenStateStoreOptions {
  /** How `better-sqlite3` is loaded (tests inject a failing loader); default: a dynamic import. */
  loadSqlite?: (() => Promise<unknown>) | undefined;
}

const loadBetterSqlite = (): Promise<unknown> => import('better-sqlite3');

/**
 * Open (or create) an SQLite state database with better-sqlite3, loaded only when called so it stays off the
 * CLI's start-up path. `better-sqlite3` is an optional peer dependency of `@svm/audit` (the CLI installs it):
 * without it this throws `UNSUPPORTED` naming the package to install. Rows are kept in recency order, so the analyzer's caps still drop the stalest entries.
 * Accessors are HMAC'd values already; nothing secret is stored.
 *
 * @example
 * ```ts
 * const store = await openStateStore('audit-state.db');
 * const analyzer = new AuditAnalyzer({ baseline: store.load() });
 * // … analyse …
 * store.save(analyzer.snapshot());
 * store.close();
 * ```
 */
export async function openStateStore(file: string, options: OpenStateStoreOptions = {}): Promise<StateStore> {
  let mod: { default: new (f: string) => Db };
  try {
    mod = (await (options.loadSqlite ?? loadBetterSqlite)()) as { default: new (f: string) => Db };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new SvmError(
      'UNSUPPORTED',
      "the audit state database (--state) needs the optional package 'better-sqlite3': npm install better-sqlite3",
      {
        file,
        cause: { code },
      },
    );
  }
  let db: Db;
  try {
    db = new mod.default(file);
    db.pragma('journal_mode = WAL');
    db.exec(SCHEMA);
    const v = db.prepare('SELECT value FROM meta WHERE key = ?').get('schema') as { value: string } | undefined;
    if (!v) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema', '1');
    else if (v.value !== '1') throw new Error(`unsupported state schema ${v.value}`);
  } catch (cause) {
    throw new SvmError('INPUT_INVALID', `${file} is not an svm audit state database (${(cause as Error).message})`, {
      file,
      cause,
    });
  }
  return {
    load() {
      const ids = db
        .prepare('SELECT identity, first_ms, events, networks FROM identities ORDER BY rowid')
        .all() as Array<{ identity: string; first_ms: number; events: number; networks: string }>;
      const rates = db.prepare('SELECT key, hour, count, ewma, hours FROM rates ORDER BY rowid').all() as Array<{
        key: string;
        hour: number;
        count: number;
        ewma: number;
        hours: number;
      }>;
      const acc = db.prepare('SELECT accessor, auth_method, identity FROM accessors ORDER BY rowid').all() as Array<{
        accessor: string;
        auth_method: string;
        identity: string;
      }>;
      const learned = db.prepare('SELECT value FROM meta WHERE key = ?').get('learned_until') as
        | { value: string }
        | undefined;
      if (ids.length === 0 && rates.length === 0 && acc.length === 0 && !learned) return undefined;
      return {
        version: 1,
        ...(learned && Number.isFinite(Number(learned.value)) ? { learnedUntil: Number(learned.value) } : {}),
        identities: ids.map((r) => [
          r.identity,
          { firstMs: r.first_ms, events: r.events, networks: JSON.parse(r.networks) as string[] },
        ]),
        rates: rates.map((r) => [r.key, { hour: r.hour, count: r.count, ewma: r.ewma, hours: r.hours }]),
        accessors: acc.map((r) => [r.accessor, { authMethod: r.auth_method, identity: r.identity }]),
      };
    },
    objectsRead(streamUrl) {
      const rows = db.prepare('SELECT key FROM objects_read WHERE stream = ?').all(streamUrl) as Array<{ key: string }>;
      return new Set(rows.map((r) => r.key));
    },
    save(s, objects) {
      const insId = db.prepare('INSERT INTO identities (identity, first_ms, events, networks) VALUES (?, ?, ?, ?)');
      const insRate = db.prepare('INSERT INTO rates (key, hour, count, ewma, hours) VALUES (?, ?, ?, ?, ?)');
      const insAcc = db.prepare('INSERT INTO accessors (accessor, auth_method, identity) VALUES (?, ?, ?)');
      db.transaction(() => {
        db.exec('DELETE FROM identities; DELETE FROM rates; DELETE FROM accessors;');
        for (const [k, v] of s.identities) insId.run(k, v.firstMs, v.events, JSON.stringify(v.networks));
        for (const [k, v] of s.rates) insRate.run(k, v.hour, v.count, v.ewma, v.hours);
        for (const [k, v] of s.accessors) insAcc.run(k, v.authMethod, v.identity);
        if (objects) saveCursor(db, objects.cursor);
        // The latest event learned, so a later run with a window does not learn the same events twice.
        if (s.learnedUntil !== undefined)
          db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
            'learned_until',
            String(s.learnedUntil),
          );
      })();
    },
    close() {
      db.close();
    },
  };
}

/** Add the keys read, then keep per stream only what the next listing needs (see `ObjectCursorTracker`). */
function saveCursor(db: Db, cursor: readonly ObjectCursorEntry[]): void {
  const ins = db.prepare('INSERT OR REPLACE INTO objects_read (stream, key, end_ms) VALUES (?, ?, ?)');
  const streams = new Set<string>();
  for (const e of cursor) {
    ins.run(e.stream, e.key, e.endMs);
    streams.add(e.stream);
  }
  const maxEnd = db.prepare('SELECT MAX(end_ms) AS m, MAX(key) AS k FROM objects_read WHERE stream = ?');
  const prune = db.prepare('DELETE FROM objects_read WHERE stream = ? AND key <> ? AND (end_ms IS NULL OR end_ms < ?)');
  for (const stream of streams) {
    const r = maxEnd.get(stream) as { m: number | null; k: string };
    prune.run(stream, r.k, r.m === null ? Number.POSITIVE_INFINITY : r.m - CURSOR_LOOKBACK_MS);
  }
}
