import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChunkRequest, ChunkResult } from './protocol.js';

/** URL of this module, whether it runs from src (.ts), the ESM build or the CJS build. */
function selfUrl(): string {
  // tsup's shims give the CJS build an import.meta.url; vitest and Node give it to src and ESM.
  return import.meta.url;
}

/**
 * Start one parse worker. From the builds it loads `parse-worker.js`/`.cjs` beside the bundle; from src
 * (tests, tsx) it loads `parse-worker.ts` through tsx's loader, registered inside the worker.
 */
/**
 * A parse worker only turns 1 MiB chunks into events: a small young generation (V8 defaults to up to 48 MiB
 * per isolate) keeps the process under its memory bound with several workers, at no measurable cost.
 */
const WORKER_LIMITS = { resourceLimits: { maxYoungGenerationSizeMb: 12 } };

export function startParseWorker(): Worker {
  const here = selfUrl();
  if (here.endsWith('.ts')) {
    const target = new URL('./parse-worker.ts', here).href;
    const req = createRequire(fileURLToPath(here));
    const api = pathToFileURL(req.resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
    return new Worker(
      `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`,
      { eval: true, ...WORKER_LIMITS },
    );
  }
  const ext = here.endsWith('.cjs') ? '.cjs' : '.js';
  return new Worker(new URL(`./parse-worker${ext}`, here), WORKER_LIMITS);
}

/**
 * A small pool of parse workers fed in round-robin, with results handed back strictly in `seq` order.
 * At most `maxInFlight` chunks are outstanding, which bounds memory.
 */
export class ParsePool {
  private readonly workers: Worker[];
  private next = 0;
  private inFlight = 0;
  private readonly done = new Map<number, ChunkResult>();
  private waiters: Array<() => void> = [];
  private failure: Error | undefined;

  constructor(
    size: number,
    readonly maxInFlight = size * 2,
  ) {
    this.workers = Array.from({ length: size }, () => {
      const w = startParseWorker();
      w.on('message', (r: ChunkResult) => {
        this.done.set(r.seq, r);
        this.inFlight--;
        this.wake();
      });
      w.on('error', (e) => {
        this.failure = e;
        this.wake();
      });
      return w;
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private wait(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }

  /** Send a chunk (its buffer is transferred); waits while too many are in flight. */
  async submit(req: ChunkRequest): Promise<void> {
    while (this.inFlight >= this.maxInFlight) {
      if (this.failure) throw this.failure;
      await this.wait();
    }
    this.inFlight++;
    const w = this.workers[this.next++ % this.workers.length] as Worker;
    w.postMessage(req, [req.buf]);
  }

  /** As many chunks are in flight as allowed (each worker has one in work and one queued): a submit would wait. */
  saturated(): boolean {
    return this.inFlight >= this.maxInFlight;
  }

  /** Take the result with this seq if it is ready. */
  take(seq: number): ChunkResult | undefined {
    const r = this.done.get(seq);
    if (r) this.done.delete(seq);
    return r;
  }

  /** Wait until the result with this seq is ready. */
  async result(seq: number): Promise<ChunkResult> {
    for (;;) {
      if (this.failure) throw this.failure;
      const r = this.take(seq);
      if (r) return r;
      await this.wait();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
