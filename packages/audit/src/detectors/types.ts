import type { AuditEvent, Finding, Severity } from '@svm/core';
import type { ResolvedOptions } from '../options.js';
import { CLOUD_READ_OPERATIONS } from './catalog.js';

/**
 * The stable rule ids (public API: findings carry them, `rules` options take them).
 *
 * @example
 * ```ts
 * new AuditAnalyzer({ rules: RULE_IDS.filter((r) => r !== 'off-hours') });
 * ```
 */
export const RULE_IDS = [
  'new-source-ip',
  'volume-spike',
  'off-hours',
  'denied-access',
  'failed-auth',
  'password-spray',
  'long-ttl-token',
  'root-token',
  'audit-device-change',
  'policy-change',
  'auth-method-change',
  'secret-destroy',
  'bulk-read',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** An event inside the analyzer: the normalised event plus its time in epoch milliseconds. */
export type TimedEvent = AuditEvent & { ms: number };

/** An audit finding: the fields of core's Finding the analyzer always fills. */
export type AuditFinding = Finding & {
  rule: RuleId;
  time: string;
  identity: string | null;
  sourceIp: string | null;
  path: string | null;
  count: number;
};

/** Sink for findings. */
export type Emit = (finding: AuditFinding) => void;

/**
 * A detector: sees events in (roughly) time order, keeps bounded state, emits findings, and emits whatever
 * it still holds on `flush`. Pure: time comes only from the events.
 */
export interface Detector {
  readonly rule: RuleId;
  observe(ev: TimedEvent, emit: Emit): void;
  flush(emit: Emit): void;
  /** Entries currently held (for the documented bounds). */
  stateSize(): number;
}

/** Factory signature shared by every detector module. */
export type DetectorFactory = (options: ResolvedOptions) => Detector;

/**
 * True when an identity name alone does not tell tokens apart: Vault/OpenBao name every token without an
 * entity after how it was made (`root` for root tokens, `token` / `token-<name>` for `auth/token/create`), so two
 * different root tokens share one name. Such identities are told apart by their (HMAC'd) accessor.
 */
export function isAmbiguousIdentity(identity: string): boolean {
  return identity === 'token' || identity === 'root' || identity.startsWith('token-');
}

/**
 * The key an event's identity is tracked under: the identity, plus the accessor when the identity is ambiguous
 * ({@link isAmbiguousIdentity}), so the usage of one root token never merges with another's.
 */
export function identityKey(ev: Pick<AuditEvent, 'identity' | 'accessor'>): string {
  const a = ev.accessor;
  return a !== undefined && a !== '' && isAmbiguousIdentity(ev.identity) ? `${ev.identity}\u0001${a}` : ev.identity;
}

/**
 * Build a finding with every contract field present. `path` is the path as logged; the logical secret, the
 * accessor of an ambiguous identity and the time of the group's last event (`last`: the source's time string,
 * or epoch ms) are added when known.
 */
export function finding(
  rule: RuleId,
  severity: Severity,
  ev: Pick<AuditEvent, 'time' | 'identity' | 'sourceIp' | 'path' | 'file' | 'line'> & {
    secret?: string | undefined;
    accessor?: string | undefined;
  },
  count: number,
  message: string,
  evidence?: Record<string, unknown>,
  last?: number | string,
): AuditFinding {
  const f: AuditFinding = {
    rule,
    severity,
    time: ev.time,
    identity: ev.identity ?? null,
    sourceIp: ev.sourceIp ?? null,
    path: ev.path ?? null,
    count,
    message,
  };
  if (ev.secret !== undefined && ev.secret !== null) f.secret = ev.secret;
  if (typeof last === 'string') f.lastTime = last;
  else if (last !== undefined && Number.isFinite(last))
    f.lastTime = last === Date.parse(ev.time) ? ev.time : new Date(last).toISOString();
  if (ev.accessor && ev.identity && isAmbiguousIdentity(ev.identity)) f.accessor = ev.accessor;
  if (ev.file !== undefined) f.file = ev.file;
  if (ev.line !== undefined) f.line = ev.line;
  if (evidence) f.evidence = evidence;
  return f;
}

/** The longest common prefix of slash-separated paths, on whole segments (`secret/data/prod/a`, `secret/data/prod/b` → `secret/data/prod/`). */
export function commonPathPrefix(paths: Iterable<string>): string | null {
  let prefix: string | undefined;
  for (const p of paths) {
    if (prefix === undefined) {
      prefix = p;
      continue;
    }
    let i = 0;
    const n = Math.min(prefix.length, p.length);
    while (i < n && prefix.charCodeAt(i) === p.charCodeAt(i)) i++;
    if (i === prefix.length && i === p.length) continue;
    // Cut back to the last whole segment both share.
    const cut = prefix.lastIndexOf('/', i - 1);
    const whole = (i === prefix.length && p.charCodeAt(i) === 47) || (i === p.length && prefix.charCodeAt(i) === 47);
    prefix = whole ? prefix.slice(0, i) : cut < 0 ? '' : prefix.slice(0, cut + 1);
  }
  return prefix === undefined || prefix === '' ? null : prefix;
}

/** `15m`, `1h`, `5m` for messages. */
export function humanMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

/** `24h`, `32d`, `1h30m` for TTLs. */
export function humanSeconds(s: number): string {
  if (s % 86_400 === 0 && s >= 86_400 * 2) return `${s / 86_400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** True for operations that read a secret's value. */
export function isSecretRead(ev: AuditEvent): boolean {
  switch (ev.source) {
    case 'vault':
    case 'simple':
      return (
        ev.operation === 'read' && ev.secret !== undefined && ev.secret !== null && ev.path.indexOf('/metadata/') < 0
      );
    case 'cloudtrail':
    case 'gcp':
    case 'azure':
      return (CLOUD_READ_OPERATIONS[ev.source] as readonly string[]).includes(ev.operation);
  }
}

/** True for operations that write a new secret version (rotation evidence). */
export function isSecretWrite(ev: AuditEvent): boolean {
  switch (ev.source) {
    case 'vault':
    case 'simple':
      return (
        (ev.operation === 'create' || ev.operation === 'update' || ev.operation === 'patch') &&
        ev.secret !== undefined &&
        ev.secret !== null &&
        ev.path.indexOf('/data/') >= 0
      );
    case 'cloudtrail':
      return (
        ev.operation === 'PutSecretValue' ||
        ev.operation === 'RotationSucceeded' ||
        ev.operation === 'UpdateSecretVersionStage' ||
        ev.operation === 'CreateSecret'
      );
    case 'gcp':
      return ev.operation === 'AddSecretVersion' || ev.operation === 'CreateSecret';
    case 'azure':
      return ev.operation === 'SecretSet';
  }
}
