import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@svm/providers';
import { requireService } from '@svm/test-harness';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const moto = requireService('moto');
const fixture = fileURLToPath(new URL('../../audit/test/fixtures/cloudtrail-eventbridge.ndjson', import.meta.url));

describe.skipIf(!moto)('svm incident contain on AWS Secrets Manager (moto) with CloudTrail logs', () => {
  it('rotates the secret; the readers are named and their access keys listed for the provider, nothing else touched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-contain-aws-'));
    const uri = `aws-sm://${moto!.region}?endpoint=${moto!.endpoint}`;
    const name = `svm-contain-${randomUUID().slice(0, 8)}/api-token`;
    const env = { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
    const store = await openStore(uri, { env });
    await store.put(name, 'leaked-value');

    // CloudTrail records built on the fixture's shape: two readers in the window, one before it, one denied probe.
    const template = JSON.parse(readFileSync(fixture, 'utf8').split('\n')[0] as string).detail;
    const record = (time: string, who: string, key: string, denied = false) => {
      const r = structuredClone(template);
      r.eventTime = time;
      r.userIdentity = {
        ...r.userIdentity,
        arn: `arn:aws:sts::210987654321:assumed-role/app/${who}`,
        accessKeyId: key,
      };
      r.requestParameters = { secretId: name };
      if (!denied) {
        delete r.errorCode;
        delete r.errorMessage;
      }
      return JSON.stringify(r);
    };
    const log = join(dir, 'cloudtrail.ndjson');
    writeFileSync(
      log,
      `${[
        record('2026-03-01T09:00:00Z', 'early', 'ASIAEARLY'),
        record('2026-03-01T10:05:00Z', 'web', 'ASIAWEB'),
        record('2026-03-01T10:06:00Z', 'etl', 'ASIAETL'),
        record('2026-03-01T10:07:00Z', 'mallory', 'ASIAMAL', true),
      ].join('\n')}\n`,
    );
    const r = await runCli(
      [
        '--json',
        'incident',
        'contain',
        '--secret',
        uri,
        name,
        '--since',
        '2026-03-01T10:00:00Z',
        '--audit',
        log,
        '--execute',
        '--yes',
        '--journal',
        join(dir, 'j.jsonl'),
        '--report-dir',
        dir,
      ],
      { env },
    );
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const c = JSON.parse(r.stdout);
    // CloudTrail names an assumed role's session after the role that issued it.
    const role = 'AWSReservedSSO_ReadOnly_1a2b';
    expect(c).toMatchObject({ outcome: 'contained', strategy: 'new-version' });
    expect(c.blastRadius.identities.map((i: { identity: string }) => i.identity).sort()).toEqual([
      `${role}/etl`,
      `${role}/web`,
    ]);
    expect(c.tokens).toEqual([]);
    expect(c.manual.join('\n')).toContain(`Disable the cloudtrail credential ASIAWEB of ${role}/web at its provider`);
    expect(c.manual.join('\n')).toContain(`Investigate ${role}/mallory: 1 denied attempt(s)`);
    expect((await store.get(name)).value).not.toBe('leaked-value');
    expect(readFileSync(join(dir, 'j.jsonl'), 'utf8')).not.toContain('leaked-value');
    await store.close();
  });
});
