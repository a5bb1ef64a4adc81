import { isAscii } from 'node:buffer';
import type { SourceChoice } from '../sources/detect.js';
import { parseLines, type ParsedBatch } from './parse-batch.js';

/** A parsed chunk: the batch plus how many lines it held (to number the next chunk). */
export type ParsedChunk = ParsedBatch & { lineCount: number };

/**
 * Decode UTF-8 bytes. All-ASCII bytes (the usual audit log; checked natively) are the same text read as
 * Latin-1, which is a plain copy, several times cheaper than UTF-8 decoding.
 */
export function decodeText(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return isAscii(b) ? b.toString('latin1') : b.toString('utf8');
}

/** Split a newline-terminated chunk into lines and parse them (line numbers start at 1 in the chunk). */
export function parseChunk(bytes: Uint8Array, file: string, source: SourceChoice): ParsedChunk {
  return parseText(decodeText(bytes), file, source);
}

/** {@link parseChunk} of decoded text. */
export function parseText(text: string, file: string, source: SourceChoice): ParsedChunk {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  return { ...parseLines(lines, file, 1, source), lineCount: lines.length };
}
