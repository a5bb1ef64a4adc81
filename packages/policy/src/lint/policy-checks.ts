import type { Finding, Policy, PolicyRule } from '@svm/core';
import { isGlobPattern, patternMatches } from './internal/match.js';
import { type LintRuleId, lintRule } from './rules.js';

/**
 * Options shared by the policy checks.
 *
 * @example
 * ```ts
 * checkPolicy(policy, { kv2Mounts: ['kv'] });
 * ```
 */
export interface PolicyLintOptions {
  /** Mounts known to be KV v2 (default `["secret"]`). */
  kv2Mounts?: readonly string[] | undefined;
}

/** KV v2 API prefixes (the segment after the mount). */
const KV2_SEGMENTS = new Set(['data', 'metadata', 'delete', 'undelete', 'destroy', 'subkeys', 'config']);
const WRITE_CAPS = new Set(['create', 'update', 'patch', 'delete', 'sudo']);
const SYS_WRITE_CAPS = new Set(['create', 'update', 'patch', 'delete']);
/** sys/ endpoints the built-in default policy grants (token self-service, wrapping, leases, hashing). */
const SYS_DEFAULT = new Set([
  'sys/capabilities-self',
  'sys/internal/ui/resultant-acl',
  'sys/leases/renew',
  'sys/leases/lookup',
  'sys/renew',
  'sys/wrapping/wrap',
  'sys/wrapping/lookup',
  'sys/wrapping/unwrap',
  'sys/tools/hash',
  'sys/tools/hash/*',
  'sys/control-group/request',
]);
/** Root-protected endpoints (Vault docs, policies: "Root protected endpoints"), `:x` = one segment. */
const ROOT_PROTECTED = [
  'auth/token/accessors',
  'auth/token/accessors/',
  'auth/token/create',
  'auth/token/create-orphan',
  'auth/token/revoke-orphan',
  'sys/audit',
  'sys/audit/:path',
  'sys/audit-hash/:path',
  'sys/auth',
  'sys/auth/:path',
  'sys/auth/:path/tune',
  'sys/config/auditing/request-headers',
  'sys/config/auditing/request-headers/:name',
  'sys/config/cors',
  'sys/config/ui/headers',
  'sys/config/ui/headers/:name',
  'sys/internal/inspect/router/:tag',
  'sys/leases/lookup/:prefix',
  'sys/leases/revoke-force/:prefix',
  'sys/leases/revoke-prefix/:prefix',
  'sys/plugins/catalog/:type/:name',
  'sys/raw/:path',
  'sys/remount',
  'sys/replication/reindex',
  'sys/replication/performance/primary/secondary-token',
  'sys/replication/dr/primary/secondary-token',
  'sys/rotate',
  'sys/seal',
  'sys/step-down',
  'sys/storage/raft/snapshot-auto/config',
  'sys/storage/raft/snapshot-auto/config/:name',
];
const ROOT_PROTECTED_RE = ROOT_PROTECTED.map(
  (p) =>
    new RegExp(
      `^${p
        .split('/')
        .map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/')}$`,
    ),
);
const ROOT_PROTECTED_SAMPLES = ROOT_PROTECTED.map((p) => p.replace(/:[a-z]+/g, 'x'));

/**
 * Access levels accepted by the `{service}-{access-level}` convention.
 *
 * @example
 * ```ts
 * ACCESS_LEVELS.includes('admin'); // true
 * ```
 */
export const ACCESS_LEVELS = [
  'read',
  'readonly',
  'write',
  'readwrite',
  'admin',
  'operator',
  'deploy',
  'ci',
  'audit',
  'manage',
  'rotate',
  'issue',
  'sign',
  'encrypt',
  'decrypt',
  'user',
] as const;
const NAME_RE = new RegExp(`^[a-z0-9]+(-[a-z0-9]+)*-(${ACCESS_LEVELS.join('|')})$`);
const BUILTIN = new Set(['default', 'root', 'response-wrapping']);
/** Access levels that name an admin policy, where sys/ reads are its purpose. */
const ADMIN_NAME_RE = /-(admin|operator|audit)$/;

/**
 * The per-rule and per-policy checks (everything except shadowing, which needs the engine): catch-all
 * paths, sys/ access, sudo misuse, KV v2 prefixes, the legacy `policy =` form, non-trailing `*`,
 * over-broad write globs, the sys deny and the naming convention.
 *
 * @example
 * ```ts
 * checkPolicy({ name: 'x', rules: [{ path: '*', capabilities: ['read'] }] }).map((f) => f.rule); // ['wildcard-root', …]
 * ```
 */
export function checkPolicy(policy: Policy, options: PolicyLintOptions = {}): Finding[] {
  const kv2 = new Set((options.kv2Mounts ?? ['secret']).map((m) => m.replace(/^\/+|\/+$/g, '')));
  const findings: Finding[] = [];
  const add = (id: LintRuleId, message: string, rule?: PolicyRule, severity?: Finding['severity']) => {
    const r = lintRule(id);
    const f: Finding = { rule: id, category: r.category, severity: severity ?? r.severity, message, fix: r.fix };
    if (policy.file) f.file = policy.file;
    const line = rule?.position?.line;
    if (line) f.line = line;
    if (rule?.position?.column) f.column = rule.position.column;
    findings.push(f);
  };

  // sys/ reads belong in a separate admin policy (the sys-write fix says so): one named for it is reported low.
  const adminPolicy = ADMIN_NAME_RE.test(policy.name);
  const adminNote = adminPolicy ? ' (expected in an admin policy: reported low)' : '';
  for (const rule of policy.rules) {
    const path = rule.path.replace(/^\/+/, '');
    const caps = effectiveCapabilities(rule);
    const grants = !caps.has('deny') && caps.size > 0;
    const writes = grants && [...caps].some((c) => WRITE_CAPS.has(c));
    const q = JSON.stringify(rule.path);

    if (rule.legacyPolicy) {
      add(
        'legacy-policy-syntax',
        `path ${q} uses policy = "${rule.legacyPolicy}"; write capabilities = [${[...caps].map((c) => `"${c}"`).join(', ')}]`,
        rule,
      );
    }
    const star = path.indexOf('*');
    if (star >= 0 && star !== path.length - 1)
      add('glob-not-trailing', `path ${q}: "*" at position ${star + 1} is a literal character, not a glob`, rule);
    if (path === '+' || path.includes('/+') || path.startsWith('+/')) {
      const segments = (path.endsWith('*') ? path.slice(0, -1) : path).split('/');
      const literal = segments.find((seg) => seg !== '+' && seg.includes('+'));
      if (literal !== undefined)
        add(
          'plus-not-whole-segment',
          `path ${q}: "+" in segment "${literal}" is a literal character, not a wildcard (only a segment that is exactly "+" matches any segment)`,
          rule,
        );
    }
    if (!grants) continue;

    if (isCatchAll(path)) {
      add('wildcard-root', `path ${q} grants [${[...caps].join(', ')}] on every mount`, rule);
      continue;
    }
    if (path === 'sys' || path.startsWith('sys/') || path.startsWith('sys*')) {
      if (!SYS_DEFAULT.has(path)) {
        // sudo alone is no write: on sys/ it unlocks root-protected reads (listing audit devices, sys/raw reads).
        if ([...caps].some((c) => SYS_WRITE_CAPS.has(c)))
          add('sys-write', `path ${q} grants [${[...caps].join(', ')}] on system backends`, rule);
        else if (caps.has('sudo'))
          add(
            'sys-read',
            `path ${q} grants [${[...caps].join(', ')}] on system backends; sudo unlocks root-protected reads there (e.g. listing audit devices)${adminNote}`,
            rule,
            adminPolicy ? 'low' : 'high',
          );
        else
          add(
            'sys-read',
            `path ${q} grants [${[...caps].join(', ')}] on system backends${adminNote}`,
            rule,
            adminPolicy ? 'low' : path.endsWith('*') || path.includes('+') ? 'high' : undefined,
          );
      }
    }
    if (caps.has('sudo') && !touchesRootProtected(path))
      add('sudo-not-root-protected', `path ${q} grants sudo but matches no root-protected endpoint`, rule);

    const segments = path.split('/');
    const mount = [...kv2].find((m) => path.startsWith(`${m}/`) && !m.includes('*'));
    if (mount) {
      const next = path.slice(mount.length + 1).split('/')[0] ?? '';
      const wildcardish = next === '+' || next.endsWith('*') || next === '';
      if (!wildcardish && !KV2_SEGMENTS.has(next)) {
        add(
          'kv2-missing-prefix',
          `path ${q} is on KV v2 mount "${mount}" but lacks data/ or metadata/ (it grants nothing on ${mount}/data/${path.slice(mount.length + 1)})`,
          rule,
        );
      }
    }
    // cubbyhole/ is per token: a glob there reaches only the caller's own cubbyhole (the default policy grants it).
    if (writes && isGlobPattern(path) && !path.startsWith('cubbyhole/')) {
      let depth = 0;
      for (const s of segments) {
        if (s === '+' || s.includes('*')) break;
        depth++;
      }
      if (mount && KV2_SEGMENTS.has(segments[mount.split('/').length] ?? '')) depth--;
      if (depth <= 2) {
        add(
          'overbroad-write-glob',
          `path ${q} grants [${[...caps].filter((c) => WRITE_CAPS.has(c)).join(', ')}] on everything below ${segments.slice(0, Math.max(depth, 0) + (mount ? 1 : 0)).join('/') || 'the root'}/`,
          rule,
          depth <= 1 ? 'high' : 'medium',
        );
      }
    }
  }

  // Policy-level findings point at the first rule (or line 1), so every finding has a location.
  const firstLine = Math.min(...policy.rules.map((r) => r.position?.line ?? Number.POSITIVE_INFINITY));
  const head = {
    path: '',
    capabilities: [],
    position: { line: Number.isFinite(firstLine) ? firstLine : 1, column: 1 },
  } as PolicyRule;
  if (!BUILTIN.has(policy.name)) {
    if (
      !policy.name.endsWith('-admin') &&
      !policy.rules.some(
        (r) => (r.path === 'sys/*' || r.path === 'sys*' || r.path === '/sys/*') && r.capabilities.includes('deny'),
      )
    ) {
      add('no-deny-sys', `policy ${policy.name} has no explicit deny on sys/*`, head);
    }
    if (!NAME_RE.test(policy.name))
      add(
        'policy-naming',
        `policy name "${policy.name}" does not follow {service}-{access-level} (access levels: ${ACCESS_LEVELS.join(', ')})`,
        head,
      );
  }
  return findings;
}

/** `*`, `+`, `+/*`, `+/+/*`, `+*`-free catch-alls: no literal segment before the glob. */
function isCatchAll(path: string): boolean {
  if (path === '' || path === '*' || path === '+') return true;
  const body = path.endsWith('*') ? path.slice(0, -1) : path;
  const segments = body.split('/');
  return segments.every((s, i) => s === '+' || (i === segments.length - 1 && s === '' && path.endsWith('*')));
}

function touchesRootProtected(path: string): boolean {
  if (!isGlobPattern(path)) {
    if (ROOT_PROTECTED_RE.some((re) => re.test(path))) return true;
    return /(^|\/)root(\/sign-self-issued)?$/.test(path); // <pki mount>/root, <pki mount>/root/sign-self-issued
  }
  if (ROOT_PROTECTED_SAMPLES.some((s) => patternMatches(path, s))) return true;
  const first = path.split('/')[0] ?? '';
  return [`${first}/root`, `${first}/root/sign-self-issued`].some((s) => patternMatches(path, s));
}

const LEGACY: Record<NonNullable<PolicyRule['legacyPolicy']>, string[]> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};
const ORDER = ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe', 'recover', 'scan'];

/** The capabilities a block grants, the legacy `policy =` form included (deny alone wins). */
function effectiveCapabilities(rule: PolicyRule): Set<string> {
  const caps = new Set<string>(rule.capabilities);
  for (const c of rule.legacyPolicy ? LEGACY[rule.legacyPolicy] : []) caps.add(c);
  if (caps.has('deny')) return new Set(['deny']);
  return new Set([...caps].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b)));
}
