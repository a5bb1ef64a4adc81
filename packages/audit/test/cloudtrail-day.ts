/**
 * A deterministic day of CloudTrail log files with the real delivery layout and record shape
 * (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz`,
 * each a gzip of one `{"Records":[…]}` document; see shared/reference/audit-log-formats.md §1b), for the
 * object-storage tests and bench. Machines read Secrets Manager around the clock in two regions; planted: a
 * failed console-login burst, a bulk read, root use, StopLogging, a resource-policy change, a secret delete and
 * an AccessDenied burst. A file holds the records of the 5 minutes before its stamp, not sorted by time.
 */
import { gzipSync } from 'node:zlib';

export const ACCOUNT = '210987654321';
export const REGIONS = ['eu-west-1', 'us-east-1'] as const;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rec = Record<string, unknown>;

function record(rand: () => number, region: string, ms: number, fields: Rec): Rec {
  const id = () =>
    Array.from({ length: 4 }, () =>
      Math.floor(rand() * 0xffffffff)
        .toString(16)
        .padStart(8, '0'),
    ).join('-');
  return {
    eventVersion: '1.10',
    eventTime: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'secretsmanager.amazonaws.com',
    eventType: 'AwsApiCall',
    eventCategory: 'Management',
    managementEvent: true,
    readOnly: true,
    awsRegion: region,
    recipientAccountId: ACCOUNT,
    requestID: id(),
    eventID: id(),
    userAgent: 'aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux api/secretsmanager#1.32.3',
    responseElements: null,
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `secretsmanager.${region}.amazonaws.com`,
    },
    ...fields,
  };
}

function role(name: string, session: string): Rec {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLE${name.toUpperCase().slice(0, 6)}:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${session}`,
    accountId: ACCOUNT,
    accessKeyId: `ASIA${name
      .toUpperCase()
      .replace(/[^A-Z]/g, '')
      .padEnd(12, 'X')
      .slice(0, 12)}`,
    sessionContext: {
      attributes: { creationDate: '2026-03-02T00:00:00Z', mfaAuthenticated: 'false' },
      sessionIssuer: {
        type: 'Role',
        principalId: `AROAEXAMPLE${name.toUpperCase().slice(0, 6)}`,
        arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
        accountId: ACCOUNT,
        userName: name,
      },
    },
  };
}

/** One generated file: its key and its gzip bytes. */
export interface TrailFile {
  key: string;
  body: Buffer;
  records: number;
}

/**
 * A day (2026-03-03, a Tuesday) of trail files, one every `everyMin` minutes per region.
 *
 * @example
 * ```ts
 * for (const f of cloudTrailDay()) writeFileSync(join(dir, f.key), f.body);
 * ```
 */
export function cloudTrailDay(options: { seed?: number; everyMin?: number; readsPerFile?: number } = {}): TrailFile[] {
  const rand = rng(options.seed ?? 17);
  const everyMin = options.everyMin ?? 10;
  const readsPerFile = options.readsPerFile ?? 20;
  const day = Date.UTC(2026, 2, 3);
  const machines = ['payments-api', 'billing-worker', 'orders-api', 'ledger-sync'];
  const out: TrailFile[] = [];
  for (const region of REGIONS) {
    const ip = region === 'eu-west-1' ? '10.20.' : '10.30.';
    for (let t = day + everyMin * 60_000; t <= day + 86_400_000; t += everyMin * 60_000) {
      const from = t - 5 * 60_000;
      const recs: Rec[] = [];
      for (let i = 0; i < readsPerFile; i++) {
        const m = machines[Math.floor(rand() * machines.length)] as string;
        recs.push(
          record(rand, region, from + Math.floor(rand() * 5 * 60_000), {
            eventName: 'GetSecretValue',
            userIdentity: role(`${m}-role`, `${m}-${region}`),
            sourceIPAddress: `${ip}${Math.floor(rand() * 4)}.${10 + Math.floor(rand() * 20)}`,
            requestParameters: { secretId: `prod/${m}/db` },
          }),
        );
      }
      const hour = new Date(t).getUTCHours();
      const minute = new Date(t).getUTCMinutes();
      if (region === 'eu-west-1' && hour === 3 && minute === 10) {
        // A failed console-login burst against one user from one address.
        for (let i = 0; i < 7; i++)
          recs.push(
            record(rand, region, from + i * 20_000, {
              eventSource: 'signin.amazonaws.com',
              eventName: 'ConsoleLogin',
              eventType: 'AwsConsoleSignIn',
              readOnly: false,
              userIdentity: {
                type: 'IAMUser',
                principalId: 'AIDAEXAMPLEMALLORY',
                arn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
                accountId: ACCOUNT,
                userName: 'mallory',
              },
              sourceIPAddress: '203.0.113.66',
              userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0',
              responseElements: { ConsoleLogin: 'Failure' },
              additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com/' },
              errorMessage: 'Failed authentication',
            }),
          );
      }
      if (region === 'us-east-1' && hour === 14 && minute === 0) {
        // One role reads 25 distinct secrets within a few minutes.
        for (let i = 0; i < 25; i++)
          recs.push(
            record(rand, region, from + i * 8_000, {
              eventName: 'GetSecretValue',
              userIdentity: role('etl-export-role', 'etl-export'),
              sourceIPAddress: '10.30.9.9',
              requestParameters: { secretId: `prod/team-${i}/api-key` },
            }),
          );
      }
      if (region === 'eu-west-1' && hour === 9 && minute === 30) {
        recs.push(
          record(rand, region, from + 10_000, {
            eventSource: 'cloudtrail.amazonaws.com',
            eventName: 'StopLogging',
            readOnly: false,
            userIdentity: {
              type: 'Root',
              principalId: ACCOUNT,
              arn: `arn:aws:iam::${ACCOUNT}:root`,
              accountId: ACCOUNT,
              accessKeyId: 'ASIAROOTEXAMPLE',
            },
            sourceIPAddress: '198.51.100.23',
            userAgent: 'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Safari/605.1.15',
            requestParameters: { name: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/main` },
          }),
          record(rand, region, from + 70_000, {
            eventName: 'PutResourcePolicy',
            readOnly: false,
            userIdentity: role('platform-admin', 'dana'),
            sourceIPAddress: '198.51.100.24',
            requestParameters: {
              secretId: 'prod/payments/db',
              resourcePolicy: '{"Version":"2012-10-17","Statement":[]}',
              blockPublicPolicy: true,
            },
          }),
        );
      }
      if (region === 'us-east-1' && hour === 16 && minute === 20) {
        recs.push(
          record(rand, region, from + 5_000, {
            eventName: 'DeleteSecret',
            readOnly: false,
            userIdentity: role('platform-admin', 'dana'),
            sourceIPAddress: '198.51.100.24',
            requestParameters: { secretId: 'prod/legacy/db', forceDeleteWithoutRecovery: true },
          }),
        );
        for (let i = 0; i < 6; i++)
          recs.push(
            record(rand, region, from + 30_000 + i * 15_000, {
              eventName: 'GetSecretValue',
              userIdentity: role('intern-sandbox', 'sam'),
              sourceIPAddress: '10.30.7.7',
              requestParameters: { secretId: `prod/payments/db` },
              errorCode: 'AccessDenied',
              errorMessage: `User: arn:aws:sts::${ACCOUNT}:assumed-role/intern-sandbox/sam is not authorized to perform: secretsmanager:GetSecretValue`,
            }),
          );
      }
      // CloudTrail does not sort a file's records by time.
      for (let i = recs.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [recs[i], recs[j]] = [recs[j] as Rec, recs[i] as Rec];
      }
      const d = new Date(t);
      const ymd = d.toISOString().slice(0, 10).split('-');
      const stamp = d.toISOString().replace(/[-:]/g, '').slice(0, 13);
      const suffix = Array.from(
        { length: 16 },
        () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rand() * 62)],
      ).join('');
      const key = `AWSLogs/${ACCOUNT}/CloudTrail/${region}/${ymd.join('/')}/${ACCOUNT}_CloudTrail_${region}_${stamp}Z_${suffix}.json.gz`;
      out.push({ key, body: gzipSync(JSON.stringify({ Records: recs })), records: recs.length });
    }
  }
  return out;
}
