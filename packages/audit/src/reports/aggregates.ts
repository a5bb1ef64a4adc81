import type { AuditSource } from '@svm/core';
import { BoundedMap } from '../internal/bounded-map.js';
import { identityKey, isAmbiguousIdentity, isSecretRead, isSecretWrite, type TimedEvent } from '../detectors/types.js';
import { vaultPolicyName } from '../detectors/policy-change.js';

/** Access by one identity. */
export interface IdentityAccess {
  identity: string;
  /** Opaque (HMAC'd) accessor, when the identity name is shared by several tokens (`root`, `token`). */
  accessor?: string;
  kind: string;
  authMethod: string | null;
  events: number;
  reads: number;
  writes: number;
  denied: number;
  firstSeen: string;
  lastSeen: string;
  /** Up to 200 secrets with their access counts. */
  secrets: Record<string, number>;
  /** Up to 20 source addresses. */
  sourceIps: string[];
}

/** Activity on one secret. */
export interface SecretActivity {
  secret: string;
  source: AuditSource;
  reads: number;
  writes: number;
  lastRead: string | null;
  lastWrite: string | null;
  readers: string[];
}

/** A policy change seen in the logs. */
export interface PolicyChangeSeen {
  time: string;
  identity: string;
  policy: string;
  operation: string;
  source: AuditSource;
}

/** Everything the reports need, gathered in one pass with bounded memory. */
export interface Aggregates {
  firstTime: string | null;
  lastTime: string | null;
  /**
   * Events per time bucket (ISO start → count), as fine as the span allows within 2,400 buckets: seconds (up to
   * 40 minutes of log), minutes (up to 40 hours), hours (up to 100 days), then days.
   */
  timeline: Record<string, number>;
  timelineUnit: TimelineUnit;
  byOutcome: Record<string, number>;
  identities: IdentityAccess[];
  secrets: SecretActivity[];
  topPaths: Array<{ path: string; count: number }>;
  /** Distinct raw request paths (API paths, e.g. `secret/data/x`), up to 10,000: what policies are checked against. */
  apiPaths: string[];
  policyChanges: PolicyChangeSeen[];
}

/** The bucket size of {@link Aggregates.timeline}. */
export type TimelineUnit = 'second' | 'minute' | 'hour' | 'day';

const MAX_TIMELINE = 2400;
const UNITS: Array<[TimelineUnit, number]> = [
  ['second', 1000],
  ['minute', 60_000],
  ['hour', 3_600_000],
  ['day', 86_400_000],
];

/** Collects report aggregates; every map is capped (see README "State bounds"). */
export class AggregateCollector {
  private first = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;
  private timeline = new Map<number, number>();
  private unit = 0;
  private unitMs = 1000;
  private outcomes: Record<string, number> = {};
  private identities: BoundedMap<string, { a: IdentityAccess; secrets: Map<string, number>; ips: Set<string> }>;
  private secrets: BoundedMap<string, SecretActivity>;
  private paths = new Map<string, number>();
  private apiPaths = new Set<string>();
  private policyChanges: PolicyChangeSeen[] = [];

  constructor(limits: { identities: number; secrets: number }) {
    this.identities = new BoundedMap(limits.identities);
    this.secrets = new BoundedMap(limits.secrets);
  }

  add(ev: TimedEvent): void {
    if (ev.ms < this.first) this.first = ev.ms;
    if (ev.ms > this.last) this.last = ev.ms;
    const bucket = Math.floor(ev.ms / this.unitMs) * this.unitMs;
    this.timeline.set(bucket, (this.timeline.get(bucket) ?? 0) + 1);
    if (this.timeline.size > MAX_TIMELINE) this.coarsen();
    this.outcomes[ev.outcome] = (this.outcomes[ev.outcome] ?? 0) + 1;

    const read = isSecretRead(ev) && ev.outcome === 'success';
    const write = isSecretWrite(ev) && ev.outcome === 'success';
    // Tokens that share a name (`root`, `token`) are told apart by accessor.
    const key = identityKey(ev);
    let id = this.identities.get(key);
    if (!id) {
      id = {
        a: {
          identity: ev.identity,
          kind: ev.identityKind,
          authMethod: ev.authMethod ?? null,
          events: 0,
          reads: 0,
          writes: 0,
          denied: 0,
          firstSeen: ev.time,
          lastSeen: ev.time,
          secrets: {},
          sourceIps: [],
        },
        secrets: new Map(),
        ips: new Set(),
      };
      if (ev.accessor && isAmbiguousIdentity(ev.identity)) id.a.accessor = ev.accessor;
      this.identities.set(key, id);
    }
    const a = id.a;
    a.events++;
    if (ev.identityKind !== 'unknown') a.kind = ev.identityKind;
    if (ev.authMethod && !a.authMethod) a.authMethod = ev.authMethod;
    if (read) a.reads++;
    if (write) a.writes++;
    if (ev.outcome === 'denied') a.denied++;
    if (ev.time < a.firstSeen) a.firstSeen = ev.time;
    if (ev.time > a.lastSeen) a.lastSeen = ev.time;
    if (ev.sourceIp && id.ips.size < 20) id.ips.add(ev.sourceIp);
    if (ev.secret && (read || write)) {
      const n = id.secrets.get(ev.secret);
      if (n !== undefined) id.secrets.set(ev.secret, n + 1);
      else if (id.secrets.size < 200) id.secrets.set(ev.secret, 1);

      let s = this.secrets.get(ev.secret);
      if (!s) {
        s = { secret: ev.secret, source: ev.source, reads: 0, writes: 0, lastRead: null, lastWrite: null, readers: [] };
        this.secrets.set(ev.secret, s);
      }
      if (read) {
        s.reads++;
        if (!s.lastRead || ev.time > s.lastRead) s.lastRead = ev.time;
        if (s.readers.length < 20 && !s.readers.includes(ev.identity)) s.readers.push(ev.identity);
      }
      if (write) {
        s.writes++;
        if (!s.lastWrite || ev.time > s.lastWrite) s.lastWrite = ev.time;
      }
    }
    if (this.apiPaths.size < 10_000) this.apiPaths.add(ev.path);
    const p = ev.secret ?? ev.path;
    const pc = this.paths.get(p);
    if (pc !== undefined) this.paths.set(p, pc + 1);
    else if (this.paths.size < 100_000) this.paths.set(p, 1);

    // Policy changes are writes: reads (most events) skip the checks.
    if (
      ev.outcome === 'success' &&
      ev.operation !== 'read' &&
      ev.operation !== 'list' &&
      this.policyChanges.length < 10_000
    ) {
      const name =
        ev.source === 'vault' || ev.source === 'simple'
          ? /^(create|update|delete|patch)$/.test(ev.operation)
            ? vaultPolicyName(ev.path)
            : undefined
          : undefined;
      const cloud =
        /^(PutResourcePolicy|DeleteResourcePolicy|PutKeyPolicy|SetIamPolicy|VaultPut|VaultPatch|VaultAccessPolicyChangedEventGridNotification)$/.test(
          ev.operation,
        );
      if (name || cloud)
        this.policyChanges.push({
          time: ev.time,
          identity: ev.identity,
          policy: name ?? ev.secret ?? ev.path,
          operation: ev.operation,
          source: ev.source,
        });
    }
  }

  private coarsen(): void {
    if (this.unit === UNITS.length - 1) return;
    this.unit++;
    this.unitMs = (UNITS[this.unit] as [TimelineUnit, number])[1];
    const next = new Map<number, number>();
    for (const [k, v] of this.timeline) {
      const b = Math.floor(k / this.unitMs) * this.unitMs;
      next.set(b, (next.get(b) ?? 0) + v);
    }
    this.timeline = next;
    if (this.timeline.size > MAX_TIMELINE) this.coarsen();
  }

  result(): Aggregates {
    const timeline: Record<string, number> = {};
    for (const k of [...this.timeline.keys()].sort((x, y) => x - y))
      timeline[new Date(k).toISOString()] = this.timeline.get(k) as number;
    return {
      firstTime: Number.isFinite(this.first) ? new Date(this.first).toISOString() : null,
      lastTime: Number.isFinite(this.last) ? new Date(this.last).toISOString() : null,
      timeline,
      timelineUnit: (UNITS[this.unit] as [TimelineUnit, number])[0],
      byOutcome: { ...this.outcomes },
      identities: [...this.identities.values()]
        .map(({ a, secrets, ips }) => ({
          ...a,
          secrets: Object.fromEntries([...secrets].sort((x, y) => y[1] - x[1])),
          sourceIps: [...ips],
        }))
        .sort((x, y) => y.events - x.events || x.identity.localeCompare(y.identity)),
      secrets: [...this.secrets.values()].sort((x, y) => x.secret.localeCompare(y.secret)),
      topPaths: [...this.paths]
        .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
        .slice(0, 20)
        .map(([path, count]) => ({ path, count })),
      apiPaths: [...this.apiPaths].sort(),
      policyChanges: this.policyChanges,
    };
  }
}
