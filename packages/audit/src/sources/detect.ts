import type { AuditEvent, AuditSource } from '@svm/core';
import type { Obj } from '../internal/json.js';
import { normalizeAzure } from './azure.js';
import { normalizeCloudTrail } from './cloudtrail.js';
import { normalizeGcp } from './gcp.js';
import { normalizeSimple } from './simple.js';
import { normalizeVault } from './vault.js';

/** `auto` or one source; `simple` is the original script's format (auto-detected only). */
export type SourceChoice = 'auto' | Exclude<AuditSource, 'simple'>;

/**
 * Which source a parsed record comes from, by the fields only that source writes.
 *
 * @example
 * ```ts
 * detectSource({ protoPayload: {} }); // 'gcp'
 * ```
 */
export function detectSource(o: Obj): AuditSource | undefined {
  if (o['protoPayload'] !== undefined) return 'gcp';
  if (
    o['eventName'] !== undefined ||
    o['eventname'] !== undefined ||
    (o['detail-type'] !== undefined && o['detail'] !== undefined)
  )
    return 'cloudtrail';
  if (
    o['operationName'] !== undefined &&
    (o['category'] !== undefined || o['callerIpAddress'] !== undefined || o['resourceId'] !== undefined)
  )
    return 'azure';
  const req = o['request'];
  const hasReq = typeof req === 'object' && req !== null;
  if (o['timestamp'] !== undefined || o['remote_address'] !== undefined || o['source_address'] !== undefined)
    return 'simple';
  const resp = o['response'] as Obj | undefined;
  if (resp && typeof resp === 'object' && resp['status_code'] !== undefined) return 'simple';
  if (hasReq && (o['type'] !== undefined || o['auth'] !== undefined)) return 'vault';
  if (hasReq || o['path'] !== undefined) return 'simple';
  return undefined;
}

/**
 * Every top-level member whose presence can make {@link detectSource} pick a source other than Vault, plus the
 * whole-document arrays (`Records`/`records`). The Vault fast path leaves an entry with any of them to the general
 * parser; keep this list in step with `detectSource` (a test checks each member).
 */
export const OTHER_SOURCE_MEMBERS: readonly string[] = [
  'protoPayload',
  'eventName',
  'eventname',
  'detail-type',
  'detail',
  'operationName',
  'category',
  'callerIpAddress',
  'resourceId',
  'timestamp',
  'remote_address',
  'source_address',
  'Records',
  'records',
];

/** Normalise a record of a known source. */
export function normalizeRecord(
  source: AuditSource,
  o: Obj,
  where: { file?: string | undefined; line?: number | undefined },
): AuditEvent | undefined {
  switch (source) {
    case 'vault':
      return normalizeVault(o, where);
    case 'cloudtrail':
      return normalizeCloudTrail(o, where);
    case 'gcp':
      return normalizeGcp(o, where);
    case 'azure':
      return normalizeAzure(o, where);
    case 'simple':
      return normalizeSimple(o, where);
  }
}
