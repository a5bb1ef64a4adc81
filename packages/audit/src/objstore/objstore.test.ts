import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { compareLogKeys, dayFolders, logKeyRange, logStreamOf } from './keys.js';
import { listLogObjects, type ListStats } from './list.js';
import { ObjectCursorTracker } from './read.js';
import type { ListOptions, ListPage, ObjectStore } from './stores.js';
import { parseObjectUrl } from './url.js';
import { parseTimeBound } from './time-bound.js';
import { renderObjectSummary, renderProgressLine } from '../render/progress.js';

const A = '210987654321';
const ct = (region: string, stamp: string, id = 'AbCdEfGh12345678', acct = A) =>
  `AWSLogs/${acct}/CloudTrail/${region}/${stamp.slice(0, 4)}/${stamp.slice(4, 6)}/${stamp.slice(6, 8)}/${acct}_CloudTrail_${region}_${stamp}Z_${id}.json.gz`;

/** An in-memory store with the listing semantics S3, GCS and Azure share (lexicographic; delimiter; start-after), counting calls. */
function memoryStore(keys: string[]): ObjectStore & { listCalls: string[]; startAfters: Array<string | undefined> } {
  const sorted = [...keys].sort();
  const listCalls: string[] = [];
  const startAfters: Array<string | undefined> = [];
  return {
    listCalls,
    startAfters,
    async *list(prefix: string, o: ListOptions = {}): AsyncIterable<ListPage> {
      listCalls.push(prefix);
      startAfters.push(o.startAfter);
      const page: ListPage = { objects: [], prefixes: [] };
      for (const k of sorted) {
        if (!k.startsWith(prefix) || (o.startAfter !== undefined && k <= o.startAfter)) continue;
        const rest = k.slice(prefix.length);
        const cut = o.delimiter ? rest.indexOf(o.delimiter) : -1;
        if (cut >= 0) {
          const p = prefix + rest.slice(0, cut + 1);
          if (!page.prefixes.includes(p)) page.prefixes.push(p);
        } else page.objects.push({ key: k, size: 10 });
      }
      yield page;
    },
    async get() {
      return Readable.from([Buffer.from('{}')]);
    },
  };
}

async function collect(store: ObjectStore, prefix: string, o: Parameters<typeof listLogObjects>[2] = {}) {
  const out: string[] = [];
  for await (const x of listLogObjects(store, prefix, o)) out.push(x.key);
  return out;
}

describe('object URLs', () => {
  it('parses the three schemes', () => {
    expect(parseObjectUrl('s3://trail/AWSLogs/')).toEqual({ scheme: 's3', bucket: 'trail', prefix: 'AWSLogs/' });
    expect(parseObjectUrl('gs://logs')).toEqual({ scheme: 'gs', bucket: 'logs', prefix: '' });
    expect(parseObjectUrl('azblob://acct/insights-logs-auditevent/resourceId=/SUBSCRIPTIONS/')).toEqual({
      scheme: 'azblob',
      account: 'acct',
      bucket: 'insights-logs-auditevent',
      prefix: 'resourceId=/SUBSCRIPTIONS/',
    });
  });
  it('names what was expected', () => {
    expect(() => parseObjectUrl('s3://')).toThrow(/expected s3:\/\/bucket\/prefix/);
    expect(() => parseObjectUrl('azblob://acct')).toThrow(/no container given/);
  });
});

describe('key times', () => {
  it('reads the three delivery layouts', () => {
    expect(logKeyRange(ct('eu-west-1', '20260303T0105'))).toEqual({
      startMs: Date.UTC(2026, 2, 3, 0, 5),
      endMs: Date.UTC(2026, 2, 3, 1, 5),
    });
    expect(logKeyRange('cloudaudit.googleapis.com/data_access/2026/03/03/07:00:00_07:59:59_S0.json')).toEqual({
      startMs: Date.UTC(2026, 2, 3, 7),
      endMs: Date.UTC(2026, 2, 3, 8) - 1,
    });
    expect(
      logKeyRange(
        'resourceId=/SUBSCRIPTIONS/X/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV/y=2026/m=03/d=03/h=07/m=00/PT1H.json',
      ),
    ).toEqual({ startMs: Date.UTC(2026, 2, 3, 7), endMs: Date.UTC(2026, 2, 3, 8) - 1 });
    expect(logKeyRange('exports/2026/03/03/part-0.ndjson')?.startMs).toBe(Date.UTC(2026, 2, 3));
    expect(logKeyRange('audit.log')).toBeUndefined();
  });

  it('streams: a CloudTrail region folder, else the folder above the dates', () => {
    expect(logStreamOf(ct('eu-west-1', '20260303T0105'))).toBe(`AWSLogs/${A}/CloudTrail/eu-west-1/`);
    expect(logStreamOf(`trail/AWSLogs/o-abc123def4/${A}/CloudTrail/us-east-1/2026/03/03/x.json.gz`)).toBe(
      `trail/AWSLogs/o-abc123def4/${A}/CloudTrail/us-east-1/`,
    );
    expect(logStreamOf('cloudaudit.googleapis.com/activity/2026/03/03/07:00:00_07:59:59_S0.json')).toBe(
      'cloudaudit.googleapis.com/activity/',
    );
    expect(logStreamOf('logs/a.json')).toBe('logs/');
  });

  it('property: CloudTrail keys of many regions sort by delivery stamp, then key', () => {
    const stamp = fc
      .integer({ min: Date.UTC(2025, 11, 30), max: Date.UTC(2026, 0, 2) })
      .map((ms) => new Date(ms - (ms % 60_000)).toISOString().replace(/[-:]/g, '').slice(0, 13));
    const key = fc.tuple(fc.constantFrom('eu-west-1', 'us-east-1', 'ap-south-1'), stamp).map(([r, s]) => ct(r, s));
    fc.assert(
      fc.property(fc.array(key, { maxLength: 40 }), (keys) => {
        const sorted = [...keys].sort(compareLogKeys);
        for (let i = 1; i < sorted.length; i++) {
          const a = logKeyRange(sorted[i - 1] as string)?.endMs as number;
          const b = logKeyRange(sorted[i] as string)?.endMs as number;
          expect(a <= b).toBe(true);
        }
      }),
      { seed: 17, numRuns: 100 },
    );
  });

  it('day folders across a month end, and none past the cap', () => {
    expect(dayFolders(Date.UTC(2026, 1, 28, 22), Date.UTC(2026, 2, 1, 2))).toEqual(['2026/02/28/', '2026/03/01/']);
    expect(dayFolders(0, 1000 * 86_400_000)).toBeUndefined();
  });

  it('--since/--until values: ISO or a duration before now', () => {
    const now = Date.UTC(2026, 2, 21);
    expect(parseTimeBound('24h', now, '--since')).toBe(Date.UTC(2026, 2, 20));
    expect(parseTimeBound('2026-03-20', now, '--since')).toBe(Date.UTC(2026, 2, 20));
    expect(parseTimeBound('2026-03-20T06:00:00Z', now, '--until')).toBe(Date.UTC(2026, 2, 20, 6));
    expect(() => parseTimeBound('yesterday', now, '--since')).toThrow(/--since: expected an ISO date/);
  });
});

describe('listing', () => {
  const keys = [
    ct('eu-west-1', '20260303T0010'),
    ct('eu-west-1', '20260303T0020'),
    ct('eu-west-1', '20260304T0010'),
    ct('us-east-1', '20260303T0015'),
    ct('us-east-1', '20260305T0010'),
    ct('eu-west-1', '20260303T0005', 'x', '123456789012'),
    `AWSLogs/${A}/CloudTrail-Digest/eu-west-1/2026/03/03/${A}_CloudTrail-Digest_eu-west-1_t_eu-west-1_20260303T001000Z.json.gz`,
    `AWSLogs/${A}/vpcflowlogs/eu-west-1/2026/03/03/flow.log.gz`,
  ];

  it('walks AWSLogs/ to every region folder of every account and merges them by delivery time', async () => {
    const store = memoryStore(keys);
    expect(await collect(store, 'AWSLogs/')).toEqual([keys[5], keys[0], keys[3], keys[1], keys[2], keys[4]]);
    // Other services' folders are never listed.
    expect(store.listCalls.some((p) => p.includes('vpcflowlogs') || p.includes('Digest'))).toBe(false);
  });

  it('--since/--until list only the day folders of the window', async () => {
    const store = memoryStore(keys);
    const stats: ListStats = { listed: 0, outsideWindow: 0, alreadyRead: 0 };
    const got = await collect(store, `AWSLogs/${A}/`, {
      since: Date.UTC(2026, 2, 3, 0, 12),
      until: Date.UTC(2026, 2, 3, 12),
      stats,
    });
    expect(got).toEqual([keys[3], keys[1]]);
    expect(store.listCalls.filter((p) => /\d{4}\/\d{2}\/\d{2}\/$/.test(p)).sort()).toEqual([
      `AWSLogs/${A}/CloudTrail/eu-west-1/2026/03/03/`,
      `AWSLogs/${A}/CloudTrail/us-east-1/2026/03/03/`,
    ]);
    expect(stats).toEqual({ listed: 3, outsideWindow: 1, alreadyRead: 0 });
  });

  it('the cursor: a folder lists from the least remembered key, skipping the remembered ones', async () => {
    const store = memoryStore([...keys, ct('eu-west-1', '20260303T0020', 'LateLateLate0000')]);
    const seen = new Map([[`AWSLogs/${A}/CloudTrail/eu-west-1/`, new Set([keys[0] as string, keys[1] as string])]]);
    const stats: ListStats = { listed: 0, outsideWindow: 0, alreadyRead: 0 };
    const got = await collect(store, `AWSLogs/${A}/CloudTrail/eu-west-1/`, { seen: (s) => seen.get(s), stats });
    // The file delivered late (sorting before the newest key read) is still read.
    expect(got).toEqual([ct('eu-west-1', '20260303T0020', 'LateLateLate0000'), keys[2]]);
    expect(stats.alreadyRead).toBe(1);
  });

  it('a prefix without AWSLogs is one flat listing, in key-time order', async () => {
    const gcs = [
      'cloudaudit.googleapis.com/activity/2026/03/03/08:00:00_08:59:59_S0.json',
      'cloudaudit.googleapis.com/activity/2026/03/03/07:00:00_07:59:59_S0.json',
      'cloudaudit.googleapis.com/data_access/2026/03/03/07:00:00_07:59:59_S0.json',
    ];
    expect(await collect(memoryStore(gcs), '')).toEqual([gcs[1], gcs[2], gcs[0]]);
  });

  it('a dated folder outside CloudTrail lists from its cursor too', async () => {
    const gcs = [
      'cloudaudit.googleapis.com/activity/2026/03/03/07:00:00_07:59:59_S0.json',
      'cloudaudit.googleapis.com/activity/2026/03/03/08:00:00_08:59:59_S0.json',
      'cloudaudit.googleapis.com/activity/2026/03/03/09:00:00_09:59:59_S0.json',
    ];
    const store = memoryStore(gcs);
    const seen = new Map([['cloudaudit.googleapis.com/activity/', new Set([gcs[0] as string, gcs[1] as string])]]);
    expect(await collect(store, 'cloudaudit.googleapis.com/', { seen: (s) => seen.get(s) })).toEqual([gcs[2]]);
    expect(store.startAfters.at(-1)).toBe(gcs[0]);
  });

  it('the tracker keeps the newest key and the keys of the last two hours per stream', () => {
    const t = new ObjectCursorTracker();
    for (let h = 0; h < 6; h++) {
      const k = ct('eu-west-1', `20260303T0${h}00`);
      t.record('s3://b/x/', k, logKeyRange(k)?.endMs);
    }
    expect(t.entries().map((e) => e.key.match(/T(\d{4})Z/)?.[1])).toEqual(['0300', '0400', '0500']);
  });
});

describe('progress lines', () => {
  it('objects, bytes, events and events/s; the closing summary says why objects were skipped', () => {
    const p = { bytes: 5_242_880, totalBytes: 0, file: 's3://b/k', inputs: 12, events: 30_000 };
    expect(renderProgressLine(p, 2_000, 'objects')).toBe('12 objects · 5.0 MiB · 30,000 events · 15,000 events/s');
    expect(
      renderObjectSummary({ listed: 290, outsideWindow: 2, alreadyRead: 288, read: 0, bytes: 0 }, ['s3://t/AWSLogs/']),
    ).toBe(
      'read 0 objects (0.0 MiB) from s3://t/AWSLogs/; 290 listed, 288 read before (--state), 2 outside --since/--until',
    );
  });
});
