import type { MalformedLine } from '../internal/parse-batch.js';
import type { SourceChoice } from '../sources/detect.js';

/** Main thread → worker: one newline-terminated chunk. */
export interface ChunkRequest {
  seq: number;
  buf: ArrayBuffer;
  file: string;
  source: SourceChoice;
}

/** Worker → main thread. Line numbers are relative to the chunk (1-based). */
export interface ChunkResult {
  seq: number;
  /**
   * The events as one JSON string: cloning one string and JSON.parse-ing it on the main thread costs a
   * fraction of structured-cloning thousands of objects.
   */
  eventsJson: string;
  malformed: MalformedLine[];
  /** Non-empty lines. */
  lines: number;
  /** All lines in the chunk (for numbering the next chunk). */
  lineCount: number;
}
