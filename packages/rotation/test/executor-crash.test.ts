// Crash safety of the dual-account executor on the real PostgreSQL server: a child process rotating an item is
// SIGKILLed at a random journal entry (plus a random delay, so kills also land inside steps), then `resume` runs.
// After every trial: no rotation in flight, the store's current credential logs in, and both accounts still have
// a stored password that works (current and previous). CI runs SVM_CRASH_TRIALS (default 24) with a fixed seed;
// the full proof is `SVM_CRASH_TRIALS=200 pnpm exec vitest run --project rotation executor-crash`.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFileJournal, openRunOf, rotate } from '../src/index.js';
import { canLogin, type DualAccountFixture, dualAccountFixture, postgres } from './executor-fixtures.js';

const TRIALS = Number(process.env.SVM_CRASH_TRIALS ?? 24);
const SEED = Number(process.env.SVM_CRASH_SEED ?? 20261205);
const ENTRIES_PER_RUN = 10; // begin, 4 × (before, after), end

let child = '';
let f: DualAccountFixture | undefined;

beforeAll(async () => {
  if (!postgres) return;
  const out = mkdtempSync(join(tmpdir(), 'svm-crash-child-'));
  child = join(out, 'crash-child.cjs');
  // One bundled file starts in ~0.1 s instead of ~1.5 s through tsx: that is what lets 200 trials fit.
  await build({
    entryPoints: [join(import.meta.dirname, 'crash-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: child,
    conditions: ['@svm/source'],
    external: ['pg-native', '@aws-sdk/*', '@google-cloud/*', '@azure/*', '@grpc/*', 'node-vault'],
    logLevel: 'error',
  });
  f = await dualAccountFixture(postgres, { grace: '0s' });
});

afterAll(async () => {
  await f?.cleanup();
});

/** Run the child; SIGKILL it right after journal entry `killAt` (1-based) plus `delayMs`. Resolves with what it printed. */
function runChild(
  fx: DualAccountFixture,
  journalPath: string,
  killAt: number,
  delayMs: number,
): Promise<{ lines: string[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, fx.storeUri, fx.keyFile, journalPath, JSON.stringify(fx.item)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let entries = 0;
    let killed = false;
    let buffer = '';
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    p.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (line === 'ready' || line.startsWith('outcome')) continue;
        entries++;
        if (entries === killAt && !killed) {
          killed = true;
          if (delayMs === 0) p.kill('SIGKILL');
          else setTimeout(() => p.kill('SIGKILL'), delayMs);
        }
      }
    });
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child exited ${code}: ${stderr.slice(0, 500)}`));
      else resolve({ lines, killed: signal === 'SIGKILL' });
    });
  });
}

interface Creds {
  username: string;
  password: string;
}

describe.skipIf(!postgres)('crash safety: SIGKILL at a random step, then resume (real PostgreSQL)', () => {
  it(`${TRIALS} trials (seed ${SEED}): current works, ≤ 1 run in flight, no credential lost`, async () => {
    const fx = f!;
    const journalPath = join(fx.dir, 'secrets.svm.rotation-journal.jsonl');
    const journal = await openFileJournal(journalPath);
    // Start from a state where both accounts have a stored password.
    expect((await rotate(fx.item, { store: fx.store, journal }))?.outcome).toBe('rotated');
    const stats = {
      trials: 0,
      killed: 0,
      resumedRotated: 0,
      resumedRolledBack: 0,
      nothingOpen: 0,
      byKillPoint: {} as Record<string, number>,
    };

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: ENTRIES_PER_RUN }),
        fc.integer({ min: 0, max: 40 }),
        async (killAt, delayMs) => {
          stats.trials++;
          const { killed } = await runChild(fx, journalPath, killAt, delayMs);
          if (killed) stats.killed++;
          // At most one rotation of the item is in flight.
          const entries = await journal.entries(fx.item.id);
          const ended = new Set(entries.filter((e) => e.kind === 'end').map((e) => e.runId));
          const open = new Set(entries.filter((e) => !ended.has(e.runId)).map((e) => e.runId));
          expect(open.size).toBeLessThanOrEqual(1);
          const point = openRunOf(entries)?.at(-1);
          const key = point ? `${point.kind}:${point.step ?? ''}` : 'none-open';
          stats.byKillPoint[key] = (stats.byKillPoint[key] ?? 0) + 1;

          const resumed = await rotate(fx.item, { store: fx.store, journal, resumeOnly: true });
          if (resumed === undefined) stats.nothingOpen++;
          else if (resumed.outcome === 'rotated') stats.resumedRotated++;
          else if (resumed.outcome === 'rolled-back') stats.resumedRolledBack++;
          else throw new Error(`resume ended ${resumed.outcome}: ${resumed.message}`);
          expect(await journal.openItems()).toEqual([]);

          const current = await fx.store.get(fx.secret);
          const previous = await fx.store.get(fx.secret, { stage: 'previous' });
          const c = JSON.parse(current.value) as Creds;
          const p = JSON.parse(previous.value) as Creds;
          expect(new Set([c.username, p.username])).toEqual(new Set(fx.roles));
          expect(await canLogin(postgres!, c.username, c.password)).toBe(true);
          expect(await canLogin(postgres!, p.username, p.password)).toBe(true);
        },
      ),
      { numRuns: TRIALS, seed: SEED, endOnFailure: true, verbose: 1 },
    );
    console.info(`[crash-safety] ${JSON.stringify(stats)}`);
    expect(stats.trials).toBe(TRIALS);
  }, 900_000);
});
