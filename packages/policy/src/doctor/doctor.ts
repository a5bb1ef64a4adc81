import {
  type DoctorCheck,
  type DoctorReport,
  type Finding,
  type Policy,
  type PolicyFlavor,
  SEVERITIES,
  compareSeverity,
  isSvmError,
} from '@svm/core';
import type { VaultHttp } from '../apply/client.js';
import { lintAuthRoles, lintPolicies, sortFindings } from '../lint/lint.js';
import type { AuthRoleInput } from '../lint/role-checks.js';
import { parsePolicy } from '../parse/parse-policy.js';
import { DOCTOR_CHECKS, type DoctorCheckId, type DoctorRuleId, doctorRule } from './rules.js';

/**
 * Options for {@link vaultDoctor}. Thresholds default to the values in the README ("svm vault doctor").
 *
 * @example
 * ```ts
 * await vaultDoctor(client, { address: 'https://vault:8200', maxLeases: 50_000 });
 * ```
 */
export interface VaultDoctorOptions {
  /** Server address, only copied into the report. */
  address?: string | undefined;
  /** `token-count-high` above this many service tokens (default 50,000). */
  maxTokens?: number | undefined;
  /** `lease-count-high` above this many leases (default 256,000: the server's own warning threshold, `maxLeaseThreshold`). */
  maxLeases?: number | undefined;
  /** At most this many token accessors are looked up for root tokens (default 2,000); the rest is reported as not checked. */
  maxAccessors?: number | undefined;
  /** Requests in flight at once for per-item reads (roles, policies, accessors; default 8). */
  concurrency?: number | undefined;
  /** Policy engine flavor for the policy lint (default: from the server version, 2.x = openbao). */
  flavor?: PolicyFlavor | undefined;
}

/** Default thresholds of {@link vaultDoctor}. */
const DEFAULTS = { maxTokens: 50_000, maxLeases: 256_000, maxAccessors: 2_000, concurrency: 8 } as const;
const HOUR = 3600;
const DAY = 24 * HOUR;

/** Secret-engine types whose leases are not credentials (or whose max TTL bounds a CA's life): no TTL rules. */
const NO_LEASE_TTL_TYPES = new Set(['kv', 'generic', 'cubbyhole', 'identity', 'system', 'pki', 'transit', 'totp']);
/** Where each auth method keeps its roles (`auth/<mount>/<folder>`). */
const ROLE_FOLDERS: Record<string, string> = {
  approle: 'role',
  kubernetes: 'role',
  jwt: 'role',
  oidc: 'role',
  aws: 'role',
  gcp: 'role',
  azure: 'role',
  alicloud: 'role',
  oci: 'role',
  cf: 'roles',
  userpass: 'users',
  radius: 'users',
  cert: 'certs',
  token: 'roles',
};

type Reply = { ok: true; json: Record<string, unknown> } | { ok: false; status: number; why: string };

class CheckState {
  readonly findings: Finding[] = [];
  readonly unchecked: string[] = [];
  readonly notes: string[] = [];
  applicable = true;
  constructor(readonly id: DoctorCheckId) {}

  add(id: DoctorRuleId, message: string, file: string, extra: Partial<Finding> = {}): void {
    const r = doctorRule(id);
    this.findings.push({
      rule: id,
      category: r.category,
      severity: r.severity,
      message,
      fix: r.fix,
      file,
      ...extra,
    });
  }
  /** Add lint findings (policies, roles); tagged with this check in `evidence.check`. */
  addLint(findings: readonly Finding[]): void {
    for (const f of findings) this.findings.push({ ...f, evidence: { ...f.evidence, check: this.id } });
  }
  refused(what: string, reply: Extract<Reply, { ok: false }>): void {
    this.unchecked.push(`${what}: ${reply.why}`);
  }
}

/**
 * Check a live Vault/OpenBao server against the guidance: seal (Shamir ≥ 3-of-5 or auto-unseal), storage and
 * HA (Raft peers, leader, autopilot), audit devices (at least two), auth roles and every ACL policy (through
 * the policy linter's rules), token/lease TTL defaults and maxima per mount, root tokens in existence, token
 * and lease counts, KV versions and the post-unseal checklist. Read-mostly: the only writes are
 * `auth/token/lookup-accessor` lookups. An endpoint the token may not read (403) makes its check
 * `not-checked`, never `passed`. Findings use the linter's schema with the API path as `file`.
 *
 * @example
 * ```ts
 * const client = createVaultClient({ address: 'http://127.0.0.1:8200', token: process.env.VAULT_TOKEN ?? '' });
 * const report = await vaultDoctor(client, { address: 'http://127.0.0.1:8200' });
 * report.checks.find((c) => c.id === 'audit-devices')?.status; // 'failed' with a single audit device
 * ```
 */
export async function vaultDoctor(client: VaultHttp, options: VaultDoctorOptions = {}): Promise<DoctorReport> {
  const cache = new Map<string, Promise<Reply>>();
  const call: Call = (method, path, body, fresh) => {
    const key = `${method} ${path} ${body ? JSON.stringify(body) : ''}`;
    let p = cache.get(key);
    if (!p || fresh) {
      p = client.request(method, path, body).then(({ status, json }) => toReply(status, json));
      cache.set(key, p);
    }
    return p;
  };
  const limit = Math.max(1, options.concurrency ?? DEFAULTS.concurrency);
  const states = new Map<DoctorCheckId, CheckState>(DOCTOR_CHECKS.map((c) => [c.id, new CheckState(c.id)]));
  const state = (id: DoctorCheckId) => states.get(id) as CheckState;

  // Seal and storage: sys/seal-status is unauthenticated, and also names the storage type.
  const seal = await call('GET', 'sys/seal-status');
  const server: DoctorReport['server'] = {};
  if (seal.ok) {
    const s = seal.json;
    if (typeof s.version === 'string') server.version = s.version;
    if (typeof s.type === 'string') server.sealType = s.type;
    if (typeof s.storage_type === 'string') server.storageType = s.storage_type;
  }
  server.flavor = options.flavor ?? detectFlavor(server.version);
  const sealed = seal.ok && seal.json.sealed === true;
  checkSeal(state('seal'), seal);
  checkStorage(state('storage'), seal);

  if (sealed) {
    for (const c of DOCTOR_CHECKS) {
      if (c.id === 'seal' || c.id === 'storage') continue;
      state(c.id).unchecked.push('the server is sealed: nothing past sys/seal-status can be read');
    }
  } else {
    const mounts = call('GET', 'sys/mounts');
    const auths = call('GET', 'sys/auth');
    await Promise.all([
      checkHa(state('ha'), call),
      checkRaft(state('raft'), call),
      checkAudit(state('audit-devices'), call),
      checkAuthRoles(state('auth-roles'), call, auths, limit),
      checkPolicies(state('policies'), call, mounts, limit, server.flavor),
      checkLeaseTtls(state('lease-ttls'), call, mounts, auths, limit),
      checkRootTokens(state('root-tokens'), call, limit, options.maxAccessors ?? DEFAULTS.maxAccessors),
      checkCounts(
        state('counts'),
        call,
        options.maxTokens ?? DEFAULTS.maxTokens,
        options.maxLeases ?? DEFAULTS.maxLeases,
      ),
      checkKvVersions(state('kv-versions'), mounts),
      checkPostUnseal(state('post-unseal'), call),
    ]);
  }

  const checks: DoctorCheck[] = DOCTOR_CHECKS.map((c) => {
    const s = state(c.id);
    const status: DoctorCheck['status'] =
      s.findings.length > 0
        ? 'failed'
        : s.unchecked.length > 0
          ? 'not-checked'
          : s.applicable
            ? 'passed'
            : 'not-applicable';
    const check: DoctorCheck = {
      id: c.id,
      title: c.title,
      status,
      findings: s.findings.length,
      endpoints: [...c.endpoints],
      unchecked: s.unchecked,
    };
    if (s.notes.length > 0) check.notes = s.notes;
    return check;
  });
  // Highest severity first; then check order, then where (file, line) as the linter sorts.
  const findings = DOCTOR_CHECKS.flatMap((c, i) => sortFindings(state(c.id).findings).map((f) => ({ f, i })))
    .sort((a, b) => compareSeverity(b.f.severity, a.f.severity) || a.i - b.i)
    .map(({ f }) => f);
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((sev) => [sev, findings.filter((f) => f.severity === sev).length]),
  ) as DoctorReport['summary']['findings'];
  const report: DoctorReport = {
    server,
    checks,
    findings,
    summary: {
      passed: checks.filter((c) => c.status === 'passed').length,
      failed: checks.filter((c) => c.status === 'failed').length,
      notChecked: checks.filter((c) => c.status === 'not-checked').length,
      notApplicable: checks.filter((c) => c.status === 'not-applicable').length,
      findings: bySeverity,
    },
  };
  if (options.address) report.address = options.address;
  return report;
}

type Call = (
  method: 'GET' | 'LIST' | 'POST',
  path: string,
  body?: Record<string, unknown>,
  /** Ask again instead of reusing this run's answer. */
  fresh?: boolean,
) => Promise<Reply>;

function toReply(status: number, json: unknown): Reply {
  const obj = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  if (status === 200 || status === 204) return { ok: true, json: obj };
  const errors = Array.isArray(obj.errors) ? obj.errors.map((e) => String(e).replace(/\s+/g, ' ').trim()) : [];
  const detail = errors.filter(Boolean).join('; ');
  const why =
    status === 403
      ? 'permission denied (403)'
      : status === 404
        ? `not found (404)${detail ? `: ${detail}` : ''}`
        : status === 503
          ? `unavailable (503, sealed or standby)${detail ? `: ${detail}` : ''}`
          : `HTTP ${status}${detail ? `: ${detail}` : ''}`;
  return { ok: false, status, why };
}

/** The `data` object of a reply (most endpoints), else its top level (seal-status, leader). */
function dataOf(reply: Extract<Reply, { ok: true }>): Record<string, unknown> {
  const data = reply.json.data;
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : reply.json;
}

function detectFlavor(version: string | undefined): PolicyFlavor | undefined {
  const major = Number(/^v?(\d+)\./.exec(version ?? '')?.[1]);
  if (!Number.isFinite(major)) return undefined;
  return major >= 2 ? 'openbao' : 'vault';
}

async function mapLimit<TItem, TResult>(
  items: readonly TItem[],
  limit: number,
  fn: (item: TItem) => Promise<TResult>,
): Promise<TResult[]> {
  const out: TResult[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as TItem);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function keysOf(reply: Reply): string[] {
  if (!reply.ok) return [];
  const keys = dataOf(reply).keys;
  return Array.isArray(keys) ? keys.map(String) : [];
}

/** A LIST that found nothing answers 404 with no error text: an empty list, not a refusal. */
function emptyList(reply: Reply): boolean {
  return !reply.ok && reply.status === 404 && !reply.why.includes(':');
}

function fmtTtl(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY}d`;
  if (seconds % HOUR === 0) return `${seconds / HOUR}h`;
  return `${seconds}s`;
}

// ------------------------------------------------------------------------------------------------ checks

function checkSeal(s: CheckState, seal: Reply): void {
  if (!seal.ok) {
    s.refused('GET sys/seal-status', seal);
    return;
  }
  const j = seal.json;
  if (j.initialized === false) {
    s.notes.push('the server is not initialised');
    return;
  }
  if (j.sealed === true)
    s.add(
      'server-sealed',
      `the server is sealed (unseal progress ${j.progress ?? 0} of ${j.t ?? '?'})`,
      'sys/seal-status',
    );
  const type = String(j.type ?? '');
  if (type === 'shamir') {
    const t = Number(j.t);
    const n = Number(j.n);
    if (!(t >= 3 && n >= 5))
      s.add(
        'seal-shamir-threshold',
        `Shamir seal with ${t} of ${n} key shares${t === 1 && n === 1 ? ' (a -dev server seal)' : ''}; the guidance asks for at least 3 of 5, or auto-unseal`,
        'sys/seal-status',
        { evidence: { type, threshold: t, shares: n } },
      );
    else s.notes.push(`Shamir seal, ${t} of ${n} key shares`);
  } else if (type) s.notes.push(`auto-unseal (${type} seal${j.recovery_seal ? ', recovery keys' : ''})`);
}

function checkStorage(s: CheckState, seal: Reply): void {
  if (!seal.ok) {
    s.refused('GET sys/seal-status', seal);
    return;
  }
  const type = typeof seal.json.storage_type === 'string' ? seal.json.storage_type : undefined;
  if (!type) {
    s.unchecked.push('GET sys/seal-status: the server does not report storage_type');
    return;
  }
  if (type === 'inmem' || type.startsWith('inmem'))
    s.add(
      'storage-inmem',
      `storage is "${type}" (in memory, a -dev server): everything is lost on restart`,
      'sys/seal-status',
      {
        evidence: { storageType: type },
      },
    );
  else if (type !== 'raft')
    s.add('storage-not-raft', `storage is "${type}", not Raft integrated storage`, 'sys/seal-status', {
      evidence: { storageType: type },
    });
  else s.notes.push('Raft integrated storage');
}

async function checkHa(s: CheckState, call: Call): Promise<void> {
  const leader = await call('GET', 'sys/leader');
  if (!leader.ok) {
    s.refused('GET sys/leader', leader);
    return;
  }
  const l = leader.json;
  if (l.ha_enabled !== true) {
    s.add('ha-disabled', 'high availability is not enabled (sys/leader: ha_enabled false)', 'sys/leader');
    return;
  }
  const ha = await call('GET', 'sys/ha-status');
  if (!ha.ok) {
    s.refused('GET sys/ha-status', ha);
    return;
  }
  const nodes = Array.isArray(dataOf(ha).nodes) ? (dataOf(ha).nodes as Array<Record<string, unknown>>) : [];
  const active = nodes.find((n) => n.active_node === true);
  s.notes.push(
    `HA enabled, ${nodes.length} node${nodes.length === 1 ? '' : 's'}${active ? `, active ${String(active.api_address ?? active.hostname)}` : ''}`,
  );
}

async function checkRaft(s: CheckState, call: Call): Promise<void> {
  const config = await call('GET', 'sys/storage/raft/configuration');
  if (!config.ok) {
    // Another storage backend: "unsupported path" (404). Not a refusal, nothing to check.
    if (config.status === 404) {
      s.applicable = false;
      s.notes.push('not Raft storage (sys/storage/raft/configuration: unsupported path)');
      return;
    }
    s.refused('GET sys/storage/raft/configuration', config);
    return;
  }
  const cfg = (dataOf(config).config ?? {}) as { servers?: Array<Record<string, unknown>> };
  const servers = Array.isArray(cfg.servers) ? cfg.servers : [];
  const voters = servers.filter((v) => v.voter !== false);
  if (!servers.some((v) => v.leader === true))
    s.add(
      'raft-no-leader',
      `the Raft configuration (${servers.length} servers) names no leader`,
      'sys/storage/raft/configuration',
    );
  if (voters.length < 3)
    s.add(
      'raft-fewer-than-three-voters',
      `${voters.length} Raft voter${voters.length === 1 ? '' : 's'} (${voters.map((v) => String(v.node_id)).join(', ')}): no node can fail without losing quorum`,
      'sys/storage/raft/configuration',
      { count: voters.length },
    );
  s.notes.push(`${servers.length} Raft servers, ${voters.length} voters`);
  const auto = await call('GET', 'sys/storage/raft/autopilot/state');
  if (!auto.ok) {
    if (auto.status === 404) s.notes.push('autopilot state not available on this server');
    else s.refused('GET sys/storage/raft/autopilot/state', auto);
    return;
  }
  const a = dataOf(auto);
  const unhealthy = Object.values((a.servers ?? {}) as Record<string, Record<string, unknown>>)
    .filter((v) => v.healthy === false)
    .map((v) => String(v.id ?? v.name));
  if (a.healthy === false || unhealthy.length > 0)
    s.add(
      'autopilot-unhealthy',
      `autopilot reports the cluster ${a.healthy === false ? 'unhealthy' : 'healthy'}${unhealthy.length > 0 ? `; unhealthy servers: ${unhealthy.join(', ')}` : ''}`,
      'sys/storage/raft/autopilot/state',
    );
  else s.notes.push(`autopilot healthy, failure tolerance ${String(a.failure_tolerance ?? '?')}`);
}

async function checkAudit(s: CheckState, call: Call): Promise<void> {
  const audit = await call('GET', 'sys/audit');
  if (!audit.ok) {
    s.refused('GET sys/audit', audit);
    return;
  }
  const devices = Object.entries(dataOf(audit)).filter(
    ([, v]) => v && typeof v === 'object' && typeof (v as Record<string, unknown>).type === 'string',
  );
  const list = devices.map(([path, v]) => `${path} (${String((v as Record<string, unknown>).type)})`).join(', ');
  if (devices.length === 0) s.add('audit-no-device', 'no audit device is enabled', 'sys/audit', { count: 0 });
  else if (devices.length === 1)
    s.add('audit-single-device', `one audit device only: ${list}`, 'sys/audit', { count: 1 });
  else s.notes.push(`${devices.length} audit devices: ${list}`);
}

interface MountEntry {
  path: string;
  type: string;
  options: Record<string, unknown>;
}

function mountsOf(reply: Reply): MountEntry[] {
  if (!reply.ok) return [];
  return Object.entries(dataOf(reply))
    .filter(([, v]) => v && typeof v === 'object' && typeof (v as Record<string, unknown>).type === 'string')
    .map(([path, v]) => {
      const m = v as Record<string, unknown>;
      return {
        path: path.replace(/\/+$/, ''),
        // Inside an OpenBao namespace the built-in mounts are typed ns_token, ns_cubbyhole, ns_system, ….
        type: String(m.type).replace(/^ns_/, ''),
        options: (m.options && typeof m.options === 'object' ? m.options : {}) as Record<string, unknown>,
      };
    });
}

async function checkAuthRoles(s: CheckState, call: Call, auths: Promise<Reply>, limit: number): Promise<void> {
  const reply = await auths;
  if (!reply.ok) {
    s.refused('GET sys/auth', reply);
    return;
  }
  const roles: AuthRoleInput[] = [];
  const mounts = mountsOf(reply);
  const skipped: string[] = [];
  await mapLimit(mounts, limit, async (m) => {
    const folder = ROLE_FOLDERS[m.type];
    if (!folder) {
      skipped.push(`${m.path}/ (${m.type})`);
      return;
    }
    const listPath = `auth/${m.path}/${folder}`;
    const list = await call('LIST', listPath);
    if (!list.ok) {
      if (!emptyList(list)) s.refused(`LIST ${listPath}`, list);
      return;
    }
    await mapLimit(keysOf(list), limit, async (name) => {
      const rolePath = `${listPath}/${name}`;
      const role = await call('GET', rolePath);
      if (!role.ok) {
        s.refused(`GET ${rolePath}`, role);
        return;
      }
      const body = dataOf(role);
      const method = m.type === 'jwt' || m.type === 'oidc' ? (body.role_type === 'oidc' ? 'oidc' : 'jwt') : m.type;
      roles.push({ method, mount: m.path, name, body, file: rolePath });
    });
  });
  s.addLint(lintAuthRoles(roles));
  s.notes.push(
    `${mounts.length} auth method${mounts.length === 1 ? '' : 's'}, ${roles.length} role${roles.length === 1 ? '' : 's'} linted`,
  );
  if (skipped.length > 0) s.notes.push(`no role rules for: ${skipped.sort().join(', ')}`);
}

async function checkPolicies(
  s: CheckState,
  call: Call,
  mountsReply: Promise<Reply>,
  limit: number,
  flavor: PolicyFlavor | undefined,
): Promise<void> {
  const list = await call('LIST', 'sys/policies/acl');
  if (!list.ok) {
    s.refused('LIST sys/policies/acl', list);
    return;
  }
  const mounts = await mountsReply;
  if (!mounts.ok) s.notes.push('KV v2 mounts unknown (sys/mounts refused): kv2-missing-prefix not applied');
  const kv2Mounts = mountsOf(mounts)
    .filter((m) => m.type === 'kv' && String(m.options.version ?? '1') === '2')
    .map((m) => m.path);
  // `root` has no text (it is built in and means everything).
  const names = keysOf(list).filter((n) => n !== 'root');
  const policies: Policy[] = [];
  const invalid: Finding[] = [];
  await mapLimit(names, limit, async (name) => {
    const path = `sys/policies/acl/${name}`;
    const reply = await call('GET', path);
    if (!reply.ok) {
      s.refused(`GET ${path}`, reply);
      return;
    }
    const text = String(dataOf(reply).policy ?? '');
    try {
      policies.push(parsePolicy(text, { name, file: path, ...(flavor ? { flavor } : {}) }));
    } catch (error) {
      if (!isSvmError(error)) throw error;
      invalid.push({
        rule: 'invalid-policy',
        category: 'invalid',
        severity: 'high',
        message: `${name}: ${error.message}`,
        file: path,
        ...(error.location.line ? { line: error.location.line } : {}),
      });
    }
  });
  policies.sort((a, b) => a.name.localeCompare(b.name));
  s.addLint([...invalid, ...lintPolicies(policies, { flavor, kv2Mounts })]);
  s.notes.push(`${names.length} polic${names.length === 1 ? 'y' : 'ies'} linted`);
}

async function checkLeaseTtls(
  s: CheckState,
  call: Call,
  mountsReply: Promise<Reply>,
  authsReply: Promise<Reply>,
  limit: number,
): Promise<void> {
  const [mounts, auths] = await Promise.all([mountsReply, authsReply]);
  const targets: Array<{ tune: string; label: string }> = [];
  if (auths.ok)
    for (const m of mountsOf(auths))
      targets.push({ tune: `sys/mounts/auth/${m.path}/tune`, label: `auth method ${m.path}/ (${m.type})` });
  else s.refused('GET sys/auth', auths);
  if (mounts.ok) {
    for (const m of mountsOf(mounts))
      if (!NO_LEASE_TTL_TYPES.has(m.type))
        targets.push({ tune: `sys/mounts/${m.path}/tune`, label: `secrets engine ${m.path}/ (${m.type})` });
  } else s.refused('GET sys/mounts', mounts);
  await mapLimit(targets, limit, async (t) => {
    const reply = await call('GET', t.tune);
    if (!reply.ok) {
      s.refused(`GET ${t.tune}`, reply);
      return;
    }
    const d = dataOf(reply);
    const def = Number(d.default_lease_ttl);
    const max = Number(d.max_lease_ttl);
    if (def > DAY)
      s.add('default-lease-ttl-over-24h', `${t.label}: default_lease_ttl is ${fmtTtl(def)}`, t.tune, {
        evidence: { default_lease_ttl: def },
      });
    if (max > 30 * DAY)
      s.add('max-lease-ttl-over-30d', `${t.label}: max_lease_ttl is ${fmtTtl(max)}`, t.tune, {
        evidence: { max_lease_ttl: max },
      });
    else if (max > DAY)
      s.add('max-lease-ttl-over-24h', `${t.label}: max_lease_ttl is ${fmtTtl(max)}`, t.tune, {
        evidence: { max_lease_ttl: max },
      });
  });
  s.notes.push(`${targets.length} mounts' effective TTLs read`);
}

async function checkRootTokens(s: CheckState, call: Call, limit: number, maxAccessors: number): Promise<void> {
  const list = await call('LIST', 'auth/token/accessors');
  if (!list.ok) {
    if (!emptyList(list)) s.refused('LIST auth/token/accessors', list);
    else s.notes.push('no token accessors');
    return;
  }
  const self = await call('GET', 'auth/token/lookup-self');
  const selfAccessor = self.ok ? String(dataOf(self).accessor ?? '') : '';
  const all = keysOf(list).sort();
  const accessors = all.slice(0, maxAccessors);
  if (all.length > accessors.length)
    s.unchecked.push(
      `${all.length - accessors.length} of ${all.length} token accessors not looked up (limit ${maxAccessors})`,
    );
  let refused = false;
  let roots = 0;
  await mapLimit(accessors, limit, async (accessor) => {
    if (refused) return;
    const reply = await call('POST', 'auth/token/lookup-accessor', { accessor });
    if (!reply.ok) {
      // A token revoked between the LIST and the lookup answers 400: nothing to report.
      if (reply.status === 403 && !refused) {
        refused = true;
        s.refused('POST auth/token/lookup-accessor', reply);
      }
      return;
    }
    const d = dataOf(reply);
    const policies = Array.isArray(d.policies) ? d.policies.map(String) : [];
    if (!policies.includes('root')) return;
    roots++;
    const created = typeof d.creation_time === 'number' ? new Date(d.creation_time * 1000).toISOString() : undefined;
    const expires = typeof d.expire_time === 'string' && d.expire_time ? `expires ${d.expire_time}` : 'never expires';
    const isSelf = accessor === selfAccessor;
    s.add(
      'root-token-exists',
      `a root token exists: accessor ${accessor} (display name ${String(d.display_name ?? '?')}${created ? `, created ${created}` : ''}, ${expires})${isSelf ? ' — the token running this check' : ''}`,
      'auth/token/accessors',
      { accessor },
    );
  });
  if (roots === 0 && !refused) s.notes.push(`${accessors.length} token accessors looked up, no root token`);
}

async function checkCounts(s: CheckState, call: Call, maxTokens: number, maxLeases: number): Promise<void> {
  const tokens = await call('GET', 'sys/internal/counters/tokens');
  if (!tokens.ok) s.refused('GET sys/internal/counters/tokens', tokens);
  else {
    const counters = (dataOf(tokens).counters ?? {}) as Record<string, { total?: unknown }>;
    const total = Number(counters.service_tokens?.total ?? 0);
    if (total > maxTokens)
      s.add(
        'token-count-high',
        `${total} service tokens exist (threshold ${maxTokens})`,
        'sys/internal/counters/tokens',
        {
          count: total,
        },
      );
    else s.notes.push(`${total} service tokens (threshold ${maxTokens})`);
  }
  let metrics = await call('GET', 'sys/metrics');
  if (!metrics.ok) {
    s.refused('GET sys/metrics', metrics);
    return;
  }
  let leases = gauge(metrics, 'vault.expire.num_leases');
  // The active node sets the gauge every second; a metrics interval that just began may not have it yet.
  for (let attempt = 0; leases === undefined && attempt < 3; attempt++) {
    await new Promise((r) => setTimeout(r, 1100));
    metrics = await call('GET', 'sys/metrics', undefined, true);
    leases = metrics.ok ? gauge(metrics, 'vault.expire.num_leases') : undefined;
  }
  if (leases === undefined) {
    s.unchecked.push('GET sys/metrics: no vault.expire.num_leases gauge');
    return;
  }
  if (leases > maxLeases)
    s.add('lease-count-high', `${leases} leases exist (threshold ${maxLeases})`, 'sys/metrics', { count: leases });
  else s.notes.push(`${leases} leases (threshold ${maxLeases})`);
}

function gauge(reply: Extract<Reply, { ok: true }>, name: string): number | undefined {
  const gauges = Array.isArray(reply.json.Gauges) ? (reply.json.Gauges as Array<Record<string, unknown>>) : [];
  const g = gauges.find((x) => x.Name === name);
  return g ? Number(g.Value) : undefined;
}

async function checkKvVersions(s: CheckState, mountsReply: Promise<Reply>): Promise<void> {
  const mounts = await mountsReply;
  if (!mounts.ok) {
    s.refused('GET sys/mounts', mounts);
    return;
  }
  const kv = mountsOf(mounts).filter((m) => m.type === 'kv' || m.type === 'generic');
  for (const m of kv) {
    const version = m.type === 'generic' ? '1' : String(m.options.version ?? '1');
    if (version !== '2')
      s.add('kv-v1-mount', `KV mount ${m.path}/ is version ${version}`, `sys/mounts/${m.path}`, {
        evidence: { type: m.type, version },
      });
  }
  if (kv.length === 0) {
    s.applicable = false;
    s.notes.push('no KV mounts');
  } else s.notes.push(`${kv.length} KV mount${kv.length === 1 ? '' : 's'}`);
}

async function checkPostUnseal(s: CheckState, call: Call): Promise<void> {
  const metrics = await call('GET', 'sys/metrics');
  if (!metrics.ok) s.refused('GET sys/metrics', metrics);
  else {
    const counters = Array.isArray(metrics.json.Counters)
      ? (metrics.json.Counters as Array<Record<string, unknown>>)
      : [];
    const failures = counters
      .filter((c) => c.Name === 'vault.audit.log_request_failure' || c.Name === 'vault.audit.log_response_failure')
      // The broker adds 0 or 1 per write, so Count is the number of writes and Sum the number of failures.
      .reduce((sum, c) => sum + Number(c.Sum ?? 0), 0);
    if (failures > 0)
      s.add('audit-device-failures', `${failures} audit writes failed in the current metrics interval`, 'sys/metrics', {
        count: failures,
      });
    else s.notes.push('no failed audit write in the current metrics interval');
  }
  const irrevocable = await call('GET', 'sys/leases/count?type=irrevocable');
  if (!irrevocable.ok) {
    s.refused('GET sys/leases/count?type=irrevocable', irrevocable);
    return;
  }
  const count = Number(dataOf(irrevocable).lease_count ?? 0);
  if (count > 0) s.add('irrevocable-leases', `${count} irrevocable leases`, 'sys/leases/count', { count });
  else s.notes.push('no irrevocable lease');
}
