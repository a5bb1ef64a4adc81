import type { AuditEvent, AuditOutcome } from '@svm/core';
import { normalizeIp } from '../internal/ip.js';
import { isoTime, num, obj, str, type Obj } from '../internal/json.js';

/**
 * Normalise one GCP Cloud Audit Log entry (Secret Manager and any other service). `status.code` 7 is a
 * denial, 16 a failed authentication; callers outside GCP-internal networks keep their address.
 *
 * @example
 * ```ts
 * normalizeGcp({ timestamp: '2025-04-02T09:12:44Z', protoPayload: { methodName:
 *   'google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion', resourceName: 'projects/1/secrets/k/versions/latest',
 *   authenticationInfo: { principalEmail: 'ci@p.iam.gserviceaccount.com' } } });
 * ```
 */
export function normalizeGcp(
  o: Obj,
  where: { file?: string | undefined; line?: number | undefined } = {},
): AuditEvent | undefined {
  const p = obj(o['protoPayload']);
  if (!p) return undefined;
  const method = str(p['methodName']) ?? 'unknown';
  const authn = obj(p['authenticationInfo']);
  const principal = authn ? (str(authn['principalEmail']) ?? str(authn['principalSubject'])) : undefined;
  const meta = obj(p['requestMetadata']);
  const status = obj(p['status']);
  const code = status ? num(status['code']) : undefined;
  let outcome: AuditOutcome = 'success';
  let deniedBy: 'policy' | undefined;
  if (code === 7) {
    outcome = 'denied';
    deniedBy = 'policy';
  } else if (code === 16) outcome = 'failed-auth';
  else if (code !== undefined && code !== 0) outcome = 'error';
  const resource = str(p['resourceName']) ?? '';
  const secret = /(?:^|\/)secrets\/([^/]+)/.exec(resource)?.[1];
  const ev: AuditEvent = {
    time: isoTime(o['timestamp']) ?? isoTime(o['receiveTimestamp']) ?? '',
    source: 'gcp',
    identity: principal ?? 'anonymous',
    identityKind: !principal ? 'unknown' : principal.endsWith('gserviceaccount.com') ? 'machine' : 'human',
    authMethod: principal?.endsWith('gserviceaccount.com') ? 'service-account' : 'google',
    operation: method.split('.').pop() ?? method,
    path: resource,
    outcome,
    sourceIp: normalizeIp(meta ? str(meta['callerIp']) : undefined),
    mountType: str(p['serviceName']) ?? 'unknown',
  };
  if (code !== undefined) ev.statusCode = code;
  if (secret) ev.secret = secret;
  if (deniedBy) ev.deniedBy = deniedBy;
  const insert = str(o['insertId']);
  if (insert) ev.requestId = insert;
  if (status && str(status['message'])) ev.errorMessage = str(status['message']) as string;
  if (where.file !== undefined) ev.file = where.file;
  if (where.line !== undefined) ev.line = where.line;
  return ev;
}
