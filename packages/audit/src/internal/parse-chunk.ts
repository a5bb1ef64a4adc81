import { isAscii } from 'node:buffer';
import type { SourceChoice } from '../sources/detect.js';
import { parseLines, type ParsedBatch } from './parse-batch.js';

/** A parsed chunk: the batch plus how many lines it held (to number the next chunk). */
export type ParsedChunk = ParsedBatch & { lineCount: number };

/**
 * Text is decoded this much at a time (cut at a newline): strings this small are made in the young generation,
 * where they are cheapest to make and to drop. Larger ones live in the old generation (or outside the heap)
 * until a full collection, which costs time and memory.
 */
const PIECE_BYTES = 64 * 1024;

/**
 * The lines of newline-separated UTF-8 bytes, without their `\n` or `\r\n` (a final empty line is not one).
 * All-ASCII bytes (the usual audit log; checked natively) are decoded as Latin-1, the same text for a plain
 * copy, several times cheaper than UTF-8 decoding.
 */
export function splitLines(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const encoding = isAscii(b) ? 'latin1' : 'utf8';
  const lines: string[] = [];
  for (let at = 0; at < b.length; ) {
    // A newline byte is never inside a multi-byte character, so every piece decodes on its own.
    let end = at + PIECE_BYTES >= b.length ? b.length : b.lastIndexOf(10, at + PIECE_BYTES - 1) + 1;
    if (end <= at) end = b.indexOf(10, at + PIECE_BYTES) + 1 || b.length;
    const text = b.toString(encoding, at, end);
    for (let s = 0; s < text.length; ) {
      let nl = text.indexOf('\n', s);
      if (nl < 0) nl = text.length;
      lines.push(nl > s && text.charCodeAt(nl - 1) === 13 ? text.slice(s, nl - 1) : text.slice(s, nl));
      s = nl + 1;
    }
    at = end;
  }
  return lines;
}

/** Split a newline-terminated chunk into lines and parse them (line numbers start at 1 in the chunk). */
export function parseChunk(bytes: Uint8Array, file: string, source: SourceChoice): ParsedChunk {
  const lines = splitLines(bytes);
  return { ...parseLines(lines, file, 1, source), lineCount: lines.length };
}
