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
  const logical = KV_V2_SEGMENTS.has(head) ? `${mount}${slash < 0 ? '' : rest.slice(slash + 1)}` : path;
  return logical.charCodeAt(logical.length - 1) === 47 ? logical.slice(0, -1) : logical;
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

/** What a Vault token's `auth` block (or a response's `auth`) says, as the normaliser reads it. */
export interface VaultAuthFields {
  displayName: string | undefined;
  /** `metadata` is an object: its `role_name`, `username`, `email`. */
  roleName: string | undefined;
  username: string | undefined;
  email: string | undefined;
  entityId: string | undefined;
  accessor: string | undefined;
  policies: string[] | undefined;
  /** `policy_results.allowed` is literally `false`. */
  denied: boolean;
  tokenTtl: number | undefined;
}

/**
 * The fields of one Vault audit entry that the event is built from: every other member is validated and ignored.
 * Filled from a parsed object ({@link vaultFieldsOf}) or straight from the line's text (`scanVaultLine`); both
 * give the same fields for the same entry, so both give the same event.
 */
export interface VaultFields {
  time: string | undefined;
  type: string | undefined;
  error: string | undefined;
  auth: VaultAuthFields | undefined;
  /** `request` is an object. */
  hasRequest: boolean;
  path: string | undefined;
  mountType: string | undefined;
  mountPoint: string | undefined;
  operation: string | undefined;
  remoteAddress: string | undefined;
  requestId: string | undefined;
  /** `response` is an object. */
  hasResponse: boolean;
  respAuth: VaultAuthFields | undefined;
  /** `response.data` is an object with an `error` member (any value). */
  respDataError: boolean;
  leaseId: string | undefined;
}

/** Empty fields, every key present (one hidden class). */
export function emptyVaultFields(): VaultFields {
  return {
    time: undefined,
    type: undefined,
    error: undefined,
    auth: undefined,
    hasRequest: false,
    path: undefined,
    mountType: undefined,
    mountPoint: undefined,
    operation: undefined,
    remoteAddress: undefined,
    requestId: undefined,
    hasResponse: false,
    respAuth: undefined,
    respDataError: false,
    leaseId: undefined,
  };
}

/** Empty auth fields, every key present. */
export function emptyVaultAuth(): VaultAuthFields {
  return {
    displayName: undefined,
    roleName: undefined,
    username: undefined,
    email: undefined,
    entityId: undefined,
    accessor: undefined,
    policies: undefined,
    denied: false,
    tokenTtl: undefined,
  };
}

/** What a parsed `auth` block says (undefined when it is not an object). */
export function vaultAuthFieldsOf(a: Obj | undefined): VaultAuthFields | undefined {
  if (!a) return undefined;
  const meta = obj(a['metadata']);
  const f = emptyVaultAuth();
  f.displayName = str(a['display_name']);
  f.roleName = meta ? str(meta['role_name']) : undefined;
  f.username = meta ? str(meta['username']) : undefined;
  f.email = meta ? str(meta['email']) : undefined;
  f.entityId = str(a['entity_id']);
  f.accessor = str(a['accessor']);
  f.policies = strArray(a['policies']);
  f.denied = obj(a['policy_results'])?.['allowed'] === false;
  f.tokenTtl = num(a['token_ttl']);
  return f;
}

/** The fields a Vault event is built from, read from a parsed entry. */
export function vaultFieldsOf(o: Obj): VaultFields {
  const f = emptyVaultFields();
  const req = obj(o['request']);
  const resp = obj(o['response']);
  f.time = typeof o['time'] === 'string' ? o['time'] : undefined;
  f.type = str(o['type']);
  f.error = str(o['error']);
  f.auth = vaultAuthFieldsOf(obj(o['auth']));
  f.hasRequest = req !== undefined;
  if (req) {
    f.path = str(req['path']);
    f.mountType = str(req['mount_type']);
    f.mountPoint = str(req['mount_point']);
    f.operation = str(req['operation']);
    f.remoteAddress = str(req['remote_address']);
    f.requestId = str(req['id']);
  }
  f.hasResponse = resp !== undefined;
  if (resp) {
    f.respAuth = vaultAuthFieldsOf(obj(resp['auth']));
    const data = obj(resp['data']);
    f.respDataError = data !== undefined && data['error'] !== undefined;
    const secret = obj(resp['secret']);
    f.leaseId = secret ? str(secret['lease_id']) : undefined;
  }
  return f;
}

function vaultIdentity(a: VaultAuthFields | undefined): string | undefined {
  if (!a) return undefined;
  const display = a.displayName;
  const role = a.roleName;
  // AppRole display names are the mount (`approle`, or a custom mount path): add the role.
  if (display && role && !display.endsWith(`-${role}`)) return `${display}-${role}`;
  if (display) return display;
  return a.username ?? a.email ?? a.entityId;
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
  return vaultEvent(vaultFieldsOf(o), where);
}

// Names derived from an auth block, per (shared) auth fields object.
const derived = new WeakMap<VaultAuthFields, { identity: string | undefined; authMethod: string | undefined }>();

// The logical secret of a path under a mount, by path: one string per path, not one per event.
const secrets = new Map<
  string,
  { mountType: string | undefined; mountPoint: string | undefined; secret: string | undefined }
>();

function secretOf(path: string, mountType: string | undefined, mountPoint: string | undefined): string | undefined {
  const known = secrets.get(path);
  if (known !== undefined && known.mountType === mountType && known.mountPoint === mountPoint) return known.secret;
  const secret = looksKv(mountType, path, mountPoint) ? kvLogicalPath(path, mountPoint) : undefined;
  if (secrets.size >= 65_536) secrets.clear();
  secrets.set(path, { mountType, mountPoint, secret });
  return secret;
}

/** The event of a Vault entry's fields (undefined when the entry has no `request` object). */
export function vaultEvent(
  f: VaultFields,
  where: { file?: string | undefined; line?: number | undefined },
): AuditEvent | undefined {
  if (!f.hasRequest) return undefined;
  const type = f.type ?? 'request';
  const isResponse = type.endsWith('response');
  const auth = f.auth;
  const respAuth = isResponse && f.hasResponse ? f.respAuth : undefined;
  const path = f.path ?? '';
  const mountType = f.mountType;
  const mountPoint = f.mountPoint;
  const operation = f.operation ?? 'unknown';
  const error = f.error;
  const login = path.startsWith('auth/') ? LOGIN_RE.exec(path) : null;
  const isLogin = login !== null && operation !== 'read' && operation !== 'list';

  let outcome: AuditOutcome = 'success';
  let deniedBy: 'policy' | undefined;
  const respError = isResponse && f.hasResponse && f.respDataError;
  if (isLogin) {
    if (error || respError || (isResponse && !respAuth)) outcome = 'failed-auth';
  } else if (error || respError) {
    const denied = error ? error.includes('permission denied') : false;
    outcome = denied ? 'denied' : 'error';
    if (denied) deniedBy = 'policy';
  } else if (auth?.denied) {
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
  } else if (auth !== undefined) {
    // One token's auth fields are shared by every call it makes (read once): derive its names once too.
    let names = derived.get(auth);
    if (names === undefined) {
      names = { identity: vaultIdentity(auth), authMethod: authMethodFromDisplayName(auth.displayName) };
      derived.set(auth, names);
    }
    identity = names.identity;
    authMethod = names.authMethod;
  }

  const respTtl = respAuth ? (respAuth.tokenTtl ?? 0) : undefined;
  const policies = auth?.policies;
  const leaseId = isResponse && f.hasResponse ? f.leaseId : undefined;
  // One object literal with every key in a fixed order (absent = undefined): every event shares one hidden
  // class, which keeps the detectors' property reads fast and the worker→main structured clone uniform.
  const ev = {
    time: isoTime(f.time) ?? '',
    source: 'vault',
    identity: identity ?? (auth?.accessor ? 'token' : 'anonymous'),
    identityKind: 'unknown',
    authMethod,
    sourceIp: normalizeIp(f.remoteAddress),
    operation,
    path,
    secret: secretOf(path, mountType, mountPoint),
    outcome,
    statusCode: undefined,
    errorMessage: error ? error.replace(/\s+/g, ' ').trim() : undefined,
    tokenTtl: respTtl,
    // Copies: auth fields can be shared by many events (one token's block, read once).
    policies: policies && policies.length > 0 ? policies.slice() : undefined,
    requestId: f.requestId,
    accessor: auth?.accessor,
    issuedPolicies: respAuth?.policies?.slice(),
    issuedAccessor: respAuth?.accessor,
    leaseId,
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
