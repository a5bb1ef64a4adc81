import { SvmError } from '@svm/core';

/** An object-storage location: `s3://bucket/prefix`, `gs://bucket/prefix`, `azblob://account/container/prefix`. */
export interface ObjectUrl {
  scheme: 's3' | 'gs' | 'azblob';
  /** Storage account (Azure only). */
  account?: string;
  /** Bucket, or Azure container. */
  bucket: string;
  /** Key prefix inside the bucket ('' for all). */
  prefix: string;
}

const URL_RE = /^(s3|gs|azblob):\/\/([^/?#]*)(?:\/([^?#]*))?$/;

/**
 * True when a path names object storage rather than a file.
 *
 * @example
 * ```ts
 * isObjectUrl('s3://trail-bucket/AWSLogs/'); // true
 * ```
 */
export function isObjectUrl(path: string): boolean {
  return /^(s3|gs|azblob):\/\//.test(path);
}

/**
 * Parse an object-storage URL; `USAGE` naming what was expected when it is malformed.
 *
 * @example
 * ```ts
 * parseObjectUrl('azblob://acct/insights-logs-auditevent/resourceId=/'); // { scheme: 'azblob', account: 'acct', bucket: 'insights-logs-auditevent', prefix: 'resourceId=/' }
 * ```
 */
export function parseObjectUrl(url: string): ObjectUrl {
  const m = URL_RE.exec(url);
  const scheme = m?.[1] as ObjectUrl['scheme'] | undefined;
  if (!m || !scheme || !m[2])
    throw new SvmError(
      'USAGE',
      `${url}: expected s3://bucket/prefix, gs://bucket/prefix or azblob://account/container/prefix`,
    );
  const rest = m[3] ?? '';
  if (scheme !== 'azblob') return { scheme, bucket: m[2], prefix: rest };
  const slash = rest.indexOf('/');
  const container = slash < 0 ? rest : rest.slice(0, slash);
  if (!container)
    throw new SvmError('USAGE', `${url}: expected azblob://account/container/prefix (no container given)`);
  return { scheme, account: m[2], bucket: container, prefix: slash < 0 ? '' : rest.slice(slash + 1) };
}

/**
 * The URL of a key in the same place (for messages, file names in findings and the state cursor).
 *
 * @example
 * ```ts
 * objectUrlOf(parseObjectUrl('s3://trail/AWSLogs/'), 'AWSLogs/1/x.json.gz'); // 's3://trail/AWSLogs/1/x.json.gz'
 * ```
 */
export function objectUrlOf(url: ObjectUrl, key: string): string {
  return url.scheme === 'azblob'
    ? `azblob://${url.account}/${url.bucket}/${key}`
    : `${url.scheme}://${url.bucket}/${key}`;
}
