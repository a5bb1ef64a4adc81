import { SvmError } from '@svm/core';
import { vaultPolicyName } from '../detectors/policy-change.js';
import { type AuditFinding, commonPathPrefix } from '../detectors/types.js';
import { humanRange } from '../internal/time.js';

/** How findings are grouped (see {@link groupFindings}). */
export interface GroupOptions {
  /** Members of one group are at most this far apart in time, one to the next (default 60 s). */
  gapMs?: number;
  /** Members kept in a group's `evidence.members` (default 1,000; `evidence.total` counts them all). */
  maxMembers?: number;
  /** Distinct objects kept in `evidence.objects` (default 1,000). */
  maxObjects?: number;
}

/** Resolved {@link GroupOptions}. */
export interface ResolvedGroupOptions {
  gapMs: number;
  maxMembers: number;
  maxObjects: number;
}

/**
 * The grouping defaults: findings of one rule, identity (and accessor) and severity no more than a minute
 * apart, one to the next, are one finding.
 *
 * @example
 * ```ts
 * DEFAULT_GROUP_OPTIONS.gapMs; // 60000
 * ```
 */
export const DEFAULT_GROUP_OPTIONS: ResolvedGroupOptions = { gapMs: 60_000, maxMembers: 1000, maxObjects: 1000 };

/** One member of a grouped finding, as kept in its `evidence.members`. */
export interface GroupMember {
  time: string;
  lastTime?: string;
  sourceIp: string | null;
  path: string | null;
  secret?: string;
  count: number;
  message: string;
  evidence?: Record<string, unknown>;
}

/** Validate {@link GroupOptions} (`INPUT_INVALID` names the field). */
export function resolveGroupOptions(o: GroupOptions = {}): ResolvedGroupOptions {
  const check = (name: keyof GroupOptions, min: number, integer: boolean) => {
    const v = o[name];
    if (v === undefined) return DEFAULT_GROUP_OPTIONS[name];
    if (!Number.isFinite(v) || v < min || (integer && !Number.isInteger(v)))
      throw new SvmError(
        'INPUT_INVALID',
        `group.${name} must be ${integer ? 'a whole number' : 'a number'} of at least ${min}, got ${v}`,
        { field: `group.${name}` },
      );
    return v;
  };
  return {
    gapMs: check('gapMs', 0, false),
    maxMembers: check('maxMembers', 1, true),
    maxObjects: check('maxObjects', 1, true),
  };
}

const AUTH_MOUNT = /^sys\/auth\/(.+?)(?:\/tune)?$/;
const AUDIT_DEVICE = /^sys\/audit\/(.+)$/;

/** What a finding is about, for a group's list of distinct objects: a policy name, a mount, a secret, a path. */
export function findingObject(f: AuditFinding): string | null {
  const p = f.path ?? '';
  if (f.rule === 'policy-change') return vaultPolicyName(p) ?? f.secret ?? f.path;
  if (f.rule === 'auth-method-change') return AUTH_MOUNT.exec(p)?.[1] ?? f.path;
  if (f.rule === 'audit-device-change') return AUDIT_DEVICE.exec(p)?.[1] ?? f.path;
  return f.secret ?? f.path;
}

const NOUNS: Partial<Record<AuditFinding['rule'], [string, string]>> = {
  'auth-method-change': ['auth method change', 'auth method changes'],
  'audit-device-change': ['audit device change', 'audit device changes'],
  'long-ttl-token': ['long-TTL token', 'long-TTL tokens'],
  'root-token': ['root-token use', 'root-token uses'],
  'secret-destroy': ['secret destruction', 'secret destructions'],
  'denied-access': ['denied-access finding', 'denied-access findings'],
  'new-source-ip': ['new source address', 'new source addresses'],
  'password-spray': ['password spray', 'password sprays'],
};

function listObjects(objects: readonly string[], shown = 5): string {
  if (objects.length === 0) return '';
  const head = objects.slice(0, shown).join(', ');
  return objects.length > shown ? `: ${head}, … (${objects.length} distinct)` : `: ${head}`;
}

function groupMessage(members: readonly AuditFinding[], objects: readonly string[], first: string, last: string) {
  const f = members[0] as AuditFinding;
  const who = f.identity ?? 'an unknown identity';
  const n = members.length;
  const { from, to } = humanRange(first, last);
  const when = from === to ? `at ${from}` : `between ${from} and ${to}`;
  if (f.rule === 'policy-change') {
    const written = members.some((m) => !m.message.endsWith(' deleted'));
    const deleted = members.some((m) => m.message.endsWith(' deleted'));
    const verb = written && deleted ? 'written or deleted' : deleted ? 'deleted' : 'written';
    return `${n} ${n === 1 ? 'policy' : 'policies'} ${verb} by ${who} ${when}${listObjects(objects)}`;
  }
  const noun = NOUNS[f.rule] ?? [`${f.rule} finding`, `${f.rule} findings`];
  const events = members.reduce((s, m) => s + m.count, 0);
  const evs = events > n ? ` (${events} events)` : '';
  return `${n} ${n === 1 ? noun[0] : noun[1]} by ${who} ${when}${evs}${listObjects(objects)}`;
}

function toMember(f: AuditFinding): GroupMember {
  const m: GroupMember = { time: f.time, sourceIp: f.sourceIp, path: f.path, count: f.count, message: f.message };
  if (f.lastTime !== undefined) m.lastTime = f.lastTime;
  if (f.secret !== undefined) m.secret = f.secret;
  if (f.evidence !== undefined) m.evidence = f.evidence;
  return m;
}

const lastOf = (f: AuditFinding) => f.lastTime ?? f.time;
const msOf = (t: string) => Date.parse(t);

function merge(members: AuditFinding[], o: ResolvedGroupOptions): AuditFinding {
  const first = members[0] as AuditFinding;
  if (members.length === 1) return first;
  let last = lastOf(first);
  const objects = new Set<string>();
  const ips = new Set<string | null>();
  const paths = new Set<string | null>();
  const secrets = new Set<string | undefined>();
  let count = 0;
  for (const m of members) {
    if (msOf(lastOf(m)) > msOf(last)) last = lastOf(m);
    const obj = findingObject(m);
    if (obj !== null && objects.size < o.maxObjects) objects.add(obj);
    ips.add(m.sourceIp);
    paths.add(m.path);
    secrets.add(m.secret);
    count += m.count;
  }
  const objectList = [...objects];
  const sameIp = ips.size === 1;
  const samePath = paths.size === 1;
  const realPaths = [...paths].filter((p): p is string => p !== null);
  const g: AuditFinding = {
    rule: first.rule,
    severity: first.severity,
    time: first.time,
    identity: first.identity,
    sourceIp: sameIp ? first.sourceIp : null,
    path: samePath ? first.path : commonPathPrefix(realPaths),
    count,
    message: groupMessage(members, objectList, first.time, last),
  };
  if (secrets.size === 1 && first.secret !== undefined) g.secret = first.secret;
  g.lastTime = last;
  if (first.accessor !== undefined) g.accessor = first.accessor;
  if (first.file !== undefined) g.file = first.file;
  if (first.line !== undefined) g.line = first.line;
  g.evidence = {
    total: members.length,
    objects: objectList,
    ...(sameIp ? {} : { sourceIps: [...ips].filter((ip) => ip !== null).slice(0, o.maxObjects) }),
    members: members.slice(0, o.maxMembers).map(toMember),
  };
  return g;
}

/**
 * Group repeated findings: findings of the same rule, identity, accessor and severity that follow one another
 * within `gapMs` become one finding whose `time` is the first member's, `lastTime` the last's, `count` the sum
 * of the members' counts, `path` their common prefix (or the one path), and whose message names the distinct
 * objects (`27 policies written by token between 12:36:02 and 12:36:03: payments-read, billing-read, …`).
 * `evidence.members` keeps every member (up to `maxMembers`; `evidence.total` counts them all) and
 * `evidence.objects` the distinct policies, mounts, secrets or paths. A finding with no close neighbour is
 * returned unchanged. Pure; the input order does not matter, the output is in time order.
 *
 * @example
 * ```ts
 * const grouped = groupFindings(result.findings, { gapMs: 5 * 60_000 });
 * ```
 */
export function groupFindings(findings: readonly AuditFinding[], options: GroupOptions = {}): AuditFinding[] {
  const o = resolveGroupOptions(options);
  const sorted = [...findings].sort((a, b) => msOf(a.time) - msOf(b.time));
  const open = new Map<string, { members: AuditFinding[]; lastMs: number }>();
  const out: AuditFinding[] = [];
  for (const f of sorted) {
    const key = `${f.rule}\u0000${f.identity ?? ''}\u0000${f.accessor ?? ''}\u0000${f.severity}`;
    const t = msOf(f.time);
    const g = open.get(key);
    if (g && t - g.lastMs <= o.gapMs) {
      g.members.push(f);
      g.lastMs = Math.max(g.lastMs, msOf(lastOf(f)));
      continue;
    }
    if (g) out.push(merge(g.members, o));
    open.set(key, { members: [f], lastMs: msOf(lastOf(f)) });
  }
  for (const g of open.values()) out.push(merge(g.members, o));
  return out.sort((a, b) => msOf(a.time) - msOf(b.time));
}
