// Decompress a gzip stream member by member, keeping everything that decompresses.
//
// Node's Gunzip stream reads concatenated members, but bytes after the last member that are not another member
// ("trailing garbage") make it fail, and the output it decompressed in that same step is dropped with the error:
// a gzip file with 4 garbage bytes at the end analysed as 0 lines. Here each member's header is read by hand
// (RFC 1952) and its deflate data goes through a raw inflater, whose `bytesWritten` says exactly where the member
// ended, so the data of every whole member is kept and what follows is reported, never silently dropped.
// (fflate and pako were considered: both buffer or need their own stream plumbing; zlib is already here.)
import * as zlib from 'node:zlib';
import { constants, createInflateRaw, type InflateRaw } from 'node:zlib';

// zlib.crc32 exists from Node 20.15; on older 20.x only the size in the trailer is checked.
const crc32 = (zlib as { crc32?: (data: Buffer, value?: number) => number }).crc32;

/** Damage found in a gzip input: where (compressed byte offset) and what. */
export interface GzipDamage {
  /** Compressed byte offset at which the damage starts. */
  offset: number;
  /** Decompressed bytes delivered before it. */
  decompressedBytes: number;
  reason: string;
}

const FTEXT_MASK = 0xe0; // reserved flag bits must be zero
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/** Length of the gzip header at the start of `b`, 0 when more bytes are needed, -1 when it is not a gzip header. */
function headerLength(b: Buffer, eof: boolean): number {
  if (b.length < 10) return eof ? -1 : b.length >= 1 && b[0] !== 0x1f ? -1 : b.length >= 2 && b[1] !== 0x8b ? -1 : 0;
  if (b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8 || ((b[3] as number) & FTEXT_MASK) !== 0) return -1;
  const flags = b[3] as number;
  let p = 10;
  if (flags & FEXTRA) {
    if (b.length < p + 2) return eof ? -1 : 0;
    p += 2 + b.readUInt16LE(p);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      const end = b.indexOf(0, p);
      if (end < 0) return eof ? -1 : 0;
      p = end + 1;
    }
  }
  if (flags & FHCRC) p += 2;
  if (b.length < p) return eof ? -1 : 0;
  return p;
}

/**
 * Decompress `source` (gzip, one or more members). Yields decompressed chunks; calls `onDamage` once when the input
 * is truncated, corrupt or followed by bytes that are not gzip (zero padding is fine), then stops.
 */
export async function* gunzipMembers(
  source: AsyncIterable<Buffer>,
  onDamage: (d: GzipDamage) => void,
): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  let pending: Buffer = Buffer.alloc(0);
  let eof = false;
  let offset = 0; // compressed offset of pending[0]
  let delivered = 0;
  const more = async (): Promise<boolean> => {
    if (eof) return false;
    const r = await it.next();
    if (r.done) {
      eof = true;
      return false;
    }
    pending = pending.length === 0 ? r.value : Buffer.concat([pending, r.value]);
    return true;
  };
  const damage = (reason: string) => onDamage({ offset, decompressedBytes: delivered, reason });
  const consume = (n: number) => {
    pending = pending.subarray(n);
    offset += n;
  };

  for (let member = 0; ; member++) {
    // Between members: zero padding is allowed; the end of input is the normal end.
    for (;;) {
      let zeros = 0;
      while (zeros < pending.length && pending[zeros] === 0) zeros++;
      consume(zeros);
      if (pending.length > 0 || !(await more())) break;
    }
    if (pending.length === 0) {
      if (member === 0) damage('empty gzip input');
      return;
    }
    let hlen = headerLength(pending, eof);
    while (hlen === 0) {
      await more();
      hlen = headerLength(pending, eof);
    }
    if (hlen < 0) {
      damage(member === 0 ? 'not a gzip header' : 'trailing data that is not gzip');
      return;
    }
    consume(hlen);

    // The deflate data, through a raw inflater, one input chunk at a time.
    const inflater = createInflateRaw({ chunkSize: 64 * 1024, finishFlush: constants.Z_SYNC_FLUSH });
    const out: Buffer[] = [];
    let size = 0;
    let crc = 0;
    const take = (b: Buffer) => {
      size = (size + b.length) >>> 0;
      if (crc32) crc = crc32(b, crc);
      delivered += b.length;
      return b;
    };
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    inflater.on('data', (b: Buffer) => out.push(b));
    inflater.on('error', (e: Error) => {
      failure = e;
      wake?.();
    });
    let ended = false;
    for (;;) {
      if (pending.length === 0 && !(await more())) break;
      const chunk = pending;
      const before = inflater.bytesWritten;
      await new Promise<void>((resolve) => {
        wake = resolve;
        inflater.write(chunk, () => resolve());
      });
      for (const b of out.splice(0)) yield take(b);
      if (failure) {
        damage(`corrupt gzip data (${failure.message})`);
        return;
      }
      const used = inflater.bytesWritten - before;
      consume(used);
      if (used < chunk.length || (pending.length === 0 && streamEnded(inflater))) {
        ended = true;
        break;
      }
    }
    if (!ended) {
      // Input ended inside the member: keep what decompressed (sync flush), report the cut.
      await new Promise<void>((resolve) => inflater.end(resolve));
      for (const b of out.splice(0)) yield take(b);
      if (!streamEnded(inflater)) {
        damage('truncated gzip data (the input ends inside a member)');
        return;
      }
    }
    inflater.destroy();
    // The 8-byte trailer (CRC-32, size).
    while (pending.length < 8 && (await more())) {}
    if (pending.length < 8) {
      damage('truncated gzip data (the member trailer is missing)');
      return;
    }
    if (pending.readUInt32LE(4) !== size || (crc32 && pending.readUInt32LE(0) !== crc >>> 0)) {
      damage('corrupt gzip data (the member checksum or size does not match its data)');
      return;
    }
    consume(8);
  }
}

/** True once the raw inflater has seen the end of the deflate stream. */
function streamEnded(inflater: InflateRaw): boolean {
  return (inflater as unknown as { _readableState?: { ended?: boolean } })._readableState?.ended === true;
}
