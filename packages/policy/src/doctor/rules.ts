import type { Severity } from '@svm/core';

/**
 * The checks `svm vault doctor` runs, in report order. Ids are stable public API (the `checks[].id` of the
 * JSON report).
 *
 * @example
 * ```ts
 * DOCTOR_CHECKS.map((c) => c.id).includes('audit-devices'); // true
 * ```
 */
export const DOCTOR_CHECKS = [
  { id: 'seal', title: 'Seal type (Shamir 3-of-5 or auto-unseal)', endpoints: ['GET sys/seal-status'] },
  { id: 'storage', title: 'Storage backend', endpoints: ['GET sys/seal-status'] },
  { id: 'ha', title: 'High availability', endpoints: ['GET sys/leader', 'GET sys/ha-status'] },
  {
    id: 'raft',
    title: 'Raft peers, leader and autopilot health',
    endpoints: ['GET sys/storage/raft/configuration', 'GET sys/storage/raft/autopilot/state'],
  },
  { id: 'audit-devices', title: 'Audit devices (at least two)', endpoints: ['GET sys/audit'] },
  {
    id: 'auth-roles',
    title: 'Auth methods and their roles (policy linter role rules)',
    endpoints: ['GET sys/auth', 'LIST auth/<mount>/role|users|roles', 'GET auth/<mount>/role/<name>'],
  },
  {
    id: 'policies',
    title: 'ACL policies (policy linter)',
    endpoints: ['LIST sys/policies/acl', 'GET sys/policies/acl/<name>'],
  },
  {
    id: 'lease-ttls',
    title: 'Token and lease TTL defaults and maxima',
    endpoints: ['GET sys/auth', 'GET sys/mounts', 'GET sys/mounts/auth/<path>/tune', 'GET sys/mounts/<path>/tune'],
  },
  {
    id: 'root-tokens',
    title: 'Root tokens in existence',
    endpoints: ['GET auth/token/lookup-self', 'LIST auth/token/accessors', 'POST auth/token/lookup-accessor'],
  },
  {
    id: 'counts',
    title: 'Token and lease counts',
    endpoints: ['GET sys/internal/counters/tokens', 'GET sys/metrics'],
  },
  { id: 'kv-versions', title: 'KV mount versions (v2)', endpoints: ['GET sys/mounts'] },
  {
    id: 'post-unseal',
    title: 'Post-unseal checklist (audit devices writing, leases valid)',
    endpoints: ['GET sys/metrics', 'GET sys/leases/count?type=irrevocable'],
  },
] as const;

/** One doctor check id. */
export type DoctorCheckId = (typeof DOCTOR_CHECKS)[number]['id'];

/**
 * Every rule id `svm vault doctor` reports on its own (policy and role findings use the linter's ids).
 *
 * @example
 * ```ts
 * DOCTOR_RULE_IDS.includes('audit-single-device'); // true
 * ```
 */
export const DOCTOR_RULE_IDS = [
  'server-sealed',
  'seal-shamir-threshold',
  'storage-inmem',
  'storage-not-raft',
  'ha-disabled',
  'raft-no-leader',
  'raft-fewer-than-three-voters',
  'autopilot-unhealthy',
  'audit-no-device',
  'audit-single-device',
  'default-lease-ttl-over-24h',
  'max-lease-ttl-over-24h',
  'max-lease-ttl-over-30d',
  'root-token-exists',
  'token-count-high',
  'lease-count-high',
  'kv-v1-mount',
  'audit-device-failures',
  'irrevocable-leases',
] as const;

/** One doctor rule id. */
export type DoctorRuleId = (typeof DOCTOR_RULE_IDS)[number];

/**
 * A doctor rule: id, the check it belongs to (its `category`), default severity, what it means and the fix.
 * Same shape as the linter's rules, so {@link toSarif} describes both.
 *
 * @example
 * ```ts
 * DOCTOR_RULES.find((r) => r.id === 'storage-inmem')?.severity; // 'critical'
 * ```
 */
export interface DoctorRule {
  id: DoctorRuleId;
  category: DoctorCheckId;
  severity: Severity;
  summary: string;
  fix: string;
}

const rule = (
  id: DoctorRuleId,
  category: DoctorCheckId,
  severity: Severity,
  summary: string,
  fix: string,
): DoctorRule => ({ id, category, severity, summary, fix });

/**
 * Every rule of `svm vault doctor`, with the guidance each one enforces.
 *
 * @example
 * ```ts
 * DOCTOR_RULES.filter((r) => r.category === 'seal').map((r) => r.id); // ['server-sealed', 'seal-shamir-threshold']
 * ```
 */
export const DOCTOR_RULES: readonly DoctorRule[] = [
  rule(
    'server-sealed',
    'seal',
    'critical',
    'The server is sealed: it serves no request until a quorum of unseal keys (or the auto-unseal KMS) unseals it.',
    'Unseal it (bao/vault operator unseal, or restore access to the auto-unseal key), then re-run the doctor.',
  ),
  rule(
    'seal-shamir-threshold',
    'seal',
    'high',
    'Shamir seal with fewer than 5 key shares or a threshold under 3 (a dev server has 1 of 1): one or two holders can unseal, or one lost key blocks recovery.',
    'Rekey to at least 3-of-5 shares held by different people (operator rekey -key-shares=5 -key-threshold=3), or move to auto-unseal with a cloud KMS.',
  ),
  rule(
    'storage-inmem',
    'storage',
    'critical',
    'In-memory storage (a -dev server): every secret, policy and lease is lost on restart, and the dev root token is well known.',
    'Run a production server with Raft integrated storage (storage "raft"), initialised with operator init.',
  ),
  rule(
    'storage-not-raft',
    'storage',
    'low',
    'The storage backend is not Raft integrated storage, which the guidance recommends (no external dependency, built-in leader election).',
    'Migrate to Raft (operator migrate) when the current backend is not an HA requirement of its own.',
  ),
  rule(
    'ha-disabled',
    'ha',
    'medium',
    'High availability is not enabled: the storage backend cannot elect a leader, so one node failure stops the service.',
    'Use an HA storage backend (Raft) and run at least three nodes.',
  ),
  rule(
    'raft-no-leader',
    'raft',
    'high',
    'The Raft configuration names no leader.',
    'Check the peers (operator raft list-peers) and restore quorum.',
  ),
  rule(
    'raft-fewer-than-three-voters',
    'raft',
    'medium',
    'Fewer than three Raft voters: the cluster tolerates no node failure (autopilot failure_tolerance 0).',
    'Join at least two more voters (three or five in total) in separate failure domains.',
  ),
  rule(
    'autopilot-unhealthy',
    'raft',
    'high',
    'Autopilot reports the Raft cluster (or one of its servers) as unhealthy.',
    'Inspect operator raft autopilot state: restart or replace the unhealthy servers.',
  ),
  rule(
    'audit-no-device',
    'audit-devices',
    'critical',
    'No audit device is enabled: nothing records who read or changed which secret.',
    'Declare two audit devices (file + syslog or socket) in the server configuration (audit stanzas) or enable them with audit enable.',
  ),
  rule(
    'audit-single-device',
    'audit-devices',
    'medium',
    'Only one audit device: when it fails (full disk, dead socket) the server refuses every request, because it never serves an unaudited request.',
    'Add a second audit device of another kind (file + syslog), as the guidance asks.',
  ),
  rule(
    'default-lease-ttl-over-24h',
    'lease-ttls',
    'medium',
    'The mount hands out tokens or leases that live over 24 hours by default (the system default is 768h).',
    'Tune it (sys/auth/<path>/tune or sys/mounts/<path>/tune: default_lease_ttl=1h) or set default_lease_ttl in the server configuration.',
  ),
  rule(
    'max-lease-ttl-over-24h',
    'lease-ttls',
    'low',
    'The mount lets tokens or dynamic credentials be renewed beyond 24 hours (guidance: 1h default, 24h max).',
    'Tune max_lease_ttl to 24h, unless the mount serves humans who need longer sessions.',
  ),
  rule(
    'max-lease-ttl-over-30d',
    'lease-ttls',
    'high',
    'The mount allows tokens or leases over 30 days (the system default is 768h = 32 days): long-lived static credentials.',
    'Tune max_lease_ttl to 24h (or set max_lease_ttl in the server configuration).',
  ),
  rule(
    'root-token-exists',
    'root-tokens',
    'high',
    'A token with the root policy exists. Root tokens never expire by default and bypass every policy.',
    'Revoke it (token revoke -accessor <accessor>) once the setup it was made for is done; generate a new one with operator generate-root only when needed.',
  ),
  rule(
    'token-count-high',
    'counts',
    'medium',
    'More service tokens exist than the threshold: clients log in again instead of reusing or renewing their token.',
    'Find the clients that log in per request (audit log: svm audit analyze), reuse tokens, shorten token TTLs, consider batch tokens.',
  ),
  rule(
    'lease-count-high',
    'counts',
    'medium',
    'More leases exist than the threshold: a lease explosion degrades the active node and slows revocation.',
    'Shorten default TTLs, make clients reuse leases, and set lease-count quotas per mount.',
  ),
  rule(
    'kv-v1-mount',
    'kv-versions',
    'medium',
    'A KV version 1 mount: no versions, no soft delete, no check-and-set, so an overwrite or delete cannot be undone.',
    'Upgrade it (sys/mounts/<path>/tune options version=2) after updating the policies to <mount>/data/ and <mount>/metadata/ paths.',
  ),
  rule(
    'audit-device-failures',
    'post-unseal',
    'high',
    'Audit writes failed in the current metrics interval: a device is not reachable (full disk, dead syslog or socket).',
    'Check each device (file path writable, socket/syslog endpoint up); the server refuses requests when every device fails.',
  ),
  rule(
    'irrevocable-leases',
    'post-unseal',
    'medium',
    'Leases the server could not revoke (their backend refused or is gone): credentials may still work at the source.',
    'List them with sys/leases/count?type=irrevocable&list=true, fix the backend and revoke (or force-revoke after cleaning up by hand).',
  ),
];

const BY_ID = new Map(DOCTOR_RULES.map((r) => [r.id, r]));

/**
 * Look up a doctor rule by id.
 *
 * @example
 * ```ts
 * doctorRule('audit-single-device').fix;
 * ```
 */
export function doctorRule(id: DoctorRuleId): DoctorRule {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`unknown doctor rule ${id}`);
  return r;
}
