// Object-storage input against moto's S3 (the harness's real server): a day of CloudTrail files read from a
// bucket gives the same findings as the same files read from disk; --state makes a second run read nothing; a
// run SIGKILLed midway and rerun gives the same findings as one clean run.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { requireService } from '@svm/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFiles, openStateStore, toAnalysisJson } from '../src/index.js';
import { cloudTrailDay } from './cloudtrail-day.js';

const moto = requireService('moto');
const pkgDir = fileURLToPath(new URL('..', import.meta.url));

describe.skipIf(!moto)('s3:// input against moto', () => {
  const bucket = `svm-objstore-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'svm-objstore-'));
  const files = cloudTrailDay();
  const url = `s3://${bucket}/AWSLogs/`;
  const env = {
    AWS_ENDPOINT_URL_S3: moto?.endpoint ?? '',
    AWS_ACCESS_KEY_ID: moto?.accessKeyId ?? 'test',
    AWS_SECRET_ACCESS_KEY: moto?.secretAccessKey ?? 'test',
    AWS_REGION: moto?.region ?? 'us-east-1',
  };
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    // Only the S3-specific variable points at moto: the SDK must honour AWS_ENDPOINT_URL_S3 by itself.
    saved['AWS_ENDPOINT_URL'] = process.env['AWS_ENDPOINT_URL'];
    delete process.env['AWS_ENDPOINT_URL'];
    const s3 = new S3Client({ endpoint: moto?.endpoint, forcePathStyle: true, region: env.AWS_REGION });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const f of files) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: f.body }));
      mkdirSync(dirname(join(dir, f.key)), { recursive: true });
      writeFileSync(join(dir, f.key), f.body);
    }
    // A digest file (skipped) and another service's logs under AWSLogs (not read), as in a real trail bucket.
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `AWSLogs/210987654321/CloudTrail-Digest/eu-west-1/2026/03/03/210987654321_CloudTrail-Digest_eu-west-1_main_eu-west-1_20260303T010000Z.json.gz`,
        Body: 'not a log',
      }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'AWSLogs/210987654321/vpcflowlogs/x.log.gz', Body: 'not a trail' }),
    );
    s3.destroy();
  }, 120_000);

  afterAll(async () => {
    // Leave moto as it was: the bucket and its objects go.
    if (moto) {
      const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: moto.region });
      for (;;) {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key as string }));
        if (keys.length === 0) break;
        await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
      }
      await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      s3.destroy();
    }
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const findingsOf = (r: Awaited<ReturnType<typeof analyzeFiles>>) => toAnalysisJson(r.result).findings;

  it('a day of CloudTrail files gives the same findings from the bucket as from disk', async () => {
    const disk = await analyzeFiles([join(dir, 'AWSLogs')]);
    const s3 = await analyzeFiles([url]);
    expect(s3.objects?.read).toBe(files.length);
    expect(s3.objects?.listed).toBe(files.length);
    expect(s3.result.events).toBe(files.reduce((n, f) => n + f.records, 0));
    expect(s3.result.events).toBe(disk.result.events);
    expect(s3.result.malformed).toBe(0);
    const rules = findingsOf(s3).map((f) => f.rule);
    for (const r of [
      'failed-auth',
      'bulk-read',
      'root-token',
      'audit-device-change',
      'policy-change',
      'secret-destroy',
      'denied-access',
    ])
      expect(rules).toContain(r);
    expect(findingsOf(s3)).toEqual(findingsOf(disk));
  }, 60_000);

  it('--since/--until prune by key: only the files of the window are listed and read', async () => {
    const r = await analyzeFiles([url], { since: '2026-03-03T09:00:00Z', until: '2026-03-03T10:00:00Z' });
    // Stamps 09:00..11:00 (an hour of delivery slack after --until), both regions, one file every 10 min.
    expect(r.objects?.read).toBe(2 * 13);
    // Only the one day folder was listed (not the next day's).
    expect(r.objects?.listed).toBe(files.filter((f) => f.key.includes('/2026/03/03/')).length);
    expect(r.result.findings.map((f) => f.rule)).toContain('audit-device-change');
  }, 60_000);

  /** One scheduled run with --state, in this process (the CLI's sequence: load, analyse, save both together). */
  const runWithState = async (db: string, until?: string) => {
    const store = await openStateStore(db);
    try {
      const r = await analyzeFiles([url], { baseline: store.load(), seen: store.objectsRead, until });
      store.save(r.snapshot, r.objects);
      return r;
    } finally {
      store.close();
    }
  };

  it('with --state, a second run reads 0 objects', async () => {
    const db = join(dir, `state-${randomUUID().slice(0, 6)}.db`);
    const run = () => runWithState(db);
    const first = await run();
    expect(first.objects?.read).toBe(files.length);
    const second = await run();
    expect(second.objects?.read).toBe(0);
    // The listing starts at the cursor: only the keys of its 2-hour lookback are listed again (12 per region).
    expect(second.objects?.alreadyRead).toBe(24);
    expect(second.objects?.listed).toBe(24);
    expect(second.result.events).toBe(0);
  }, 60_000);

  it('a run SIGKILLed midway, then rerun, gives the same findings as one clean run', async () => {
    // Both start from the same committed state: the morning read by an earlier scheduled run.
    const base = join(dir, `base-${randomUUID().slice(0, 6)}.db`);
    const driver = (db: string, args: string[], onLine?: (line: string, kill: () => void) => void, delayMs = 0) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--conditions=@svm/source', '--import', 'tsx', 'test/objstore-driver.ts', db, url, ...args],
          {
            cwd: pkgDir,
            env: { ...process.env, SVM_TEST_FETCH_DELAY_MS: String(delayMs) },
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        let out = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (d: string) => {
          out += d;
          for (const line of d.split('\n')) if (line) onLine?.(line, () => child.kill('SIGKILL'));
        });
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code, signal, out }));
      });
    expect((await runWithState(base, '2026-03-03T12:00:00Z')).objects?.read).toBeGreaterThan(100);
    const clean = join(dir, `clean-${randomUUID().slice(0, 6)}.db`);
    const killed = join(dir, `killed-${randomUUID().slice(0, 6)}.db`);
    copyFileSync(base, clean);
    copyFileSync(base, killed);

    // One clean run (in this process: the same library calls the child makes).
    const one = await runWithState(clean);
    const cleanResult = { events: one.result.events, findings: findingsOf(one), objects: one.objects };

    let analysed = 0;
    const cut = await driver(
      killed,
      [],
      (line, kill) => {
        if (line.startsWith('analysed ') && ++analysed === 40) kill();
      },
      30,
    );
    expect(cut.signal).toBe('SIGKILL');
    expect(cut.out).not.toMatch(/^\{/m);
    const rerun = await runWithState(killed);
    const rerunResult = { events: rerun.result.events, findings: findingsOf(rerun), objects: rerun.objects };
    // The interrupted run committed nothing: the rerun reads the same objects once, finds the same.
    expect(rerunResult.objects?.read).toBe(cleanResult.objects?.read);
    expect(cleanResult.objects?.read).toBeGreaterThan(40);
    expect(rerunResult.events).toBe(cleanResult.events);
    expect(rerunResult.findings).toEqual(cleanResult.findings);
    expect(cleanResult.findings.length).toBeGreaterThan(0);
    // And the state each left behind reads nothing more.
    expect((await runWithState(killed)).objects?.read).toBe(0);
  }, 120_000);
});
