import { parentPort } from 'node:worker_threads';
import { parseChunk } from '../internal/parse-chunk.js';
import { encodeEvents } from './event-codec.js';
import type { ChunkRequest, ChunkResult } from './protocol.js';

// One newline-terminated chunk in, its events out; chunks are independent of each other.
parentPort?.on('message', (msg: ChunkRequest) => {
  const parsed = parseChunk(new Uint8Array(msg.buf), msg.file, msg.source);
  // The main thread knows the file; do not send the same string once per event.
  for (const e of parsed.events) e.file = undefined;
  const events = encodeEvents(parsed.events);
  const result: ChunkResult = {
    seq: msg.seq,
    events,
    malformed: parsed.malformed,
    lines: parsed.lines,
    lineCount: parsed.lineCount,
  };
  parentPort?.postMessage(result, [events.columns.buffer as ArrayBuffer]);
});
