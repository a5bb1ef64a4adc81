/**
 * What an object key says about the log records inside it, without reading the object.
 *
 * Three delivery layouts are understood:
 * - CloudTrail: `[prefix/]AWSLogs/[o-org/]<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<id>.json.gz`.
 *   The stamp is the delivery time; a file holds records from before it (CloudTrail delivers within about
 *   15 minutes; one hour of slack is assumed).
 * - GCP Cloud Logging sinks: `…/YYYY/MM/DD/HH:00:00_HH:59:59_S0.json`: one hour of records.
 * - Azure diagnostic settings: `…/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json`: one hour of records.
 * Any other key with a `YYYY/MM/DD/` folder is taken as one day of records; other keys carry no time.
 */

/** The time span a log object's records are expected in (ms since the epoch, inclusive). */
export interface LogKeyRange {
  startMs: number;
  endMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Slack between a CloudTrail file's delivery stamp and the earliest record it may hold.
 *
 * @example
 * ```ts
 * CLOUDTRAIL_DELIVERY_SLACK_MS; // 3_600_000 (1 hour)
 * ```
 */
export const CLOUDTRAIL_DELIVERY_SLACK_MS = HOUR;

const CLOUDTRAIL_FILE = /_CloudTrail_[a-z0-9-]+_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]+\.json(?:\.gz)?$/;
const GCP_SINK = /(?:^|\/)(\d{4})\/(\d{2})\/(\d{2})\/(\d{2}):00:00_\d{2}:59:59_S\d+\.json$/;
const AZURE_INSIGHTS = /(?:^|\/)y=(\d{4})\/m=(\d{2})\/d=(\d{2})\/h=(\d{2})\/m=(\d{2})\/[^/]+$/;
const DAY_FOLDER = /(?:^|\/)(\d{4})\/(\d{2})\/(\d{2})\//;

/** A CloudTrail region folder: the unit in which object keys sort in time order. */
export const CLOUDTRAIL_STREAM = /^(.*?(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?\d{12}\/CloudTrail\/[a-z0-9-]+\/)/;

function utc(y: string, mo: string, d: string, h = '0', mi = '0'): number {
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
}

/**
 * The span of record times an object key promises, from the delivery layouts above; `undefined` when the key
 * says nothing (then the object is always read).
 *
 * @example
 * ```ts
 * logKeyRange('AWSLogs/123456789012/CloudTrail/eu-west-1/2026/03/20/123456789012_CloudTrail_eu-west-1_20260320T0105Z_ab12cd34ef56gh78.json.gz');
 * // { startMs: Date.UTC(2026, 2, 20, 0, 5), endMs: Date.UTC(2026, 2, 20, 1, 5) }
 * ```
 */
export function logKeyRange(key: string): LogKeyRange | undefined {
  let m = CLOUDTRAIL_FILE.exec(key);
  if (m) {
    const end = utc(m[1] as string, m[2] as string, m[3] as string, m[4], m[5]);
    return { startMs: end - CLOUDTRAIL_DELIVERY_SLACK_MS, endMs: end };
  }
  m = GCP_SINK.exec(key) ?? AZURE_INSIGHTS.exec(key);
  if (m) {
    const start = utc(m[1] as string, m[2] as string, m[3] as string, m[4]);
    return { startMs: start, endMs: start + HOUR - 1 };
  }
  m = DAY_FOLDER.exec(key);
  if (m) {
    const start = utc(m[1] as string, m[2] as string, m[3] as string);
    if (Number.isFinite(start)) return { startMs: start, endMs: start + DAY - 1 };
  }
  return undefined;
}

/**
 * True when an object whose key promises `range` may hold records in `[since, until]` (either bound optional).
 *
 * @example
 * ```ts
 * keyInWindow(logKeyRange(key), { since: Date.parse('2026-03-20T00:00:00Z') });
 * ```
 */
export function keyInWindow(range: LogKeyRange | undefined, window: { since?: number; until?: number }): boolean {
  if (!range) return true;
  if (window.since !== undefined && range.endMs < window.since) return false;
  if (window.until !== undefined && range.startMs > window.until) return false;
  return true;
}

/**
 * The order objects are fed to the detectors in: by the end of their key's time span, then by key (so the files of
 * several CloudTrail regions and accounts interleave by delivery time), keys without a time first, by key.
 * Directory inputs on disk are ordered the same way, so a bucket and its copy on disk give the same findings.
 *
 * @example
 * ```ts
 * keys.sort(compareLogKeys);
 * ```
 */
export function compareLogKeys(a: string, b: string): number {
  const ra = logKeyRange(a);
  const rb = logKeyRange(b);
  if (ra && rb && ra.endMs !== rb.endMs) return ra.endMs - rb.endMs;
  if (ra && !rb) return 1;
  if (!ra && rb) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The folder whose keys sort in time order, for the `--state` cursor: a CloudTrail region folder
 * (`…/AWSLogs/<account>/CloudTrail/<region>/`), else the key's folder above its date folders, else its folder.
 *
 * @example
 * ```ts
 * logStreamOf('AWSLogs/123456789012/CloudTrail/eu-west-1/2026/03/20/x.json.gz'); // 'AWSLogs/123456789012/CloudTrail/eu-west-1/'
 * ```
 */
export function logStreamOf(key: string): string {
  const ct = CLOUDTRAIL_STREAM.exec(key);
  if (ct) return ct[1] as string;
  const date = /(?:^|\/)(?:\d{4}\/\d{2}\/\d{2}\/|y=\d{4}\/)/.exec(key);
  if (date) return key.slice(0, date.index + (key[date.index] === '/' ? 1 : 0));
  const slash = key.lastIndexOf('/');
  return slash < 0 ? '' : key.slice(0, slash + 1);
}

/**
 * The `YYYY/MM/DD/` folders from `since` to `until` (UTC days), or `undefined` when the span is over `maxDays`.
 *
 * @example
 * ```ts
 * dayFolders(Date.parse('2026-03-19T22:00Z'), Date.parse('2026-03-20T02:00Z')); // ['2026/03/19/', '2026/03/20/']
 * ```
 */
export function dayFolders(since: number, until: number, maxDays = 400): string[] | undefined {
  const first = Math.floor(since / DAY);
  const last = Math.floor(until / DAY);
  if (last < first || last - first >= maxDays) return last < first ? [] : undefined;
  const out: string[] = [];
  for (let d = first; d <= last; d++) out.push(`${new Date(d * DAY).toISOString().slice(0, 10).replaceAll('-', '/')}/`);
  return out;
}
