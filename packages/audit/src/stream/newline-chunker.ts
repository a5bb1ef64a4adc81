/** Options for {@link NewlineChunker}. */
export interface NewlineChunkerOptions {
  /** Owned chunks: each holds complete lines up to the first newline at or past this many bytes (default 4 MiB). */
  chunkBytes?: number;
  /** A line longer than this is replaced by a marker line and reported as malformed (default 16 MiB). */
  maxLineBytes?: number;
  /**
   * Each chunk is one buffer that owns its memory, so it can be transferred to a worker (default). `false`:
   * every complete line at once, as the pieces read, each of whole lines — views of the input buffer, no copy,
   * for parsing on this thread before the next push (`chunkBytes` does not apply).
   */
  owned?: boolean;
}

/** Stands in for a line that was too long; the parser reports it as malformed. One byte plus the newline. */
export const OVERLONG_MARKER = Buffer.from('\u0000\n');

const NL = 0x0a;

/**
 * Cut a byte stream, chunked any way, into large chunks that each end at a newline, so every chunk can be
 * split into lines on its own (in a worker thread, in parallel). Bytes are never decoded here, so a UTF-8
 * character split across input chunks is never damaged. Memory is bounded by `chunkBytes` + `maxLineBytes`.
 * Whatever is held between pushes is a copy: no input buffer is referenced once `push` returns, so the reader
 * may read into the same buffer again.
 *
 * @example
 * ```ts
 * const c = new NewlineChunker({ chunkBytes: 1 });
 * c.push(Buffer.from('{"a":1}\n{"b"'));  // [<Buffer '{"a":1}\n'>]
 * c.push(Buffer.from(':2}'));            // []
 * c.end();                               // [<Buffer '{"b":2}\n'>]
 * ```
 */
export class NewlineChunker {
  private complete: Buffer[] = [];
  private completeBytes = 0;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private skipping = false;
  private readonly chunkBytes: number;
  private readonly maxLineBytes: number;
  private readonly owned: boolean;
  /** `owned`: the copy of complete lines kept from the last push (short of a chunk). */
  private held: Buffer | undefined;

  constructor(options: NewlineChunkerOptions = {}) {
    this.chunkBytes = options.chunkBytes ?? 4 * 1024 * 1024;
    this.maxLineBytes = options.maxLineBytes ?? 16 * 1024 * 1024;
    this.owned = options.owned ?? true;
  }

  /** Feed bytes; returns the chunks that are ready (possibly none). */
  push(chunk: Uint8Array): Buffer[] {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const first = buf.indexOf(NL);
    if (first < 0) {
      this.addPartial(Buffer.from(buf));
      return [];
    }
    this.addPartial(buf.subarray(0, first + 1));
    this.completeLine();
    const last = buf.lastIndexOf(NL);
    if (last > first) this.addComplete(buf.subarray(first + 1, last + 1));
    if (last + 1 < buf.length) this.addPartial(Buffer.from(buf.subarray(last + 1)));
    return this.owned ? this.cut(false) : this.views();
  }

  /** End of input: the rest, with a newline added to a final unterminated line. */
  end(): Buffer[] {
    if (this.partialBytes > 0 || this.skipping) {
      this.addPartial(Buffer.from('\n'));
      this.completeLine();
    }
    return this.owned ? this.cut(true) : this.views();
  }

  /** Not `owned`: the complete lines as they are, pieces of whole lines. */
  private views(): Buffer[] {
    const out = this.complete;
    this.complete = [];
    this.completeBytes = 0;
    return out;
  }

  /**
   * `owned`: the complete lines copied into chunks, each up to the first newline at or past `chunkBytes`; the
   * rest is kept as one copy (all of it is emitted at the end).
   */
  private cut(end: boolean): Buffer[] {
    const out: Buffer[] = [];
    const pieces = this.complete;
    const held = this.held;
    if (!end && pieces.length === 1 && pieces[0] === held) return out;
    let cur: Buffer[] = [];
    let curBytes = 0;
    for (const p of pieces) {
      for (let at = 0; at < p.length; ) {
        const need = this.chunkBytes - curBytes;
        if (p.length - at < need) {
          cur.push(at === 0 ? p : p.subarray(at));
          curBytes += p.length - at;
          break;
        }
        // Every piece is whole lines (ends with a newline), so one is found.
        const stop = p.indexOf(NL, at + need - 1) + 1;
        cur.push(p.subarray(at, stop));
        curBytes += stop - at;
        at = stop;
        out.push(this.copy(cur, curBytes));
        cur = [];
        curBytes = 0;
      }
    }
    this.complete = [];
    this.completeBytes = 0;
    this.held = undefined;
    if (curBytes > 0) {
      const rest = held !== undefined && cur.length === 1 && cur[0] === held ? held : this.copy(cur, curBytes);
      if (end) out.push(rest);
      else {
        this.held = rest;
        this.addComplete(rest);
      }
    }
    return out;
  }

  /** Copy pieces into one buffer that owns its memory (so it can be transferred). */
  private copy(pieces: readonly Buffer[], bytes: number): Buffer {
    const out = Buffer.allocUnsafeSlow(bytes);
    let at = 0;
    for (const p of pieces) {
      p.copy(out, at);
      at += p.length;
    }
    return out;
  }

  private addComplete(b: Buffer): void {
    this.complete.push(b);
    this.completeBytes += b.length;
  }

  private addPartial(b: Buffer): void {
    if (this.skipping || b.length === 0) return;
    if (this.partialBytes + b.length > this.maxLineBytes + 1) {
      this.skipping = true;
      this.partial = [];
      this.partialBytes = 0;
      return;
    }
    this.partial.push(b);
    this.partialBytes += b.length;
  }

  private completeLine(): void {
    if (this.skipping) {
      this.addComplete(OVERLONG_MARKER);
      this.skipping = false;
    } else if (this.partial.length > 1) this.addComplete(Buffer.concat(this.partial));
    else if (this.partial.length === 1) this.addComplete(this.partial[0] as Buffer);
    this.partial = [];
    this.partialBytes = 0;
  }
}
