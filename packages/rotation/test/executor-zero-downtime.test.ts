// Zero downtime of the dual-account strategy on the real PostgreSQL server: while rotations run back to back, a
// load generator keeps opening connections with whatever the store calls `current` (read through withCache, and
// re-read with refresh() on an authentication failure, as an application using the providers' cache does).
// Every connection must succeed. `SVM_ZERO_DOWNTIME_ROTATIONS` (default 100) sets the number of rotations.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, withCache } from '@svm/providers';
import { join } from 'node:path';
import { openFileJournal, rotate } from '../src/index.js';
import { type DualAccountFixture, dualAccountFixture, postgres } from './executor-fixtures.js';

const ROTATIONS = Number(process.env.SVM_ZERO_DOWNTIME_ROTATIONS ?? 100);
const GRACE = '250ms';
let f: DualAccountFixture | undefined;

beforeAll(async () => {
  if (postgres) f = await dualAccountFixture(postgres, { grace: GRACE });
});
afterAll(async () => {
  await f?.cleanup();
});

async function connectOnce(creds: {
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
}): Promise<'ok' | 'auth' | 'other'> {
  const c = new pg.Client({
    host: creds.host,
    port: creds.port,
    database: creds.database,
    user: creds.username,
    password: creds.password,
    connectionTimeoutMillis: 10_000,
  });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('SELECT 1');
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code === '28P01' ? 'auth' : 'other';
  } finally {
    await c.end().catch(() => undefined);
  }
}

describe.skipIf(!postgres)('zero downtime under back-to-back dual-account rotations (real PostgreSQL)', () => {
  it(`${ROTATIONS} rotations, a load generator connecting all along: 0 failed connections`, async () => {
    const fx = f!;
    const journal = await openFileJournal(join(fx.dir, 'journal.jsonl'));
    // The application's own handle on the store, with a long-lived cache: it only re-reads on an auth failure.
    const app = withCache(await openStore(fx.storeUri, { file: { keyFile: fx.keyFile } }), { ttlMs: 3_600_000 });
    const stats = { rotations: 0, waits: 0, connections: 0, reReads: 0, failed: 0, otherErrors: 0 };
    let done = false;

    const loader = async (): Promise<void> => {
      while (!done) {
        const creds = JSON.parse((await app.get(fx.secret)).value);
        let result = await connectOnce(creds);
        if (result === 'auth') {
          stats.reReads++;
          const fresh = JSON.parse((await app.refresh(fx.secret)).value);
          result = await connectOnce(fresh);
        }
        stats.connections++;
        if (result !== 'ok') {
          stats.failed++;
          if (result === 'other') stats.otherErrors++;
        }
      }
    };
    const loaders = [loader(), loader()];
    const started = Date.now();
    try {
      while (stats.rotations < ROTATIONS) {
        const run = await rotate(fx.item, { store: fx.store, journal });
        if (run?.outcome === 'rotated') stats.rotations++;
        else if (run?.outcome === 'waiting') {
          stats.waits++;
          await sleep(Math.max(1, Date.parse(run.notBefore!) - Date.now() + 5));
        } else throw new Error(`rotation ended ${run?.outcome}: ${run?.message}`);
      }
    } finally {
      done = true;
      await Promise.all(loaders);
      await app.close();
    }
    console.info(
      `[zero-downtime] ${JSON.stringify({ ...stats, grace: GRACE, seconds: (Date.now() - started) / 1000 })}`,
    );
    expect(stats.rotations).toBe(ROTATIONS);
    expect(stats.connections).toBeGreaterThan(ROTATIONS);
    expect(stats.reReads).toBeGreaterThan(0);
    expect(stats.failed).toBe(0);
  }, 600_000);
});
