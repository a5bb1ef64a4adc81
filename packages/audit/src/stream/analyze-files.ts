import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { SvmError } from '@svm/core';
import { AuditAnalyzer, type AnalysisResult, type AuditAnalyzerOptions, type BaselineSnapshot } from '../analyzer.js';
import type { AuditEvent } from '@svm/core';
import { parseChunk } from '../internal/parse-chunk.js';
import { parseRecords, type MalformedLine } from '../internal/parse-batch.js';
import type { SourceChoice } from '../sources/detect.js';
import { decodeEvents } from '../worker/event-codec.js';
import { ParsePool } from '../worker/pool.js';
import { gunzipMembers } from './gunzip-members.js';
import { expandInputs, type InputFile } from './inputs.js';
import { isObjectUrl } from '../objstore/url.js';
import {
  ObjectCursorTracker,
  objectInputs,
  type ObjectCursorEntry,
  type ObjectReadOptions,
  type ObjectReadStats,
} from '../objstore/read.js';
import { NewlineChunker } from './newline-chunker.js';

/** Progress of a file analysis, for a progress bar. */
export interface AnalyzeProgress {
  /** Bytes read from disk so far (compressed bytes for .gz). */
  bytes: number;
  /** Total bytes on disk of all inputs (0 when reading stdin; objects in a bucket are not counted ahead). */
  totalBytes: number;
  file: string;
  /** Inputs (files and objects) read to their end so far. */
  inputs: number;
  /** Events analysed so far. */
  events: number;
}

/** Options for {@link analyzeFiles}. */
export interface AnalyzeFilesOptions extends AuditAnalyzerOptions, ObjectReadOptions {
  /** Force a source instead of detecting it per record (default `auto`). */
  source?: SourceChoice;
  /** Resolve relative paths and globs here (default `process.cwd()`). */
  cwd?: string;
  /** Standard input, for the path `-`. */
  stdin?: Readable;
  /** Parse worker threads: 0 parses on the calling thread; default for inputs over 32 MiB: cores − 1 (1–4). */
  workers?: number;
  /**
   * Bytes per parse chunk (default 1 MiB): a chunk's lines are parsed as one batch (a request and its response
   * in different batches are paired later, at more cost), and its strings are made 64 KiB at a time.
   */
  chunkBytes?: number;
  /** Bytes per read from a file (default 4 MiB; at least `chunkBytes`). */
  readBytes?: number;
  /** Largest whole-document input (`{"Records": [...]}`, JSON arrays) read at once (default 512 MiB). */
  maxDocumentBytes?: number;
  onProgress?: (p: AnalyzeProgress) => void;
  signal?: AbortSignal;
}

/** Result of {@link analyzeFiles}: the analysis and the learned state to persist. */
export interface AnalyzeFilesResult {
  result: AnalysisResult;
  snapshot: BaselineSnapshot;
  /** The files read (objects in buckets are counted in `objects`, not listed here). */
  files: string[];
  /** With `s3://`, `gs://` or `azblob://` inputs: what was listed and read, and the cursor to save (`StateStore.save`). */
  objects?: ObjectReadStats & { cursor: ObjectCursorEntry[] };
}

const READ_BYTES = 4 * 1024 * 1024;

const DOC_START = /^\s*(\[|\{\s*"(Records|records)"\s*:)/;

/**
 * Analyse audit logs from files, directories, globs, stdin (`-`) and object storage (`s3://bucket/prefix`,
 * `gs://bucket/prefix`, `azblob://account/container/prefix`: see `listLogObjects` for the order and pruning),
 * gzip or plain, any supported source, streaming with bounded memory. Large inputs are parsed by worker threads;
 * results are identical either way. Files come first, then each URL's objects.
 *
 * @example
 * ```ts
 * const { result } = await analyzeFiles(['/var/log/vault/audit.log'], { offHours: { timeZone: 'Europe/Berlin' } });
 * console.log(result.findings.length);
 * ```
 */
export async function analyzeFiles(
  paths: readonly string[],
  options: AnalyzeFilesOptions = {},
): Promise<AnalyzeFilesResult> {
  const urls = paths.filter(isObjectUrl);
  const localPaths = paths.filter((p) => !isObjectUrl(p));
  const inputs = localPaths.length > 0 ? await expandInputs(localPaths, options.cwd ?? process.cwd()) : [];
  const analyzer = new AuditAnalyzer(options);
  const totalBytes = inputs.reduce((n, f) => n + f.size, 0);
  const source = options.source ?? 'auto';
  const objectStats: ObjectReadStats = { listed: 0, outsideWindow: 0, alreadyRead: 0, read: 0, bytes: 0 };
  const tracker = new ObjectCursorTracker();
  async function* allInputs(): AsyncGenerator<InputFile> {
    yield* inputs;
    for (const url of urls) yield* objectInputs(url, options, objectStats, tracker);
  }
  // The calling thread reads and analyses, so it counts as one busy core: one parse worker per remaining core.
  // Objects in buckets (CloudTrail files are whole documents, parsed on this thread) use none by default.
  const workers =
    options.workers ??
    (totalBytes > 32 * 1024 * 1024 && urls.length === 0 ? Math.min(4, Math.max(1, availableParallelism() - 1)) : 0);
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  const pool = workers > 0 ? new ParsePool(workers, chunkBytes + 64 * 1024) : undefined;
  const progress: AnalyzeProgress = { bytes: 0, totalBytes, file: '', inputs: 0, events: 0 };
  let lastReport = 0;
  let lastReportAt = Date.now();
  const report = (n: number, file: string, inputDone = false) => {
    progress.bytes += n;
    progress.file = file;
    if (inputDone) progress.inputs++;
    if (!options.onProgress) return;
    // Every 8 MiB, and for many small inputs (objects in a bucket) at most once a second.
    const now = Date.now();
    if (progress.bytes - lastReport >= 8 * 1024 * 1024 || (inputDone && now - lastReportAt >= 1000)) {
      lastReport = progress.bytes;
      lastReportAt = now;
      progress.events = analyzer.eventsSoFar;
      options.onProgress({ ...progress });
    }
  };
  try {
    let seq = 0;
    let nextToApply = 0;
    const meta = new Map<number, { file: string; first: boolean }>();
    let lineBase = 0;
    const apply = (
      r: { events: AuditEvent[]; malformed: MalformedLine[]; lines: number; lineCount: number },
      first: boolean,
      file: string,
    ) => {
      if (first) lineBase = 0;
      for (const e of r.events) {
        e.file = file;
        if (e.line !== undefined) e.line += lineBase;
      }
      for (const m of r.malformed) m.line += lineBase;
      lineBase += r.lineCount;
      analyzer.addLines(r.lines);
      analyzer.addMalformed(r.malformed);
      analyzer.push(r.events);
    };
    // Chunks parsed on this thread, by seq, until their turn to be applied.
    const parsedHere = new Map<number, ReturnType<typeof parseChunk>>();
    const drain = async (all: boolean) => {
      if (!pool) return;
      for (;;) {
        if (nextToApply >= seq) return;
        const m = meta.get(nextToApply) as { file: string; first: boolean };
        const mine = parsedHere.get(nextToApply);
        if (mine !== undefined) {
          parsedHere.delete(nextToApply);
          meta.delete(nextToApply);
          nextToApply++;
          apply(mine, m.first, m.file);
          continue;
        }
        const r = all ? await pool.result(nextToApply) : pool.take(nextToApply);
        if (!r) return;
        meta.delete(nextToApply);
        nextToApply++;
        apply({ ...r, events: decodeEvents(r.events) }, m.first, m.file);
      }
    };
    for await (const input of allInputs()) {
      options.signal?.throwIfAborted();
      let first = true;
      // Whole lines as read (views of the read buffer, good until the next read is asked for), cut into parse
      // chunks of about chunkBytes. With workers, a chunk goes to a worker (copied into a buffer it can take)
      // unless every worker's queue is full: then this thread parses it rather than wait (on two cores, one
      // worker and this thread share the parsing); results are applied in order.
      const send = async (lines: Buffer) => {
        for (let at = 0; at < lines.length; ) {
          let end = at + chunkBytes >= lines.length ? lines.length : lines.lastIndexOf(10, at + chunkBytes) + 1;
          if (end <= at) end = lines.indexOf(10, at + chunkBytes) + 1 || lines.length;
          const chunk = lines.subarray(at, end);
          at = end;
          if (!pool) apply(parseChunk(chunk, input.name, source), first, input.name);
          else {
            meta.set(seq, { file: input.name, first });
            if (pool.saturated()) parsedHere.set(seq++, parseChunk(chunk, input.name, source));
            else {
              const buf = pool.buffer(chunk.length);
              chunk.copy(buf);
              await pool.submit({
                seq: seq++,
                buf: buf.buffer as ArrayBuffer,
                bytes: chunk.length,
                file: input.name,
                source,
              });
            }
            await drain(false);
          }
          first = false;
        }
      };
      // Files are read 4 MiB at a time, like the baseline loop: the per-read cost of small reads adds up. Every
      // read is cut (and what is kept, copied) before the next is asked for, so the reader reads into the same two
      // buffers again and again: fresh memory costs a page fault per 4 KiB.
      const stream = await openInput(
        input,
        options.stdin,
        Math.max(chunkBytes, options.readBytes ?? READ_BYTES),
        (reason) => analyzer.addInputError({ file: input.name, reason }),
      );
      const chunker = new NewlineChunker({ owned: false });
      let head: Buffer[] | undefined = [];
      let headBytes = 0;
      let docMode = false;
      let doc: Buffer[] = [];
      let docBytes = 0;
      const maxDoc = options.maxDocumentBytes ?? 512 * 1024 * 1024;
      for await (const raw of stream.data) {
        options.signal?.throwIfAborted();
        report(stream.compressed || input.open ? 0 : (raw as Buffer).length, input.name);
        const buf = raw as Buffer;
        if (head) {
          // Decide between NDJSON and a whole document from the first bytes.
          headBytes += buf.length;
          if (headBytes < 256 && buf.length > 0) {
            // Held past this read: a copy (the reader may reuse its buffer).
            head.push(Buffer.from(buf));
            continue;
          }
          head.push(buf);
          const start = Buffer.concat(head).subarray(0, 256).toString('utf8');
          docMode = DOC_START.test(start);
          const held = head;
          head = undefined;
          for (const b of held) {
            if (docMode) {
              doc.push(Buffer.from(b));
              docBytes += b.length;
            } else for (const c of chunker.push(b)) await send(c);
          }
          continue;
        }
        if (docMode) {
          doc.push(Buffer.from(buf));
          docBytes += buf.length;
          if (docBytes > maxDoc)
            throw new SvmError(
              'INPUT_INVALID',
              `document larger than ${maxDoc} bytes; split it or write one JSON record per line`,
              { file: input.name },
            );
        } else for (const c of chunker.push(buf)) await send(c);
      }
      if (stream.compressed || input.open) report(input.size, input.name);
      if (head) {
        const start = Buffer.concat(head).toString('utf8');
        docMode = DOC_START.test(start);
        if (docMode) {
          doc = head;
          docBytes = headBytes;
        } else for (const b of head) for (const c of chunker.push(b)) await send(c);
      }
      if (docMode) {
        await drain(true);
        const text = Buffer.concat(doc, docBytes).toString('utf8');
        doc = [];
        const parsed = parseDocument(text, input.name, source);
        if (parsed) {
          analyzer.addLines(parsed.records);
          analyzer.addMalformed(parsed.malformed);
          analyzer.push(parsed.events);
        } else {
          // Not one document after all (e.g. NDJSON starting with '['): read it line by line.
          for (const c of chunker.push(Buffer.from(text))) await send(c);
        }
      }
      for (const c of chunker.end()) await send(c);
      if (input.done) {
        // The cursor may record an object only once its events are in the analyzer.
        await drain(true);
        input.done();
      }
      report(0, input.name, true);
    }
    await drain(true);
  } finally {
    await pool?.close();
  }
  const result = analyzer.finish();
  options.onProgress?.({ ...progress, bytes: totalBytes || progress.bytes, events: result.events });
  return {
    result,
    snapshot: analyzer.snapshot(),
    files: inputs.map((i) => i.name),
    ...(urls.length > 0 ? { objects: { ...objectStats, cursor: tracker.entries() } } : {}),
  };
}

function parseDocument(
  text: string,
  file: string,
  source: SourceChoice,
): { events: AuditEvent[]; malformed: MalformedLine[]; records: number } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const records = Array.isArray(value)
    ? value
    : ((value as Record<string, unknown>)['Records'] ?? (value as Record<string, unknown>)['records']);
  if (!Array.isArray(records)) return undefined;
  const events: AuditEvent[] = [];
  const malformed: MalformedLine[] = [];
  parseRecords(records, file, 1, source, events, malformed);
  return { events, malformed, records: records.length };
}

/**
 * An input's bytes (decompressed when gzip). The caller is done with each buffer when it asks for the next, so a
 * plain file is read into the same buffers again (not gzip: the decompressor holds its input).
 */
async function openInput(
  input: InputFile,
  stdin: Readable | undefined,
  chunkBytes: number,
  onDamage: (reason: string) => void,
): Promise<{ data: AsyncIterable<unknown>; compressed: boolean }> {
  let raw: AsyncIterable<unknown>;
  const recycle = { ok: false };
  if (input.open) {
    raw = await input.open();
  } else if (input.path === undefined) {
    if (!stdin) throw new SvmError('USAGE', "'-' reads standard input, but none is available");
    raw = stdin;
  } else {
    try {
      raw = readAhead(input.path, chunkBytes, recycle);
    } catch (cause) {
      throw new SvmError('FILE_UNREADABLE', `cannot read ${input.name}`, { file: input.name, cause });
    }
  }
  // Peek at the first bytes for the gzip magic number.
  const it = raw[Symbol.asyncIterator]();
  let first: Buffer;
  try {
    const r = await it.next();
    first = r.done ? Buffer.alloc(0) : Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as string);
  } catch (cause) {
    throw new SvmError('FILE_UNREADABLE', `cannot read ${input.name}: ${(cause as Error).message}`, {
      file: input.name,
      cause,
    });
  }
  async function* rest(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as string);
    }
  }
  const gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  recycle.ok = !gzip;
  if (gzip) {
    return {
      data: gunzipMembers(rest(), (d) =>
        onDamage(
          `damaged gzip input at compressed byte ${d.offset}: ${d.reason}; the ${d.decompressedBytes} bytes before it were analysed`,
        ),
      ),
      compressed: true,
    };
  }
  return { data: rest(), compressed: false };
}

/**
 * A file's bytes, `size` at a time, the next read in flight while the caller works on the current one (a read
 * stream starts its next read only when the consumer yields to the event loop, so a busy consumer waits for every
 * read). Sequential reads: works for pipes and FIFOs too. Once `recycle.ok` is set, the consumer promises to be
 * done with each buffer when it asks for the next one, and two buffers take turns.
 */
async function* readAhead(path: string, size: number, recycle: { ok: boolean }): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  let next: Promise<{ bytesRead: number; buffer: Buffer }> | undefined;
  // The buffer the consumer handed back by asking for the next one (it is not read into while it has it).
  let spare: Buffer | undefined;
  try {
    next = fh.read(Buffer.allocUnsafeSlow(size), 0, size, null);
    for (;;) {
      const { bytesRead, buffer } = await next;
      if (bytesRead === 0) return;
      next = fh.read(recycle.ok && spare !== undefined ? spare : Buffer.allocUnsafeSlow(size), 0, size, null);
      yield buffer.subarray(0, bytesRead);
      spare = buffer;
    }
  } finally {
    await next?.catch(() => undefined);
    await fh.close();
  }
}
