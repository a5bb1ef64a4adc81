// `svm audit analyze s3://…` against moto's S3: the same findings as the files on disk, --state makes the
// second run read 0 objects (said on stderr), and --quiet silences the progress and the summary.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
import { cloudTrailDay } from '../../audit/test/cloudtrail-day.ts';
import { runCli } from './run-cli.ts';

const moto = requireService('moto');

describe.skipIf(!moto)('svm audit analyze s3://', () => {
  const bucket = `svm-cli-objstore-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'svm-cli-objstore-'));
  const files = cloudTrailDay({ everyMin: 30 });
  const vars = {
    AWS_ENDPOINT_URL_S3: moto?.endpoint,
    AWS_ACCESS_KEY_ID: moto?.accessKeyId,
    AWS_SECRET_ACCESS_KEY: moto?.secretAccessKey,
    AWS_REGION: moto?.region,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    for (const [k, v] of Object.entries(vars)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    const s3 = new S3Client({ endpoint: moto?.endpoint, forcePathStyle: true, region: moto?.region });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const f of files) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: f.body }));
      mkdirSync(dirname(join(dir, f.key)), { recursive: true });
      writeFileSync(join(dir, f.key), f.body);
    }
    s3.destroy();
  }, 60_000);

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

  it('gives the findings of the same files on disk; a second run with --state reads 0 objects', async () => {
    const disk = await runCli(['audit', 'analyze', join(dir, 'AWSLogs'), '--json', '--fail-on', 'none']);
    expect(disk.code).toBe(0);
    const state = join(dir, 'state.db');
    const args = [
      'audit',
      'analyze',
      `s3://${bucket}/AWSLogs/`,
      '--state',
      state,
      '--format',
      'json',
      '--fail-on',
      'none',
    ];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).findings).toEqual(JSON.parse(disk.stdout).findings);
    expect(first.stderr).toContain(`read ${files.length} objects`);
    const second = await runCli(args);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(
      /read 0 objects \(0\.0 MiB\) from s3:\/\/[^;]+; \d+ listed, \d+ read before \(--state\)/,
    );
    expect(JSON.parse(second.stdout).events).toBe(0);
    const quiet = await runCli(['--quiet', ...args]);
    expect(quiet.stderr).toBe('');
  }, 60_000);

  it('a bad --since names the flag', async () => {
    const r = await runCli(['audit', 'analyze', `s3://${bucket}/AWSLogs/`, '--since', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--since: expected an ISO date or instant/);
  });
});
