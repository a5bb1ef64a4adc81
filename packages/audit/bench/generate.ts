import { createWriteStream, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { generateVaultTraffic } from '../test/traffic.js';

/**
 * Write a Vault audit log of at least `minBytes` by generating consecutive two-day windows of realistic
 * traffic (100 machines every ~6 minutes around the clock, 10 humans in office hours, planted incidents in
 * every window). Deterministic: the same seed gives the same file.
 */
export async function ensureVaultLog(
  file: string,
  minBytes: number,
): Promise<{ bytes: number; lines: number; generated: boolean }> {
  if (existsSync(file) && statSync(file).size >= minBytes) {
    return { bytes: statSync(file).size, lines: -1, generated: false };
  }
  const out = createWriteStream(file);
  let bytes = 0;
  let lines = 0;
  let window = 0;
  const start = Date.parse('2026-01-05T00:00:00Z');
  while (bytes < minBytes) {
    const buf: string[] = [];
    lines += generateVaultTraffic(
      {
        seed: 1000 + window,
        start: new Date(start + window * 2 * 86_400_000).toISOString(),
        days: 2,
        machines: 100,
        humans: 10,
      },
      (l) => buf.push(l),
    );
    const text = `${buf.join('\n')}\n`;
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
    window++;
  }
  out.end();
  await once(out, 'finish');
  return { bytes, lines, generated: true };
}

/** The first `maxBytes` (whole lines) of `src`, written to `dst`. */
export async function headFile(src: string, dst: string, maxBytes: number): Promise<void> {
  if (existsSync(dst) && statSync(dst).size > 0) return;
  const { createReadStream } = await import('node:fs');
  const out = createWriteStream(dst);
  let n = 0;
  for await (const chunk of createReadStream(src, { highWaterMark: 4 << 20 }) as AsyncIterable<Buffer>) {
    if (n + chunk.length >= maxBytes) {
      const cut = chunk.lastIndexOf(10, maxBytes - n);
      out.write(chunk.subarray(0, cut + 1));
      break;
    }
    out.write(chunk);
    n += chunk.length;
  }
  out.end();
  await once(out, 'finish');
}
