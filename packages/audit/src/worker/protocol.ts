import type { MalformedLine } from '../internal/parse-batch.js';
import type { SourceChoice } from '../sources/detect.js';
import type { EncodedEvents } from './event-codec.js';

/** Main thread → worker: one newline-terminated chunk. */
export interface ChunkRequest {
  seq: number;
  /** Transferred; the chunk is its first `bytes` bytes. It comes back in the result, to be filled again. */
  buf: ArrayBuffer;
  bytes: number;
  file: string;
  source: SourceChoice;
}

/** Worker → main thread. Line numbers are relative to the chunk (1-based). */
export interface ChunkResult {
  seq: number;
  /** The request's buffer, handed back (transferred) once the chunk is decoded. */
  buf: ArrayBuffer;
  /** The events, as columns (see `encodeEvents`): their array buffer is transferred, not copied. */
  events: EncodedEvents;
  malformed: MalformedLine[];
  /** Non-empty lines. */
  lines: number;
  /** All lines in the chunk (for numbering the next chunk). */
  lineCount: number;
}
