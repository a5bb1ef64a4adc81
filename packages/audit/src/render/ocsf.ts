import type { AuditEvent, Severity } from '@svm/core';
import type { AuditFinding } from '../detectors/types.js';
import type { SuppressedFinding } from '../findings/suppress.js';

const PRODUCT: Record<string, { name: string; vendor_name: string }> = {
  vault: { name: 'Vault', vendor_name: 'HashiCorp' },
  simple: { name: 'Vault', vendor_name: 'HashiCorp' },
  cloudtrail: { name: 'CloudTrail', vendor_name: 'AWS' },
  gcp: { name: 'Cloud Audit Logs', vendor_name: 'Google' },
  azure: { name: 'Key Vault', vendor_name: 'Microsoft' },
};
const CLOUD: Record<string, string> = { cloudtrail: 'AWS', gcp: 'GCP', azure: 'Azure' };
const SEVERITY_ID: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const OCSF_VERSION = '1.3.0';

function apiActivity(op: string): number {
  const o = op.toLowerCase();
  if (/^(create|put|add|set|import|batchcreate)|^create$/.test(o)) return 1;
  if (/^(read|get|list|describe|access|batchget|backup)/.test(o)) return 2;
  if (/^(update|patch|rotate|restore|recover|enable|disable|tag|untag|replicate)/.test(o)) return 3;
  if (/^(delete|destroy|purge|remove|revoke|schedulekeydeletion)/.test(o)) return 4;
  return 99;
}

function isAuthentication(ev: AuditEvent): boolean {
  if (ev.source === 'vault' || ev.source === 'simple')
    return (
      /^auth\/.+\/login/.test(ev.path) ||
      ev.path.startsWith('auth/token/create') ||
      ev.path.startsWith('auth/token/renew')
    );
  return ev.operation === 'ConsoleLogin' || ev.operation === 'Authentication';
}

/**
 * One event as an OCSF 1.3 record: Authentication (3002) for logins and token issuance, API Activity (6003)
 * for everything else. HMAC'd values are never copied; the accessor is kept as `credential_uid` (opaque).
 *
 * @example
 * ```ts
 * const line = JSON.stringify(toOcsfEvent(ev));
 * ```
 */
export function toOcsfEvent(ev: AuditEvent): Record<string, unknown> {
  const time = Date.parse(ev.time);
  const ok = ev.outcome === 'success';
  const cloud = CLOUD[ev.source];
  const base = {
    time,
    metadata: {
      version: OCSF_VERSION,
      product: PRODUCT[ev.source],
      // `cloud` is an attribute of the cloud profile: a record that carries it declares the profile.
      ...(cloud ? { profiles: ['cloud'] } : {}),
      ...(ev.requestId ? { uid: ev.requestId } : {}),
      ...(ev.file ? { log_name: ev.file } : {}),
    },
    severity_id: 1,
    status_id: ok ? 1 : 2,
    status: ok ? 'Success' : 'Failure',
    ...(ev.statusCode !== undefined ? { status_code: String(ev.statusCode) } : {}),
    ...(ev.errorMessage ? { status_detail: ev.errorMessage } : {}),
    ...(cloud ? { cloud: { provider: cloud } } : {}),
    // Required by API Activity, and an endpoint must name at least one of ip, name, hostname…: a log without
    // the caller's address (a service acting, a hostname CloudTrail wrote instead of an IP) says `unknown`.
    src_endpoint: ev.sourceIp ? { ip: ev.sourceIp } : { name: 'unknown' },
    unmapped: { outcome: ev.outcome, ...(ev.secret ? { secret: ev.secret } : {}) },
  };
  const user = {
    name: ev.identity,
    type: ev.identityKind === 'human' ? 'User' : ev.identityKind === 'machine' ? 'Service' : 'Unknown',
    ...(ev.accessor ? { credential_uid: ev.accessor } : {}),
  };
  if (isAuthentication(ev)) {
    const activity = ev.path.startsWith('auth/token/renew') ? 5 : 1;
    return {
      ...base,
      category_uid: 3,
      class_uid: 3002,
      activity_id: activity,
      type_uid: 3002 * 100 + activity,
      user,
      ...(ev.authMethod ? { auth_protocol: ev.authMethod } : {}),
      service: { name: ev.mountType ?? ev.source },
    };
  }
  const activity = apiActivity(ev.operation);
  return {
    ...base,
    category_uid: 6,
    class_uid: 6003,
    activity_id: activity,
    type_uid: 6003 * 100 + activity,
    actor: { user },
    api: {
      operation: ev.operation,
      service: { name: ev.mountType ?? ev.source },
      ...(ev.requestId ? { request: { uid: ev.requestId } } : {}),
    },
    resources: [{ uid: ev.secret ?? ev.path, type: ev.secret ? 'secret' : 'path' }],
  };
}

/**
 * A finding as an OCSF 1.3 Detection Finding (2004), so a SIEM gets the analyzer's conclusions too. A grouped
 * finding carries `finding_info.first_seen_time`/`last_seen_time`, its events in `count` and one resource per
 * distinct object; a suppressed finding (one with `suppressedBy`) has status Suppressed (`status_id` 3) and the
 * suppression's reason as `status_detail`.
 *
 * @example
 * ```ts
 * const line = JSON.stringify(toOcsfFinding(finding));
 * ```
 */
export function toOcsfFinding(f: AuditFinding | SuppressedFinding): Record<string, unknown> {
  const first = Date.parse(f.time);
  const last = Date.parse(f.lastTime ?? f.time);
  const by = 'suppressedBy' in f ? f.suppressedBy : undefined;
  const objects = Array.isArray(f.evidence?.['objects']) ? (f.evidence['objects'] as string[]) : undefined;
  return {
    time: first,
    category_uid: 2,
    class_uid: 2004,
    activity_id: 1,
    type_uid: 200401,
    severity_id: SEVERITY_ID[f.severity],
    severity: f.severity,
    ...(by
      ? { status_id: 3, status: 'Suppressed', status_detail: `${by.id ? `${by.id}: ` : ''}${by.reason}` }
      : { status_id: 1, status: 'New' }),
    metadata: { version: OCSF_VERSION, product: { name: 'svm audit', vendor_name: 'svm' } },
    finding_info: {
      uid: `${f.rule}:${f.time}:${f.identity ?? ''}${f.accessor ? `:${f.accessor}` : ''}`,
      title: f.rule,
      desc: f.message,
      analytic: { name: f.rule, type_id: 1 },
      first_seen_time: first,
      last_seen_time: last,
    },
    // A Detection Finding names who and from where in its evidence (it has no actor or src_endpoint of its own).
    ...(f.identity || f.sourceIp
      ? {
          evidences: [
            {
              ...(f.identity
                ? { actor: { user: { name: f.identity, ...(f.accessor ? { credential_uid: f.accessor } : {}) } } }
                : {}),
              ...(f.sourceIp ? { src_endpoint: { ip: f.sourceIp } } : {}),
            },
          ],
        }
      : {}),
    ...(objects && objects.length > 0
      ? { resources: objects.slice(0, 100).map((uid) => ({ uid })) }
      : f.path
        ? { resources: [{ uid: f.path }] }
        : {}),
    count: f.count,
  };
}
