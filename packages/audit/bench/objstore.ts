/**
 * `pnpm --filter @svm/audit bench:objstore`: reading CloudTrail from S3 (moto, the harness's server) against
 * reading the same files from disk, in the same process and run.
 *
 * 1. Generate a day of CloudTrail files (two regions, one file every 5 minutes, 200 reads a file: 576 gzip
 *    files), write them under bench/.data/objstore/ and upload them to a new moto bucket.
 * 2. Time `analyzeFiles` on the folder, then on `s3://bucket/AWSLogs/` with 1, 4 and 16 (default) objects
 *    downloaded ahead; rounds alternate, the best of SVM_BENCH_ROUNDS (default 3) counts.
 * Ratios are throughput against the disk read of the same run. Needs moto (`bash scripts/services.sh env`).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { requireService } from '@svm/test-harness';
import { analyzeFiles } from '../src/index.js';
import { cloudTrailDay } from '../test/cloudtrail-day.js';

const moto = requireService('moto');
if (!moto) {
  process.stderr.write('moto is not running: start it with bash scripts/services.sh up, then retry\n');
  process.exit(2);
}
process.env['AWS_ENDPOINT_URL_S3'] = moto.endpoint;
process.env['AWS_ACCESS_KEY_ID'] ??= moto.accessKeyId;
process.env['AWS_SECRET_ACCESS_KEY'] ??= moto.secretAccessKey;
process.env['AWS_REGION'] ??= moto.region;
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

const dir = join(fileURLToPath(new URL('.', import.meta.url)), '.data', 'objstore');
rmSync(dir, { recursive: true, force: true });
const files = cloudTrailDay({ everyMin: 5, readsPerFile: 200 });
const bucket = `svm-bench-objstore-${Date.now().toString(36)}`;
const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: moto.region });
await s3.send(new CreateBucketCommand({ Bucket: bucket }));
let bytes = 0;
for (const f of files) {
  mkdirSync(dirname(join(dir, f.key)), { recursive: true });
  writeFileSync(join(dir, f.key), f.body);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: f.body }));
  bytes += f.body.length;
}
s3.destroy();
const records = files.reduce((n, f) => n + f.records, 0);

const contenders: Array<{ name: string; run: () => Promise<{ events: number; findings: number }> }> = [
  { name: 'disk (folder, baseline)', run: () => analyzeFiles([join(dir, 'AWSLogs')]).then(summary) },
  ...[1, 4, 16].map((n) => ({
    name: `s3 (moto), ${n} ahead${n === 16 ? ' (default)' : ''}`,
    run: () => analyzeFiles([`s3://${bucket}/AWSLogs/`], { objectConcurrency: n }).then(summary),
  })),
];
function summary(r: Awaited<ReturnType<typeof analyzeFiles>>) {
  return { events: r.result.events, findings: r.result.findings.length };
}
const best = new Map<string, number>();
let reference: string | undefined;
const rounds = Number(process.env['SVM_BENCH_ROUNDS'] ?? 3);
for (let round = 0; round < rounds; round++) {
  for (const c of contenders) {
    const t0 = performance.now();
    const s = await c.run();
    const ms = performance.now() - t0;
    const key = `${s.events} events, ${s.findings} findings`;
    if (reference === undefined) reference = key;
    else if (key !== reference) throw new Error(`${c.name} found ${key}, the disk read ${reference}`);
    best.set(c.name, Math.min(best.get(c.name) ?? Number.POSITIVE_INFINITY, ms));
  }
}
const base = best.get('disk (folder, baseline)') as number;
const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(' / ');
const lines = [
  `${files.length} CloudTrail files, ${(bytes / 1_048_576).toFixed(1)} MiB gzip, ${records} records (${reference}); best of ${rounds}; load ${load}`,
  '| Read | Wall | Objects/s | Events/s | vs disk |',
  '| --- | --- | --- | --- | --- |',
  ...[...best].map(
    ([name, ms]) =>
      `| ${name} | ${(ms / 1000).toFixed(2)} s | ${Math.round((files.length * 1000) / ms)} | ${Math.round((records * 1000) / ms).toLocaleString('en-US')} | ${(base / ms).toFixed(2)}× |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
