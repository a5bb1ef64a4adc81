import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChunk } from '../internal/parse-chunk.js';
import { NewlineChunker } from './newline-chunker.js';

/** Cut `bytes` at the given points. */
function cut(bytes: Buffer, points: number[]): Buffer[] {
  const sorted = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of sorted) {
    out.push(bytes.subarray(at, p));
    at = p;
  }
  out.push(bytes.subarray(at));
  return out;
}

/** Run bytes through chunker + parser the way analyzeFiles does, with absolute line numbers. */
function pipeline(pieces: Buffer[], chunkBytes: number, maxLineBytes = 1 << 20, owned = true) {
  const c = new NewlineChunker({ chunkBytes, maxLineBytes, owned });
  const chunks = [...pieces.flatMap((p) => c.push(p)), ...c.end()];
  let base = 0;
  const events: unknown[] = [];
  const malformed: unknown[] = [];
  for (const ch of chunks) {
    expect(ch[ch.length - 1]).toBe(0x0a);
    const r = parseChunk(ch, 'f', 'auto');
    for (const e of r.events) events.push({ ...e, line: (e.line ?? 0) + base });
    for (const m of r.malformed) malformed.push({ ...m, line: m.line + base });
    base += r.lineCount;
  }
  return { events, malformed, lines: base };
}

const record = fc.record({
  ts: fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }).map((n) => new Date(n).toISOString()),
  who: fc.constantFrom('approle-a', 'userpass-bö', 'kubernetes-x', '日本-user'),
  path: fc.stringMatching(/^secret\/data\/[a-z0-9/]{1,20}$/),
  status: fc.constantFrom(200, 403, 500),
});
const line = fc.oneof(
  {
    weight: 5,
    arbitrary: record.map((r) =>
      JSON.stringify({
        timestamp: r.ts,
        auth: { display_name: r.who },
        request: { path: r.path, operation: 'read' },
        response: { status_code: r.status },
        remote_address: '10.0.0.1',
      }),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', 'garbage', '{"truncated":', '[1,2]', '{"unrelated":true}') },
);

/** Lines (some odd) and the points the reads are cut at. */
const lines = fc.array(line, { maxLength: 40 });
const cuts = fc.array(fc.nat(), { maxLength: 30 });

describe('NewlineChunker', () => {
  it('property: any chunking of the same bytes yields identical events, malformed lines and line numbers', () => {
    fc.assert(
      fc.property(
        lines,
        cuts,
        fc.integer({ min: 1, max: 4096 }),
        fc.boolean(),
        (ls, points, chunkBytes, finalNewline) => {
          const bytes = Buffer.from(ls.join('\n') + (finalNewline ? '\n' : ''));
          const whole = pipeline([bytes], 1 << 30);
          const split = pipeline(cut(bytes, points), chunkBytes);
          expect(split).toEqual(whole);
          // Pieces as read (views, no copy), as on the calling thread: the same lines.
          expect(pipeline(cut(bytes, points), chunkBytes, 1 << 20, false)).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: no input buffer is referenced once push returns (the reader reads into it again)', () => {
    fc.assert(
      fc.property(lines, cuts, fc.integer({ min: 1, max: 4096 }), fc.boolean(), (ls, points, chunkBytes, owned) => {
        const bytes = Buffer.from(`${ls.join('\n')}\n`);
        const whole = pipeline([bytes], 1 << 30);
        // Every piece is read into the same buffer, which is scribbled over once the chunks are parsed.
        const reader = Buffer.alloc(bytes.length + 1);
        const c = new NewlineChunker({ chunkBytes, owned });
        const texts: string[] = [];
        const take = (chunks: Buffer[]) => {
          for (const ch of chunks) texts.push(ch.toString('latin1'));
        };
        for (const piece of cut(bytes, points)) {
          piece.copy(reader);
          take(c.push(reader.subarray(0, piece.length)));
          reader.fill(0x7e);
        }
        take(c.end());
        expect(pipeline([Buffer.from(texts.join(''), 'latin1')], 1 << 30)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('property: owned chunks end at the first newline at or past chunkBytes', () => {
    fc.assert(
      fc.property(lines, cuts, fc.integer({ min: 1, max: 2048 }), (ls, points, chunkBytes) => {
        const bytes = Buffer.from(`${ls.join('\n')}\n`);
        const c = new NewlineChunker({ chunkBytes });
        const chunks = [...cut(bytes, points).flatMap((p) => c.push(p)), ...c.end()];
        expect(Buffer.concat(chunks)).toEqual(bytes);
        chunks.forEach((ch, i) => {
          if (i === chunks.length - 1) return;
          expect(ch.length).toBeGreaterThanOrEqual(chunkBytes);
          // Without its last line it would be short of chunkBytes.
          expect(ch.lastIndexOf(0x0a, ch.length - 2) + 1).toBeLessThan(chunkBytes);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('property: a multi-byte UTF-8 character split across reads is never damaged', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (names, points) => {
          const text = `${names.map((n) => JSON.stringify({ timestamp: '2026-01-01T00:00:00Z', auth: { display_name: `x${n}` }, path: 'p' })).join('\n')}\n`;
          const got = pipeline(cut(Buffer.from(text), points), 3).events.map(
            (e) => (e as { identity: string }).identity,
          );
          expect(got).toEqual(names.map((n) => `x${n}`));
        },
      ),
    );
  });

  it('property: malformed lines never stop later lines from being read', () => {
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 20 }),
        fc.array(fc.constantFrom('{"a":', 'xx', '\u0007', '{'), { minLength: 1, maxLength: 20 }),
        (recs, junk) => {
          const good = recs.map((r) =>
            JSON.stringify({ timestamp: r.ts, auth: { display_name: r.who }, path: r.path }),
          );
          const mixed: string[] = [];
          good.forEach((g, i) => {
            mixed.push(junk[i % junk.length] as string, g);
          });
          const out = pipeline([Buffer.from(mixed.join('\n'))], 64);
          expect(out.events).toHaveLength(good.length);
          expect(out.malformed).toHaveLength(good.length);
          expect((out.malformed as Array<{ line: number }>).map((m) => m.line)).toEqual(good.map((_, i) => 2 * i + 1));
        },
      ),
    );
  });

  it('an over-long line becomes one malformed line and the next line is read', () => {
    const long = `{"timestamp":"2026-01-01T00:00:00Z","x":"${'a'.repeat(5000)}"}`;
    const ok = '{"timestamp":"2026-01-01T00:00:00Z","auth":{"display_name":"ok"},"path":"p"}';
    const out = pipeline(cut(Buffer.from(`${long}\n${ok}\n`), [10, 100, 3000]), 16, 1000);
    expect(out.malformed).toEqual([{ file: 'f', line: 1, reason: 'line too long (dropped)' }]);
    expect(out.events).toHaveLength(1);
    expect(out.lines).toBe(2);
  });

  it('accepts CRLF line endings', () => {
    const out = pipeline(
      [
        Buffer.from(
          '{"timestamp":"2026-01-01T00:00:00Z","path":"a"}\r\n{"timestamp":"2026-01-01T00:00:01Z","path":"b"}\r\n',
        ),
      ],
      8,
    );
    expect(out.events).toHaveLength(2);
    expect(out.malformed).toHaveLength(0);
  });
});
