import { type MessagePort, parentPort } from 'node:worker_threads';
import { parseChunk } from '../internal/parse-chunk.js';
import { encodeEvents } from './event-codec.js';
import type { ChunkRequest, ChunkResult } from './protocol.js';

// The port results go back on (the first message), so the main thread can also read them synchronously.
let results: MessagePort | undefined;

// One newline-terminated chunk in, its events out; chunks are independent of each other.
parentPort?.on('message', (msg: ChunkRequest | { results: MessagePort }) => {
  if ('results' in msg) {
    results = msg.results;
    return;
  }
  const parsed = parseChunk(new Uint8Array(msg.buf, 0, msg.bytes), msg.file, msg.source);
  // The main thread knows the file; do not send the same string once per event.
  for (const e of parsed.events) e.file = undefined;
  const events = encodeEvents(parsed.events);
  const result: ChunkResult = {
    seq: msg.seq,
    buf: msg.buf,
    events,
    malformed: parsed.malformed,
    lines: parsed.lines,
    lineCount: parsed.lineCount,
  };
  results?.postMessage(result, [events.columns.buffer as ArrayBuffer, msg.buf]);
});
