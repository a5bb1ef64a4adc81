import type { AuditEvent, AuditOutcome, IdentityKind } from '@svm/core';
import { normalizeIp } from '../internal/ip.js';
import { isoTime, num, obj, str, type Obj } from '../internal/json.js';

const CLAIM_URIS: Record<string, string> = {
  'http://schemas.microsoft.com/identity/claims/objectidentifier': 'oid',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'upn',
  'http://schemas.microsoft.com/identity/claims/identityprovider': 'idp',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name': 'name',
};

const STATUS_BY_SIGNATURE: Record<string, number> = {
  OK: 200,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  TooManyRequests: 429,
};

/** Claims with the long URI names folded to their short ones (`…/claims/upn` → `upn`). */
function claims(o: Obj): Record<string, string> {
  const c = obj(obj(o['identity'])?.['claim']) ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c)) {
    if (typeof v !== 'string') continue;
    out[CLAIM_URIS[k] ?? k] = v;
  }
  return out;
}

/**
 * Normalise one Azure Key Vault `AuditEvent` record. A 401 without an identity is the SDK's challenge
 * round-trip, not a failed login; a 403 with `isAddressAuthorized=false` is the firewall, kept apart from
 * RBAC/access-policy denials.
 *
 * @example
 * ```ts
 * normalizeAzure({ time: '2025-05-19T03:07:55Z', operationName: 'SecretGet', callerIpAddress: '20.61.8.14',
 *   identity: { claim: { appid: 'x', idtyp: 'app' } }, properties: { httpStatusCode: 200, id: 'https://kv.vault.azure.net/secrets/k/1' } });
 * ```
 */
export function normalizeAzure(
  o: Obj,
  where: { file?: string | undefined; line?: number | undefined } = {},
): AuditEvent | undefined {
  const op = str(o['operationName']);
  if (!op) return undefined;
  const c = claims(o);
  const props = obj(o['properties']) ?? {};
  const status =
    num(props['httpStatusCode']) ??
    num(o['httpStatusCode']) ??
    STATUS_BY_SIGNATURE[str(o['resultSignature']) ?? ''] ??
    (str(o['resultType']) === 'Success' ? 200 : undefined);
  const identity =
    c['upn'] ?? c['name'] ?? (c['xms_mirid'] ? c['xms_mirid'].split('/').pop() : undefined) ?? c['appid'] ?? c['oid'];
  let kind: IdentityKind = 'unknown';
  if (c['idtyp'] === 'user' || c['upn']) kind = 'human';
  else if (c['idtyp'] === 'app' || c['appid']) kind = 'machine';
  let outcome: AuditOutcome = 'success';
  let deniedBy: 'policy' | 'firewall' | undefined;
  if (status === 401) outcome = identity ? 'failed-auth' : 'error';
  else if (status === 403) {
    outcome = 'denied';
    deniedBy =
      props['isAddressAuthorized'] === false || props['isAddressAuthorized'] === 'false' ? 'firewall' : 'policy';
  } else if (status !== undefined && status >= 400) outcome = 'error';
  const uri = str(props['id']) ?? str(props['requestUri']) ?? '';
  const m = /^https?:\/\/([^./]+)[^/]*\/(secrets|keys|certificates)\/([^/?]+)/.exec(uri);
  const resource = m ? `${m[1]}/${m[2]}/${m[3]}` : (str(o['resourceId']) ?? uri);
  const ev: AuditEvent = {
    time: isoTime(o['time']) ?? '',
    source: 'azure',
    identity: identity ?? 'anonymous',
    identityKind: kind,
    authMethod: kind === 'human' ? 'entra-user' : kind === 'machine' ? 'entra-app' : 'unknown',
    operation: op,
    path: resource,
    outcome,
    sourceIp: normalizeIp(str(o['callerIpAddress'])),
    mountType: 'Microsoft.KeyVault',
  };
  if (m && m[2] === 'secrets') ev.secret = `${m[1]}/${m[3]}`;
  if (status !== undefined) ev.statusCode = status;
  if (deniedBy) ev.deniedBy = deniedBy;
  const corr = str(o['correlationId']);
  if (corr) ev.requestId = corr;
  const desc = str(o['resultDescription']);
  if (outcome !== 'success' && desc) ev.errorMessage = desc;
  if (c['appid']) ev.accessor = c['appid'];
  if (where.file !== undefined) ev.file = where.file;
  if (where.line !== undefined) ev.line = where.line;
  return ev;
}
