import { Readable } from 'node:stream';
import { SvmError } from '@svm/core';
import type { InputFile } from '../stream/inputs.js';
import { type ListStats, listLogObjects } from './list.js';
import { type ObjectStore, type OpenObjectStoreOptions, objectStoreError, openObjectStore } from './stores.js';
import { type ObjectUrl, objectUrlOf, parseObjectUrl } from './url.js';

/**
 * How far back (in key time) the cursor remembers the keys it read, to catch files delivered late.
 *
 * @example
 * ```ts
 * CURSOR_LOOKBACK_MS; // 7_200_000 (2 hours)
 * ```
 */
export const CURSOR_LOOKBACK_MS = 2 * 3_600_000;

/** Keys read in one stream that the cursor keeps (see {@link ObjectCursorTracker}). */
export interface ObjectCursorEntry {
  /** The stream's URL, e.g. `s3://bucket/AWSLogs/123456789012/CloudTrail/eu-west-1/`. */
  stream: string;
  key: string;
  /** End of the key's time span (ms), or null when the key carries no time. */
  endMs: number | null;
}

/** Options for reading object-storage inputs (part of `AnalyzeFilesOptions`). */
export interface ObjectReadOptions {
  /** Skip objects whose key says their records are all before this (ms since the epoch, or an ISO instant). */
  since?: number | string | undefined;
  /** Skip objects whose key says their records are all after this. */
  until?: number | string | undefined;
  /** Keys already read per stream URL (from `StateStore.objectsRead`): only newer objects are read. */
  seen?: ((streamUrl: string) => ReadonlySet<string> | undefined) | undefined;
  /** Objects downloaded ahead of the one being analysed (default 16; CloudTrail files are small and each GET waits on the network). */
  objectConcurrency?: number | undefined;
  /** Bytes held by downloads ahead (default 64 MiB); a larger object is streamed when its turn comes. */
  prefetchBytes?: number | undefined;
  /** How each store is opened (tests inject SDK loaders or a store). */
  openStore?: ((url: ObjectUrl) => Promise<ObjectStore>) | undefined;
  /** SDK loaders for the default `openStore`. */
  sdk?: OpenObjectStoreOptions | undefined;
}

/** Counts of an object-storage read, in `AnalyzeFilesResult.objects`. */
export interface ObjectReadStats extends ListStats {
  /** Objects read (downloaded and analysed). */
  read: number;
  /** Bytes downloaded (as stored: compressed bytes for gzip). */
  bytes: number;
}

/**
 * Keeps, per stream, the keys to remember after a run: every key whose time span ends within
 * {@link CURSOR_LOOKBACK_MS} of the newest one (so a file delivered late, sorting before the newest key, is still
 * read next time) and the greatest key; without key times, only the greatest key.
 *
 * @example
 * ```ts
 * const t = new ObjectCursorTracker();
 * t.record('s3://b/AWSLogs/1/CloudTrail/eu-west-1/', key, endMs);
 * store.save(snapshot, { objects: t.entries() });
 * ```
 */
export class ObjectCursorTracker {
  private readonly streams = new Map<string, { maxEnd: number; keys: Map<string, number | null> }>();

  record(stream: string, key: string, endMs: number | undefined): void {
    let s = this.streams.get(stream);
    if (!s) {
      s = { maxEnd: Number.NEGATIVE_INFINITY, keys: new Map() };
      this.streams.set(stream, s);
    }
    s.keys.set(key, endMs ?? null);
    if (endMs !== undefined && endMs > s.maxEnd) s.maxEnd = endMs;
    if (s.keys.size > 256) this.prune(s);
  }

  private prune(s: { maxEnd: number; keys: Map<string, number | null> }): void {
    let greatest = '';
    for (const k of s.keys.keys()) if (k > greatest) greatest = k;
    for (const [k, end] of s.keys)
      if (k !== greatest && (end === null || end < s.maxEnd - CURSOR_LOOKBACK_MS)) s.keys.delete(k);
  }

  /** The keys to keep, per stream. */
  entries(): ObjectCursorEntry[] {
    const out: ObjectCursorEntry[] = [];
    for (const [stream, s] of this.streams) {
      this.prune(s);
      for (const [key, endMs] of s.keys) out.push({ stream, key, endMs });
    }
    return out;
  }
}

function toMs(v: number | string | undefined, flag: string): number | undefined {
  if (v === undefined || typeof v === 'number') return v;
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw new SvmError('USAGE', `${flag}: expected an ISO instant, got '${v}'`);
  return ms;
}

async function readAll(body: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}

/**
 * The objects under an object-storage URL as analysis inputs, in feed order (see `listLogObjects`), each
 * downloaded ahead with bounded concurrency and bounded bytes. Each input's `done()` records it for the cursor.
 *
 * @example
 * ```ts
 * const stats = { listed: 0, outsideWindow: 0, alreadyRead: 0, read: 0, bytes: 0 };
 * for await (const input of objectInputs('s3://trail/AWSLogs/', {}, stats, new ObjectCursorTracker())) console.log(input.name);
 * ```
 */
export async function* objectInputs(
  urlText: string,
  options: ObjectReadOptions,
  stats: ObjectReadStats,
  tracker: ObjectCursorTracker,
): AsyncGenerator<InputFile> {
  const url = parseObjectUrl(urlText);
  const store = await (options.openStore ?? ((u) => openObjectStore(u, options.sdk)))(url);
  const since = toMs(options.since, '--since');
  const until = toMs(options.until, '--until');
  const streamUrl = (stream: string) => objectUrlOf(url, stream);
  const listing = listLogObjects(store, url.prefix, {
    since,
    until,
    seen: options.seen ? (stream) => options.seen?.(streamUrl(stream)) : undefined,
    stats,
  });
  const concurrency = Math.max(1, options.objectConcurrency ?? 16);
  const budget = options.prefetchBytes ?? 64 * 1024 * 1024;
  type Ahead = {
    key: string;
    size: number;
    stream: string;
    endMs: number | undefined;
    body: () => Promise<Readable>;
    held: number;
  };
  const queue: Ahead[] = [];
  let held = 0;
  let exhausted = false;
  let next: IteratorResult<Awaited<ReturnType<typeof listing.next>>['value']> | undefined;
  const fetchBuffered = (key: string): Promise<Buffer> => {
    const p = store.get(key).then(readAll);
    p.catch(() => undefined); // awaited when its turn comes; no unhandled rejection meanwhile
    return p;
  };
  const fill = async () => {
    while (!exhausted && queue.length < concurrency) {
      next ??= await listing.next();
      if (next.done) {
        exhausted = true;
        return;
      }
      const o = next.value;
      const small = o.size <= budget / concurrency;
      if (small && queue.length > 0 && held + o.size > budget) return;
      next = undefined;
      const ahead: Ahead = {
        key: o.key,
        size: o.size,
        stream: o.stream,
        endMs: o.range?.endMs,
        held: small ? o.size : 0,
        body: () => store.get(o.key),
      };
      if (small) {
        const buf = fetchBuffered(o.key);
        ahead.body = async () => Readable.from([await buf]);
        held += o.size;
      }
      queue.push(ahead);
    }
  };
  const listedBefore = stats.listed;
  for (;;) {
    await fill();
    const a = queue.shift();
    if (!a) break;
    held -= a.held;
    const name = objectUrlOf(url, a.key);
    yield {
      name,
      path: undefined,
      size: a.size,
      open: async () => {
        try {
          return await a.body();
        } catch (error) {
          throw objectStoreError(error, name);
        }
      },
      done: () => {
        stats.read++;
        stats.bytes += a.size;
        // An object that may hold events at or after --until had those events skipped by the analyzer's window:
        // it is not remembered as read, so a later run without that bound reads it again instead of losing them.
        if (until === undefined || a.endMs === undefined || a.endMs < until)
          tracker.record(streamUrl(a.stream), a.key, a.endMs);
      },
    };
  }
  if (stats.listed === listedBefore)
    throw new SvmError('FILE_NOT_FOUND', 'no objects under this prefix', { file: urlText });
}
