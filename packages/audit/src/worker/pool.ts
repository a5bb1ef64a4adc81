import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { ChunkRequest, ChunkResult } from './protocol.js';

/** URL of this module, whether it runs from src (.ts), the ESM build or the CJS build. */
function selfUrl(): string {
  // tsup's shims give the CJS build an import.meta.url; vitest and Node give it to src and ESM.
  return import.meta.url;
}

/**
 * A parse worker only turns 1 MiB chunks into events. Its young generation (V8 defaults to up to 48 MiB per
 * isolate) is what most of its memory goes to: the workers share 24 MiB (at least 8 each), which keeps the
 * process under its memory bound (300 MB on 2 cores) and costs fewer collections than less.
 */
function workerLimits(workers: number) {
  return { resourceLimits: { maxYoungGenerationSizeMb: Math.max(8, Math.floor(24 / workers)) } };
}

/**
 * Start one parse worker (one of `workers`). From the builds it loads `parse-worker.js`/`.cjs` beside the
 * bundle; from src (tests, tsx) it loads `parse-worker.ts` through tsx's loader, registered inside the worker.
 */
export function startParseWorker(workers = 1): Worker {
  const here = selfUrl();
  if (here.endsWith('.ts')) {
    const target = new URL('./parse-worker.ts', here).href;
    const req = createRequire(fileURLToPath(here));
    const api = pathToFileURL(req.resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
    return new Worker(
      `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`,
      { eval: true, ...workerLimits(workers) },
    );
  }
  const ext = here.endsWith('.cjs') ? '.cjs' : '.js';
  return new Worker(new URL(`./parse-worker${ext}`, here), workerLimits(workers));
}

/**
 * A small pool of parse workers fed in round-robin, with results handed back strictly in `seq` order.
 * At most `maxInFlight` chunks are outstanding, which bounds memory. Results come back on a port of their own,
 * which {@link take} and {@link saturated} also read synchronously: a caller busy parsing and analysing (not
 * yielding to the event loop) still sees finished chunks and feeds the workers, so they do not sit idle.
 */
export class ParsePool {
  private readonly workers: Worker[];
  private readonly ports: MessagePort[] = [];
  private next = 0;
  private inFlight = 0;
  private readonly done = new Map<number, ChunkResult>();
  /** Chunk buffers the workers handed back, to copy the next chunks into (fresh memory costs page faults). */
  private readonly free: ArrayBuffer[] = [];
  private waiters: Array<() => void> = [];
  private failure: Error | undefined;

  constructor(
    size: number,
    /** New chunk buffers are at least this big (so they can be filled again). */
    private readonly bufferBytes = 0,
    /**
     * Eight chunks per worker (1 MiB each): one in work and seven queued, enough that a worker is never left
     * idle while the calling thread parses and analyses between two submits.
     */
    readonly maxInFlight = size * 8,
  ) {
    this.workers = Array.from({ length: size }, () => {
      const w = startParseWorker(size);
      const { port1, port2 } = new MessageChannel();
      w.postMessage({ results: port2 }, [port2]);
      port1.on('message', (r: ChunkResult) => this.received(r));
      this.ports.push(port1);
      w.on('error', (e) => {
        this.failure = e;
        this.wake();
      });
      return w;
    });
  }

  private received(r: ChunkResult): void {
    if (this.free.length <= this.maxInFlight) this.free.push(r.buf);
    this.done.set(r.seq, r);
    this.inFlight--;
    this.wake();
  }

  /** Take in the results already posted, without waiting for the event loop. */
  private poll(): void {
    for (const port of this.ports)
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port))
        this.received(m.message as ChunkResult);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private wait(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }

  /**
   * A buffer of `bytes` bytes to copy a chunk into: a view of one the workers handed back when one is big enough
   * (chunks are about the same size), else new.
   */
  buffer(bytes: number): Buffer {
    this.poll();
    for (;;) {
      const ab = this.free.pop();
      if (ab === undefined) break;
      if (ab.byteLength >= bytes) return Buffer.from(ab, 0, bytes);
    }
    return Buffer.from(new ArrayBuffer(Math.max(bytes, this.bufferBytes)), 0, bytes);
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

  /** As many chunks are in flight as allowed (every worker's queue is full): a submit would wait. */
  saturated(): boolean {
    if (this.inFlight >= this.maxInFlight) this.poll();
    return this.inFlight >= this.maxInFlight;
  }

  /** Take the result with this seq if it is ready. */
  take(seq: number): ChunkResult | undefined {
    if (!this.done.has(seq)) this.poll();
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
    for (const port of this.ports) port.close();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
