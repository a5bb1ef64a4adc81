import { SvmError } from '@svm/core';
import {
  CLOUDTRAIL_DELIVERY_SLACK_MS,
  CLOUDTRAIL_STREAM,
  dayFolders,
  keyInWindow,
  logKeyRange,
  logStreamOf,
  type LogKeyRange,
} from './keys.js';
import type { ObjectStore } from './stores.js';

/** One log object to read, in feed order. */
export interface LogObject {
  key: string;
  size: number;
  /** The folder its key sorts in time order within (the `--state` cursor's unit), e.g. one CloudTrail region. */
  stream: string;
  range: LogKeyRange | undefined;
}

/** Options of {@link listLogObjects}. */
export interface ListLogObjectsOptions {
  /** Skip objects whose key says all their records are older than this (ms since the epoch). */
  since?: number | undefined;
  /** Skip objects whose key says all their records are newer than this. */
  until?: number | undefined;
  /** Keys already read per stream (from the `--state` cursor): only keys after the least of them, and not in it, are new. */
  seen?: ((stream: string) => ReadonlySet<string> | undefined) | undefined;
  /** Counts, updated as the listing goes (for progress and the "0 objects read" proof). */
  stats?: ListStats | undefined;
}

/** What a listing saw. */
export interface ListStats {
  /** Objects listed under the prefix (digests and folder markers excluded). */
  listed: number;
  /** Of those, skipped because their key is outside `since`/`until`. */
  outsideWindow: number;
  /** Of those, skipped because the `--state` cursor says they were read before. */
  alreadyRead: number;
}

interface Stream {
  /** Folder prefix. */
  prefix: string;
  /** The user's prefix below the folder (e.g. `2026/03/`), '' for all. */
  sub: string;
  /** True for a CloudTrail region folder: keys sort by time, `YYYY/MM/DD/` folders below. */
  cloudTrail: boolean;
  /** Only the objects directly in the folder (the folders below are streams of their own). */
  shallow?: boolean;
}

const AFTER_AWSLOGS = /^(?:o-[a-z0-9]+\/)?(?:\d{12}\/(?:CloudTrail\/)?)?$/;

function isDigestOrFolder(key: string): boolean {
  return key.endsWith('/') || /(?:^|\/)CloudTrail-Digest\//.test(key);
}

const YEAR_FOLDER = /(?:^|\/)(?:\d{4}|y=\d{4})\/$/;
const IN_DATES = /(?:^|\/)(?:\d{4}|y=\d{4})\//;

/**
 * Find the folders to list under a prefix, walking folders with a `/` delimiter: every CloudTrail region folder
 * (`AWSLogs/[o-org/]<account>/CloudTrail/<region>/`; other services' folders under `AWSLogs/` are never listed),
 * and every other folder whose children are year folders (`2026/`, `y=2026/`: GCP sinks, Azure diagnostic
 * settings). A prefix already inside the date folders is one listing.
 */
async function discover(store: ObjectStore, prefix: string, depth = 0): Promise<Stream[]> {
  const ct = CLOUDTRAIL_STREAM.exec(prefix);
  if (ct) return [{ prefix: ct[1] as string, sub: prefix.slice((ct[1] as string).length), cloudTrail: true }];
  const flat: Stream[] = [{ prefix, sub: '', cloudTrail: false }];
  const at = prefix.lastIndexOf('AWSLogs/');
  if (at >= 0 && !AFTER_AWSLOGS.test(prefix.slice(at + 8).replace(/[^/]*$/, ''))) return flat;
  if (IN_DATES.test(prefix) || depth > 12) return flat;
  const children: string[] = [];
  let looseObjects = false;
  for await (const page of store.list(prefix, { delimiter: '/' })) {
    children.push(...page.prefixes);
    if (page.objects.some((o) => !isDigestOrFolder(o.key))) looseObjects = true;
  }
  if (children.some((c) => YEAR_FOLDER.test(c))) return flat;
  const out: Stream[] = [];
  for (const c of children) {
    if (CLOUDTRAIL_STREAM.exec(c)?.[1] === c) out.push({ prefix: c, sub: '', cloudTrail: true });
    else if (c.includes('AWSLogs/')) {
      // Under AWSLogs/ only the way to CloudTrail/ (not CloudTrail-Digest/, vpcflowlogs/, elasticloadbalancing/…).
      if (AFTER_AWSLOGS.test(c.slice(c.lastIndexOf('AWSLogs/') + 8)))
        out.push(...(await discover(store, c, depth + 1)));
    } else out.push(...(await discover(store, c, depth + 1)));
  }
  // Objects lying at this level, beside the folders: read too (this level only).
  if (looseObjects) out.push({ prefix, sub: '', cloudTrail: false, shallow: true });
  return out;
}

/** One stream's listing, lazily, in the store's key order, pruned by window and cursor. */
async function* listStream(store: ObjectStore, s: Stream, options: ListLogObjectsOptions): AsyncGenerator<LogObject> {
  const stats = options.stats;
  const { since, until } = options;
  // The cursor: keys read before, per stream; new keys sort after the least of them and are not among them.
  const seenFor = (stream: string) => {
    const seen = options.seen?.(stream);
    if (!seen || seen.size === 0) return undefined;
    let floor: string | undefined;
    for (const k of seen) if (floor === undefined || k < floor) floor = k;
    return { seen, floor: floor as string };
  };
  const cursors = new Map<string, ReturnType<typeof seenFor>>();
  const accept = (key: string, size: number): LogObject | undefined => {
    if (isDigestOrFolder(key)) return undefined;
    if (stats) stats.listed++;
    const range = logKeyRange(key);
    if (!keyInWindow(range, { since, until })) {
      if (stats) stats.outsideWindow++;
      return undefined;
    }
    const stream = s.cloudTrail ? s.prefix : logStreamOf(key);
    if (!cursors.has(stream)) cursors.set(stream, seenFor(stream));
    const c = cursors.get(stream);
    if (c && (key <= c.floor || c.seen.has(key))) {
      if (stats) stats.alreadyRead++;
      return undefined;
    }
    return { key, size, stream, range };
  };
  const listings: Array<{ prefix: string; startAfter?: string | undefined }> = [];
  if (s.cloudTrail) {
    const c = seenFor(s.prefix);
    // A file stamped up to an hour after `until` may still hold records from before it.
    const days =
      since !== undefined && until !== undefined ? dayFolders(since, until + CLOUDTRAIL_DELIVERY_SLACK_MS) : undefined;
    if (days) {
      for (const d of days) {
        if (!(d.startsWith(s.sub) || s.sub.startsWith(d))) continue;
        listings.push({ prefix: s.prefix + (s.sub.length > d.length ? s.sub : d), startAfter: c?.floor });
      }
    } else {
      let startAfter = c?.floor;
      if (since !== undefined) {
        const first = (dayFolders(since, since) as string[])[0] as string;
        const fromSince = s.prefix + first;
        if (startAfter === undefined || fromSince > startAfter) startAfter = fromSince;
      }
      listings.push({ prefix: s.prefix + s.sub, startAfter });
    }
  } else {
    // A folder above year folders is one stream too (GCP sinks, Azure diagnostic settings): start at its cursor.
    listings.push({ prefix: s.prefix, startAfter: s.shallow ? undefined : seenFor(s.prefix)?.floor });
  }
  const lastDay =
    s.cloudTrail && until !== undefined
      ? (dayFolders(until + CLOUDTRAIL_DELIVERY_SLACK_MS, until + CLOUDTRAIL_DELIVERY_SLACK_MS) as string[])[0]
      : undefined;
  for (const l of listings) {
    for await (const page of store.list(l.prefix, {
      startAfter: l.startAfter,
      ...(s.shallow ? { delimiter: '/' } : {}),
    })) {
      for (const o of page.objects) {
        // Keys sort by day in a CloudTrail folder: past `until`'s day, nothing more can match.
        if (lastDay !== undefined && o.key.slice(s.prefix.length, s.prefix.length + 11) > lastDay) return;
        const lo = accept(o.key, o.size);
        if (lo) yield lo;
      }
    }
  }
}

/** A binary min-heap (hand-written: 30 lines; the queue libraries on npm add a dependency for this). */
class Heap<T> {
  private readonly a: T[] = [];
  constructor(private readonly less: (x: T, y: T) => boolean) {}
  get size(): number {
    return this.a.length;
  }
  push(v: T): void {
    const a = this.a;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i] as T, a[p] as T)) break;
      [a[i], a[p]] = [a[p] as T, a[i] as T];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l] as T, a[m] as T)) m = l;
        if (r < a.length && this.less(a[r] as T, a[m] as T)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as T, a[i] as T];
        i = m;
      }
    }
    return top;
  }
}

function before(x: LogObject, y: LogObject): boolean {
  const ex = x.range?.endMs ?? Number.NEGATIVE_INFINITY;
  const ey = y.range?.endMs ?? Number.NEGATIVE_INFINITY;
  return ex !== ey ? ex < ey : x.key < y.key;
}

/**
 * List the log objects under a prefix in the order the detectors read them, lazily and in bounded memory (one
 * listing page per folder). CloudTrail region folders are found by walking `AWSLogs/`; with `since` and `until`
 * only the `YYYY/MM/DD/` folders in the window are listed (with `since` alone, the listing starts at its day);
 * with a cursor (`seen`), each folder's listing starts after the keys read before.
 *
 * Merge order: each folder is listed in key order, which is time order within a CloudTrail region folder (the
 * file name carries its delivery stamp); the folders are merged by the end of each key's time span, then by
 * key, so the files of all regions and accounts interleave by delivery time. Keys without a time come first,
 * by key. Records inside one object keep their order.
 *
 * @example
 * ```ts
 * const store = await openObjectStore(parseObjectUrl('s3://trail-bucket/AWSLogs/'));
 * for await (const o of listLogObjects(store, 'AWSLogs/', { since: Date.parse('2026-03-20T00:00:00Z') })) console.log(o.key);
 * ```
 */
export async function* listLogObjects(
  store: ObjectStore,
  prefix: string,
  options: ListLogObjectsOptions = {},
): AsyncGenerator<LogObject> {
  if (options.since !== undefined && options.until !== undefined && options.until < options.since)
    throw new SvmError('USAGE', '--until is before --since');
  const streams = await discover(store, prefix);
  const heap = new Heap<{ head: LogObject; it: AsyncGenerator<LogObject> }>((x, y) => before(x.head, y.head));
  for (const s of streams) {
    const it = listStream(store, s, options);
    const first = await it.next();
    if (!first.done) heap.push({ head: first.value, it });
  }
  while (heap.size > 0) {
    const top = heap.pop() as { head: LogObject; it: AsyncGenerator<LogObject> };
    yield top.head;
    const next = await top.it.next();
    if (!next.done) heap.push({ head: next.value, it: top.it });
  }
}
