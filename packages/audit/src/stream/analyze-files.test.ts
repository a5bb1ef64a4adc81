import { mkdtempSync, writeFileSync, readFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { isSvmError } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { generateVaultTraffic } from '../../test/traffic.js';
import { analyzeFiles } from './analyze-files.js';

const fixtures = new URL('../../test/fixtures/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'svm-audit-files-'));
const lines: string[] = [];
generateVaultTraffic({ days: 2, machines: 4, humans: 6 }, (l) => lines.push(l));
const logPath = join(dir, 'audit.log');
writeFileSync(logPath, `${lines.join('\n')}\n`);

describe('analyzeFiles', () => {
  it('worker threads and the calling thread give identical results, for any chunk size', async () => {
    const inline = (await analyzeFiles([logPath], { workers: 0 })).result;
    const pooled = (await analyzeFiles([logPath], { workers: 2, chunkBytes: 64 * 1024 })).result;
    const tiny = (await analyzeFiles([logPath], { workers: 0, chunkBytes: 777 })).result;
    // One worker and small chunks: the calling thread parses every chunk that finds the worker busy.
    const shared = (await analyzeFiles([logPath], { workers: 1, chunkBytes: 16 * 1024 })).result;
    // Small reads: the two read buffers are filled again and again, lines span reads, and chunk buffers come back
    // from the worker to be filled again. Anything kept from an earlier read would come out damaged.
    const reread = (await analyzeFiles([logPath], { workers: 0, chunkBytes: 500, readBytes: 1000 })).result;
    const rereadPooled = (await analyzeFiles([logPath], { workers: 1, chunkBytes: 3000, readBytes: 3001 })).result;
    // Everything but the internal structure sizes (how many ids crossed a chunk boundary).
    const strip = ({ state: _s, ...rest }: typeof inline) => rest;
    expect(strip(pooled)).toEqual(strip(inline));
    expect(strip(tiny)).toEqual(strip(inline));
    expect(strip(shared)).toEqual(strip(inline));
    expect(strip(reread)).toEqual(strip(inline));
    expect(strip(rereadPooled)).toEqual(strip(inline));
    expect(inline.events).toBe(lines.length / 2);
    expect(inline.findings.length).toBeGreaterThanOrEqual(11);
  });

  it('reads gzip, directories, globs and stdin; skips CloudTrail digests', async () => {
    const gz = join(dir, 'audit.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(logPath)));
    const plain = (await analyzeFiles([logPath])).result;
    const zipped = (await analyzeFiles([gz])).result;
    const noFile = (fs: typeof plain.findings) => fs.map(({ file: _f, ...rest }) => rest);
    expect(noFile(zipped.findings)).toEqual(noFile(plain.findings));
    expect(zipped.events).toBe(plain.events);
    const trail = join(dir, 'trail');
    mkdirSync(join(trail, 'CloudTrail-Digest'), { recursive: true });
    copyFileSync(
      join(fixtures, '210987654321_CloudTrail_eu-west-1_20250212T0125Z_AbCdEfGh12345678.json.gz'),
      join(trail, 'a.json.gz'),
    );
    writeFileSync(join(trail, 'CloudTrail-Digest', 'digest.json'), '{"digestStartTime":"x"}');
    const fromDir = (await analyzeFiles([trail])).result;
    expect(fromDir).toMatchObject({ events: 5, malformed: 0, sources: { cloudtrail: 5 } });
    const globbed = (await analyzeFiles(['*.ndjson'], { cwd: fixtures })).result;
    expect(Object.keys(globbed.sources).sort()).toEqual(['cloudtrail', 'gcp', 'simple', 'vault']);
    const stdin = (
      await analyzeFiles(['-'], { stdin: Readable.from([readFileSync(join(fixtures, 'gcp-secretmanager.ndjson'))]) })
    ).result;
    expect(stdin).toMatchObject({ events: 3, sources: { gcp: 3 } });
  });

  it('reads pretty-printed {"records": [...]} documents (Azure PT1H.json)', async () => {
    const r = (await analyzeFiles([join(fixtures, 'azure-keyvault-PT1H.json')])).result;
    expect(r).toMatchObject({ events: 6, malformed: 0, sources: { azure: 6 } });
    // eve (firewall) and mallory (RBAC) are people working at 03:00 UTC.
    expect(r.findings.map((f) => f.rule).sort()).toEqual([
      'denied-access',
      'denied-access',
      'off-hours',
      'off-hours',
      'secret-destroy',
    ]);
  });

  it('counts malformed lines by file and line and keeps reading', async () => {
    const r = (await analyzeFiles([join(fixtures, 'original-simple.ndjson')])).result;
    expect(r.events).toBe(4);
    expect(r.malformedLines).toEqual([
      { file: join(fixtures, 'original-simple.ndjson'), line: 4, reason: 'truncated or invalid JSON' },
      { file: join(fixtures, 'original-simple.ndjson'), line: 5, reason: 'not JSON' },
    ]);
  });

  it('a vault request whose response was lost is still analysed', async () => {
    const r = (await analyzeFiles([join(fixtures, 'vault-audit.ndjson')])).result;
    expect(r.events).toBe(7);
    expect(r.findings.map((f) => f.rule).sort()).toEqual([
      'audit-device-change',
      'denied-access',
      'long-ttl-token',
      'root-token',
      'secret-destroy',
    ]);
  });

  it('a truncated gzip file is reported and does not stop the next file', async () => {
    const cut = join(dir, 'cut.log.gz');
    const whole = gzipSync(readFileSync(logPath));
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const r = (await analyzeFiles([cut, join(fixtures, 'gcp-secretmanager.ndjson')])).result;
    expect(r.inputErrors).toEqual([{ file: cut, reason: expect.stringMatching(/truncated gzip/) }]);
    expect(r.sources.gcp).toBe(3);
    expect(r.sources.vault).toBeGreaterThan(100);
  });

  it('gzip followed by garbage: every line that decompresses is analysed and the damage is an input error', async () => {
    const plain = readFileSync(logPath);
    const lines = plain
      .toString()
      .split('\n')
      .filter((l) => l.trim() !== '').length;
    const bad = join(dir, 'garbage.log.gz');
    writeFileSync(bad, Buffer.concat([gzipSync(plain), Buffer.from('XYZW')]));
    const r = (await analyzeFiles([bad])).result;
    expect(r.lines).toBe(lines);
    expect(r.malformed).toBe(0);
    expect(r.inputErrors).toHaveLength(1);
    expect(r.inputErrors[0]?.reason).toMatch(/trailing data that is not gzip/);
  });

  it('concatenated gzip members and zero padding read as one log, without damage', async () => {
    const plain = readFileSync(logPath);
    const lines = plain
      .toString()
      .split('\n')
      .filter((l) => l.trim() !== '').length;
    const half = plain.indexOf('\n', Math.floor(plain.length / 2)) + 1;
    const two = join(dir, 'two.log.gz');
    writeFileSync(
      two,
      Buffer.concat([gzipSync(plain.subarray(0, half)), gzipSync(plain.subarray(half)), Buffer.alloc(512)]),
    );
    const r = (await analyzeFiles([two], { chunkBytes: 4096 })).result;
    expect(r.inputErrors).toEqual([]);
    expect(r.lines).toBe(lines);
    expect(r.malformed).toBe(0);
  });

  it('a flipped byte inside a gzip member fails its checksum: reported, never silent', async () => {
    const gz = Buffer.from(gzipSync(readFileSync(logPath)));
    const at = Math.floor(gz.length / 2);
    gz.writeUInt8(gz.readUInt8(at) ^ 0x01, at);
    const flipped = join(dir, 'flipped.log.gz');
    writeFileSync(flipped, gz);
    const r = (await analyzeFiles([flipped])).result;
    expect(r.inputErrors).toHaveLength(1);
    expect(r.inputErrors[0]?.reason).toMatch(/corrupt gzip/);
  });

  it('a missing path is FILE_NOT_FOUND naming the path', async () => {
    const err = await analyzeFiles(['nope.log'], { cwd: dir }).catch((e: unknown) => e);
    expect(isSvmError(err) && err.code).toBe('FILE_NOT_FOUND');
    expect(isSvmError(err) && err.location.file).toBe('nope.log');
  });
});
