import type { AuditEvent, AuditOutcome } from '@svm/core';
import { normalizeIp } from '../internal/ip.js';
import { isoTime, num, obj, str, strArray, type Obj } from '../internal/json.js';

const KV_V2_SEGMENTS = new Set(['data', 'metadata', 'delete', 'undelete', 'destroy']);
const LOGIN_RE = /^auth\/(.+?)\/login(?:\/([^/]+))?$/;

/**
 * The logical secret a KV path names: `secret/data/prod/db` → `secret/prod/db` (KV v2's
 * `data|metadata|delete|undelete|destroy` segment after the mount is folded); KV v1 paths are kept.
 *
 * @example
 * ```ts
 * kvLogicalPath('secret/data/prod/db', 'secret/'); // 'secret/prod/db'
 * ```
 */
export function kvLogicalPath(path: string, mountPoint?: string): string {
  const mount = mountPoint ?? `${path.split('/')[0] ?? ''}/`;
  if (!path.startsWith(mount)) return path;
  const rest = path.slice(mount.length);
  const slash = rest.indexOf('/');
  const head = slash < 0 ? rest : rest.slice(0, slash);
  if (KV_V2_SEGMENTS.has(head)) return `${mount}${slash < 0 ? '' : rest.slice(slash + 1)}`.replace(/\/$/, '');
  return path.replace(/\/$/, '');
}

/** True when `path`, under KV, addresses a secret (as opposed to a config endpoint). */
function looksKv(mountType: string | undefined, path: string, mountPoint: string | undefined): boolean {
  if (mountType === 'kv' || mountType === 'generic') return true;
  if (mountType !== undefined) return false;
  // Old Vault versions write no mount_type: recognise KV v2 by its segment.
  const seg = path.slice((mountPoint ?? `${path.split('/')[0]}/`).length).split('/')[0];
  return seg !== undefined && KV_V2_SEGMENTS.has(seg) && !path.startsWith('sys/') && !path.startsWith('auth/');
}

/** Auth method from a Vault display name (`userpass-alice` → `userpass`, `root` → `token`). */
export function authMethodFromDisplayName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  if (name === 'root') return 'token';
  const dash = name.indexOf('-');
  return dash < 0 ? name : name.slice(0, dash);
}

function vaultIdentity(a: Obj | undefined): string | undefined {
  if (!a) return undefined;
  const display = str(a['display_name']);
  const meta = obj(a['metadata']);
  const role = meta ? str(meta['role_name']) : undefined;
  // AppRole display names are the mount (`approle`, or a custom mount path): add the role.
  if (display && role && !display.endsWith(`-${role}`)) return `${display}-${role}`;
  if (display) return display;
  const user = meta ? (str(meta['username']) ?? str(meta['email'])) : undefined;
  return user ?? str(a['entity_id']);
}

/**
 * Normalise one Vault/OpenBao audit entry (request or response). Response entries carry the request too,
 * so a paired response alone yields the full event. HMAC'd values (tokens, accessors, data) stay opaque
 * and are never copied except the accessor, used only as a join key.
 *
 * @example
 * ```ts
 * const ev = normalizeVault(JSON.parse(line), { file: 'audit.log', line: 1 });
 * ```
 */
export function normalizeVault(
  o: Obj,
  where: { file?: string | undefined; line?: number | undefined } = {},
): AuditEvent | undefined {
  const req = obj(o['request']);
  if (!req) return undefined;
  const type = str(o['type']) ?? 'request';
  const isResponse = type.endsWith('response');
  const auth = obj(o['auth']);
  const resp = isResponse ? obj(o['response']) : undefined;
  const respAuth = resp ? obj(resp['auth']) : undefined;
  const respData = resp ? obj(resp['data']) : undefined;
  const path = str(req['path']) ?? '';
  const mountType = str(req['mount_type']);
  const mountPoint = str(req['mount_point']);
  const operation = str(req['operation']) ?? 'unknown';
  const error = str(o['error']);
  const login = LOGIN_RE.exec(path);
  const isLogin = login !== null && operation !== 'read' && operation !== 'list';

  let outcome: AuditOutcome = 'success';
  let deniedBy: 'policy' | undefined;
  const respError = respData !== undefined && respData['error'] !== undefined;
  if (isLogin) {
    if (error || respError || (isResponse && !respAuth)) outcome = 'failed-auth';
  } else if (error || respError) {
    const denied = error ? error.includes('permission denied') : false;
    outcome = denied ? 'denied' : 'error';
    if (denied) deniedBy = 'policy';
  } else if (auth && obj(auth['policy_results'])?.['allowed'] === false) {
    outcome = 'denied';
    deniedBy = 'policy';
  }

  let identity: string | undefined;
  let authMethod: string | undefined;
  if (isLogin) {
    const loginMount = login?.[1] ?? '';
    authMethod = mountType ?? loginMount.split('/').pop();
    // A failed login has no token: name it as Vault would have (`<mount path>-<user>`).
    const mountName = loginMount.replace(/\//g, '-');
    identity = vaultIdentity(respAuth) ?? (login?.[2] ? `${mountName}-${login[2]}` : mountName);
  } else {
    identity = vaultIdentity(auth);
    authMethod = authMethodFromDisplayName(auth ? str(auth['display_name']) : undefined);
  }

  const respTtl = respAuth ? (num(respAuth['token_ttl']) ?? 0) : undefined;
  const issued = respAuth ? strArray(respAuth['policies']) : undefined;
  const policies = auth ? strArray(auth['policies']) : undefined;
  // One object literal with every key in a fixed order (absent = undefined): every event shares one hidden
  // class, which keeps the detectors' property reads fast and the worker→main structured clone uniform.
  const ev = {
    time: isoTime(o['time']) ?? '',
    source: 'vault',
    identity: identity ?? (auth && str(auth['accessor']) ? 'token' : 'anonymous'),
    identityKind: 'unknown',
    authMethod,
    sourceIp: normalizeIp(str(req['remote_address'])),
    operation,
    path,
    secret: looksKv(mountType, path, mountPoint) ? kvLogicalPath(path, mountPoint) : undefined,
    outcome,
    statusCode: undefined,
    errorMessage: error ? error.replace(/\s+/g, ' ').trim() : undefined,
    tokenTtl: respTtl,
    policies: policies && policies.length > 0 ? policies : undefined,
    requestId: str(req['id']),
    accessor: auth ? str(auth['accessor']) : undefined,
    issuedPolicies: issued,
    issuedAccessor: respAuth ? str(respAuth['accessor']) : undefined,
    leaseId: resp ? leaseIdOf(resp) : undefined,
    deniedBy,
    mountType,
    batchSize: undefined,
    entry: isResponse ? 'response' : 'request',
    file: where.file,
    line: where.line,
    ms: 0,
  } as AuditEvent;
  return ev;
}

/** `response.secret.lease_id` (dynamic credentials), when the response issued a lease. */
function leaseIdOf(resp: Obj): string | undefined {
  const secret = obj(resp['secret']);
  const id = secret ? str(secret['lease_id']) : undefined;
  return id === '' ? undefined : id;
}

/** The request id of a raw Vault line without parsing it (Vault writes `"request":{"id":"…"` first). */
export function peekVaultRequestId(line: string): string | undefined {
  const at = line.indexOf('"request":{"id":"');
  if (at < 0) return undefined;
  const start = at + 17;
  const end = line.indexOf('"', start);
  return end > start ? line.slice(start, end) : undefined;
}

/** `request` / `response` for a raw Vault line whose `type` is near the start, else undefined. */
export function peekVaultType(line: string): 'request' | 'response' | undefined {
  const at = line.indexOf('"type":"');
  if (at < 0 || at > 64) return undefined;
  if (line.startsWith('request"', at + 8)) return 'request';
  if (line.startsWith('response"', at + 8)) return 'response';
  return undefined;
}

/**
 * The distinct request paths in a Vault/OpenBao JSON audit log (one entry per line), each prefixed
 * with its namespace path, in first-seen order; `skipped` counts lines that are not JSON or have no
 * request path. For feeding real traffic to policy queries (`svm policy diff --audit-log`).
 *
 * @example
 * ```ts
 * const { paths, skipped } = vaultRequestPaths(readFileSync('audit.log', 'utf8'));
 * ```
 */
export function vaultRequestPaths(text: string): { paths: string[]; skipped: number } {
  const out = new Set<string>();
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const req = obj(obj(entry)?.['request']);
    const path = req ? str(req['path']) : undefined;
    if (path === undefined || path === '') {
      skipped++;
      continue;
    }
    out.add((str(obj(req?.['namespace'])?.['path']) ?? '') + path);
  }
  return { paths: [...out], skipped };
}
