import type { AnalyzeProgress } from '../stream/analyze-files.js';

function mib(n: number): string {
  return `${(n / 1_048_576).toFixed(n < 10 * 1_048_576 ? 1 : 0)} MiB`;
}

/**
 * One progress line for long runs (objects from a bucket, many files): inputs read (named `unit`), bytes, events
 * and events/s.
 *
 * @example
 * ```ts
 * renderProgressLine({ bytes: 5_242_880, totalBytes: 0, file: 's3://b/k', inputs: 12, events: 30_000 }, 2_000);
 * // '12 inputs · 5.0 MiB · 30,000 events · 15,000 events/s'
 * ```
 */
export function renderProgressLine(p: AnalyzeProgress, elapsedMs: number, unit = 'inputs'): string {
  const rate = elapsedMs > 0 ? Math.round((p.events * 1000) / elapsedMs) : 0;
  const bytes = p.totalBytes > 0 ? `${mib(p.bytes)} of ${mib(p.totalBytes)}` : mib(p.bytes);
  return `${p.inputs.toLocaleString('en-US')} ${unit} · ${bytes} · ${p.events.toLocaleString('en-US')} events · ${rate.toLocaleString('en-US')} events/s`;
}

/**
 * The closing line of an object-storage read: objects read, bytes, and why the others were skipped.
 *
 * @example
 * ```ts
 * renderObjectSummary({ listed: 290, outsideWindow: 2, alreadyRead: 288, read: 0, bytes: 0 }, ['s3://trail/AWSLogs/']);
 * // 'read 0 objects (0.0 MiB) from s3://trail/AWSLogs/; 290 listed, 288 read before (--state), 2 outside --since/--until'
 * ```
 */
export function renderObjectSummary(
  o: { listed: number; outsideWindow: number; alreadyRead: number; read: number; bytes: number },
  urls: readonly string[],
): string {
  return `read ${o.read.toLocaleString('en-US')} objects (${mib(o.bytes)}) from ${urls.join(', ')}; ${o.listed.toLocaleString('en-US')} listed, ${o.alreadyRead.toLocaleString('en-US')} read before (--state), ${o.outsideWindow.toLocaleString('en-US')} outside --since/--until`;
}
