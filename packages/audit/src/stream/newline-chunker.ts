/** Options for {@link NewlineChunker}. */
export interface NewlineChunkerOptions {
  /** Emit a chunk once this many complete-line bytes are held (default 4 MiB). */
  chunkBytes?: number;
  /** A line longer than this is replaced by a marker line and reported as malformed (default 16 MiB). */
  maxLineBytes?: number;
  /**
   * Each chunk is one buffer that owns its memory, so it can be transferred to a worker (default). `false`:
   * the pieces as read, each of whole lines, views of the input buffers — no copy, for parsing on this thread.
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
      this.addPartial(buf);
      return [];
    }
    this.addPartial(buf.subarray(0, first + 1));
    this.completeLine();
    const last = buf.lastIndexOf(NL);
    if (last > first) this.addComplete(buf.subarray(first + 1, last + 1));
    if (last + 1 < buf.length) this.addPartial(buf.subarray(last + 1));
    return this.completeBytes >= this.chunkBytes ? this.takeAll() : [];
  }

  /** End of input: the rest, with a newline added to a final unterminated line. */
  end(): Buffer[] {
    if (this.partialBytes > 0 || this.skipping) {
      this.addPartial(Buffer.from('\n'));
      this.completeLine();
    }
    return this.completeBytes > 0 ? this.takeAll() : [];
  }

  /** The held complete lines: one owned buffer, or (not `owned`) the pieces as read, each whole lines. */
  private takeAll(): Buffer[] {
    if (this.owned) return [this.take()];
    const out = this.complete;
    this.complete = [];
    this.completeBytes = 0;
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
    } else if (!this.owned && this.partial.length > 1) this.addComplete(Buffer.concat(this.partial));
    else for (const p of this.partial) this.addComplete(p);
    this.partial = [];
    this.partialBytes = 0;
  }

  /** Copy the held complete lines into one buffer that owns its memory (so it can be transferred). */
  private take(): Buffer {
    const out = Buffer.allocUnsafeSlow(this.completeBytes);
    let at = 0;
    for (const p of this.complete) {
      p.copy(out, at);
      at += p.length;
    }
    this.complete = [];
    this.completeBytes = 0;
    return out;
  }
}
