import type { AuditEvent, AuditOutcome } from '@svm/core';
import { normalizeIp } from '../internal/ip.js';
import { isoTime, num, obj, str, type Obj } from '../internal/json.js';
import { authMethodFromDisplayName, kvLogicalPath } from './vault.js';

/**
 * Normalise the original `audit_log_analyzer.py` format: top-level `timestamp` (or `time`),
 * `remote_address` (or `source_address`), `response.status_code` (or `status_code`), Vault-like `auth` and
 * `request`. String status codes are accepted (the original crashed on them).
 *
 * @example
 * ```ts
 * normalizeSimple({ timestamp: '2026-03-20T14:32:00Z', auth: { display_name: 'approle-payment-svc' },
 *   request: { path: 'secret/data/production/payment/api-keys', operation: 'read' }, response: { status_code: 200 }, remote_address: '10.0.1.15' });
 * ```
 */
export function normalizeSimple(
  o: Obj,
  where: { file?: string | undefined; line?: number | undefined } = {},
): AuditEvent | undefined {
  const auth = obj(o['auth']);
  const req = obj(o['request']);
  const resp = obj(o['response']);
  const display = auth ? str(auth['display_name']) : undefined;
  const identity = display ?? (auth ? str(auth['entity_id']) : undefined) ?? 'unknown';
  const path = (req ? str(req['path']) : undefined) ?? str(o['path']) ?? 'unknown';
  const operation = (req ? str(req['operation']) : undefined) ?? str(o['operation']) ?? 'unknown';
  const status = (resp ? num(resp['status_code']) : undefined) ?? num(o['status_code']);
  let outcome: AuditOutcome = 'success';
  if (status !== undefined && status >= 400) {
    if (/^auth\/[^/]+\/login/.test(path) || status === 401) outcome = 'failed-auth';
    else if (status === 403) outcome = 'denied';
    else outcome = 'error';
  }
  const ev: AuditEvent = {
    time: isoTime(o['timestamp']) ?? isoTime(o['time']) ?? '',
    source: 'simple',
    identity,
    identityKind: 'unknown',
    operation,
    path,
    outcome,
    sourceIp: normalizeIp(
      str(o['remote_address']) ?? str(o['source_address']) ?? (req ? str(req['remote_address']) : undefined),
    ),
  };
  const method = authMethodFromDisplayName(display);
  if (method) ev.authMethod = method;
  if (status !== undefined) ev.statusCode = Math.trunc(status);
  if (outcome === 'denied') ev.deniedBy = 'policy';
  if (/\/(data|metadata|destroy|delete|undelete)\//.test(path) && !path.startsWith('sys/') && !path.startsWith('auth/'))
    ev.secret = kvLogicalPath(path);
  const acc = auth ? str(auth['accessor']) : undefined;
  if (acc) ev.accessor = acc;
  if (where.file !== undefined) ev.file = where.file;
  if (where.line !== undefined) ev.line = where.line;
  return ev;
}
