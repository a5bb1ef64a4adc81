import type { Severity } from '@svm/core';

/**
 * Finding categories of the linter (the `category` field of its JSON output).
 *
 * @example
 * ```ts
 * LINT_CATEGORIES.length; // 12
 * ```
 */
export const LINT_CATEGORIES = [
  'wildcard-root',
  'sys-access',
  'sudo-misuse',
  'kv2-path',
  'deprecated-syntax',
  'invalid',
  'shadowed-rule',
  'overbroad-glob',
  'no-deny-sys',
  'naming',
  'auth-role',
  'engine-config',
] as const;
/**
 * A finding category of the linter.
 *
 * @example
 * ```ts
 * const category: LintCategory = 'auth-role';
 * ```
 */
export type LintCategory = (typeof LINT_CATEGORIES)[number];

/**
 * Every lint rule id, as a literal union ({@link LintRuleId}); the CLI's `svm policy lint --help` lists them.
 *
 * @example
 * ```ts
 * LINT_RULE_IDS.includes('wildcard-root'); // true
 * ```
 */
export const LINT_RULE_IDS = [
  'wildcard-root',
  'sys-write',
  'sys-read',
  'sudo-not-root-protected',
  'kv2-missing-prefix',
  'legacy-policy-syntax',
  'invalid-policy',
  'glob-not-trailing',
  'plus-not-whole-segment',
  'shadowed-rule',
  'rule-blocks-grant',
  'overbroad-write-glob',
  'no-deny-sys',
  'policy-naming',
  'approle-no-cidr',
  'approle-unlimited-secret-id',
  'token-max-ttl-over-24h',
  'token-ttl-over-30d',
  'kubernetes-wildcard-binding',
  'jwt-no-bound-claims',
  'jwt-no-bound-audiences',
  'jwt-github-unbound-repository',
  'database-root-not-rotated',
  'database-role-max-ttl-over-24h',
  'pki-wildcard-allowed-domains',
  'ssh-cert-ttl-over-1h',
  'transit-key-no-auto-rotation',
] as const;

/** One lint rule id. */
export type LintRuleId = (typeof LINT_RULE_IDS)[number];

/**
 * A lint rule: stable id, category, default severity, what it checks and how to fix it.
 *
 * @example
 * ```ts
 * LINT_RULES.map((r: LintRule) => `${r.id} (${r.severity})`);
 * ```
 */
export interface LintRule {
  id: LintRuleId;
  category: LintCategory;
  severity: Severity;
  summary: string;
  fix: string;
}

const rule = (id: LintRuleId, category: LintCategory, severity: Severity, summary: string, fix: string): LintRule => ({
  id,
  category,
  severity,
  summary,
  fix,
});

/**
 * Every rule the linter knows. Ids are stable public API (used in SARIF `ruleId` and in `--json`).
 *
 * @example
 * ```ts
 * LINT_RULES.find((r) => r.id === 'wildcard-root')?.severity; // 'critical'
 * ```
 */
export const LINT_RULES: readonly LintRule[] = [
  rule(
    'wildcard-root',
    'wildcard-root',
    'critical',
    'A catch-all path ("*", "+/*", "+") grants capabilities on every mount.',
    'Replace it with the exact mounts and paths the holder needs.',
  ),
  rule(
    'sys-write',
    'sys-access',
    'high',
    'The policy can create, update, patch or delete on sys/ (mounts, policies, audit devices, seal).',
    'Keep sys/ writes in a separate, audited admin policy; deny sys/* in service policies.',
  ),
  rule(
    'sys-read',
    'sys-access',
    'medium',
    'The policy can read or list sys/ paths (with sudo: root-protected reads such as listing audit devices) beyond what the default policy grants.',
    'Grant only the exact sys/ endpoints needed (the default policy already covers token self-service).',
  ),
  rule(
    'sudo-not-root-protected',
    'sudo-misuse',
    'medium',
    'sudo is granted on a path that is not root-protected; it adds nothing there but suggests an admin grant.',
    'Remove "sudo" (it only matters on root-protected endpoints such as sys/audit or auth/token/accessors).',
  ),
  rule(
    'kv2-missing-prefix',
    'kv2-path',
    'medium',
    'A path on a KV v2 mount lacks data/ or metadata/, so it grants nothing on the secrets it names.',
    'Use <mount>/data/<path> for read/write and <mount>/metadata/<path> for list and history.',
  ),
  rule(
    'legacy-policy-syntax',
    'deprecated-syntax',
    'low',
    'The deprecated `policy = "…"` form is used.',
    'Write `capabilities = [...]` instead.',
  ),
  rule(
    'invalid-policy',
    'invalid',
    'high',
    'The policy does not parse (bad HCL, unknown capability or key, `+*`).',
    'Fix the syntax at the reported line; `svm policy fmt` shows the canonical form.',
  ),
  rule(
    'glob-not-trailing',
    'invalid',
    'medium',
    'A `*` that is not the last character is a literal character, not a glob.',
    'Use `+` for one segment, or move `*` to the end.',
  ),
  rule(
    'plus-not-whole-segment',
    'invalid',
    'low',
    'A `+` that is not a whole path segment (`lit/+bar`) is a literal character; only a segment that is exactly `+` is a wildcard.',
    'Use `+` as a whole segment (`lit/+`), or keep the literal if a path really contains "+".',
  ),
  rule(
    'shadowed-rule',
    'shadowed-rule',
    'medium',
    'The rule never decides any path: a same-or-higher-priority rule always wins.',
    'Remove it, or merge its capabilities into the winning rule.',
  ),
  rule(
    'rule-blocks-grant',
    'shadowed-rule',
    'medium',
    "A rule takes away what another rule of the same policy grants: it wins the lookup for some of that rule's paths (an exact path, an exact folder deciding LIST of folder/, a longer prefix) and lacks the capability, so those requests are refused.",
    'Add the blocked capabilities to the more specific rule, or remove it (use an explicit deny when blocking is intended).',
  ),
  rule(
    'overbroad-write-glob',
    'overbroad-glob',
    'medium',
    'A glob near the root of a mount grants create/update/delete/sudo on everything below it.',
    'Narrow the glob to the service and environment it is for.',
  ),
  rule(
    'no-deny-sys',
    'no-deny-sys',
    'low',
    'A service policy has no explicit deny on sys/*, which the guidance asks for.',
    'Add path "sys/*" { capabilities = ["deny"] }.',
  ),
  rule(
    'policy-naming',
    'naming',
    'low',
    'The policy name does not follow {service}-{access-level}.',
    'Rename it, e.g. payment-service-read or api-gateway-admin.',
  ),
  rule(
    'approle-no-cidr',
    'auth-role',
    'low',
    'The AppRole is not bound to CIDRs, so a leaked RoleID/SecretID works from anywhere.',
    'Set secret_id_bound_cidrs (and token_bound_cidrs) to the workload networks.',
  ),
  rule(
    'approle-unlimited-secret-id',
    'auth-role',
    'medium',
    'SecretIDs can be used without limit (secret_id_num_uses = 0) or never expire (secret_id_ttl = 0).',
    'Set secret_id_num_uses = 1 and a short secret_id_ttl (e.g. 10m).',
  ),
  rule(
    'token-max-ttl-over-24h',
    'auth-role',
    'medium',
    'token_max_ttl is over 24 hours.',
    'Keep token_max_ttl at or under 24h; renew or log in again instead.',
  ),
  rule(
    'token-ttl-over-30d',
    'auth-role',
    'high',
    'token_ttl is over 30 days: a long-lived static credential.',
    'Use a short token_ttl (1h for services) and renew.',
  ),
  rule(
    'kubernetes-wildcard-binding',
    'auth-role',
    'high',
    'The Kubernetes role is bound to "*" service accounts or namespaces.',
    'Bind the exact service account names and namespaces.',
  ),
  rule(
    'jwt-no-bound-claims',
    'auth-role',
    'high',
    'The JWT role has no bound_claims or bound_subject: any token from the issuer with the audience can log in.',
    'Bind repository/ref/environment (GitHub Actions) or the subject.',
  ),
  rule(
    'jwt-no-bound-audiences',
    'auth-role',
    'high',
    'The JWT role has no bound_audiences.',
    'Set bound_audiences to the audience your CI requests.',
  ),
  rule(
    'jwt-github-unbound-repository',
    'auth-role',
    'medium',
    'The GitHub Actions role binds no repository, repository_owner or sub claim (or binds it with a glob).',
    'Bind the repository claim (owner/repo) exactly.',
  ),
  rule(
    'database-root-not-rotated',
    'engine-config',
    'high',
    'A database connection is configured without rotating its root credentials: the admin password Vault uses is still known outside Vault (in the store, in scripts, in shell history).',
    'Rotate it right after setup (`rotate_root: true`, the default; or `vault write -f <mount>/rotate-root/<name>`).',
  ),
  rule(
    'database-role-max-ttl-over-24h',
    'engine-config',
    'medium',
    'A dynamic database role lets leases live longer than 24 hours (max_ttl over 24h, or 0, which falls back to the mount and system maximum of 32 days by default).',
    'Set default_ttl 1h and max_ttl 24h (the guidance); applications renew or read new credentials.',
  ),
  rule(
    'pki-wildcard-allowed-domains',
    'engine-config',
    'high',
    'A PKI role allows wildcard or arbitrary names (a `*` in allowed_domains, glob domains, or allow_any_name), so its holders can get certificates for hosts they do not own.',
    'List the exact domains (with allow_subdomains where needed) and keep allow_any_name and allow_glob_domains off.',
  ),
  rule(
    'ssh-cert-ttl-over-1h',
    'engine-config',
    'medium',
    'An SSH CA role signs certificates valid for more than 1 hour (ttl or max_ttl over 1h, or 0, the system default of 32 days).',
    'Use 30m for interactive certificates (the guidance); sign a new one when it expires.',
  ),
  rule(
    'transit-key-no-auto-rotation',
    'engine-config',
    'medium',
    'A transit key never rotates automatically (auto_rotate_period 0 or unset).',
    'Set auto_rotate_period (the guidance: 90d) and rewrap stored ciphertext after rotations.',
  ),
];

const BY_ID = new Map(LINT_RULES.map((r) => [r.id, r]));

/**
 * The rule with this id; throws on an unknown id (a bug).
 *
 * @example
 * ```ts
 * lintRule('shadowed-rule').category; // 'shadowed-rule'
 * ```
 */
export function lintRule(id: LintRuleId): LintRule {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`unknown lint rule ${id}`);
  return found;
}
