import type { Readable } from 'node:stream';
import {
  type AuditEvent,
  type BlastRadius,
  type BlastRadiusToken,
  type SecretAccessKind,
  SvmError,
  isSvmError,
  parseStoreUri,
  redactStoreUri,
} from '@svm/core';
import { secretNameFromArn } from '../sources/cloudtrail.js';
import type { SourceChoice } from '../sources/detect.js';
import { analyzeFiles } from '../stream/analyze-files.js';

/** The leaked secret and the exposure window. */
export interface BlastRadiusQuery {
  /** Store URI the secret lives in (`vault://host:8200/secret`, `aws-sm://eu-west-1`, …). */
  store: string;
  /** The secret's name in that store. */
  name: string;
  /** Start of the exposure window. */
  since: Date;
  /** End of the exposure window (default: no end). */
  until?: Date | undefined;
}

const TIMELINE_MAX = 10_000;
const AFTERWARDS_MAX = 50;
const LEASES_MAX = 1_000;

/**
 * The logical names a secret has in audit events (`AuditEvent.secret`): `<kv-mount>/<name>` for Vault / OpenBao,
 * the name for AWS (an ARN is reduced to its name), GCP and file stores, `<vault-name>/<name>` for Azure.
 *
 * @example
 * ```ts
 * secretMatchKeys('vault+http://127.0.0.1:8200/secret', 'prod/db'); // ['secret/prod/db']
 * ```
 */
export function secretMatchKeys(store: string, name: string): string[] {
  const ref = parseStoreUri(store);
  const clean = name.replace(/^\/+|\/+$/g, '');
  if (clean === '')
    throw new SvmError('USAGE', '--secret: expected a secret name after the store URI, got an empty one');
  switch (ref.kind) {
    case 'vault':
      return [`${ref.mount.replace(/\/+$/, '')}/${clean}`];
    case 'aws-sm': {
      const fromArn = secretNameFromArn(clean);
      return fromArn && fromArn !== clean ? [fromArn, clean] : [clean];
    }
    case 'azure-kv':
      return [`${ref.vaultName}/${clean}`];
    default:
      return [clean];
  }
}

/**
 * How an event touched a secret: `read` its value, `metadata`, or `list` (versions, keys); undefined for writes and
 * anything else.
 *
 * @example
 * ```ts
 * secretAccessKind({ source: 'vault', operation: 'read', path: 'secret/metadata/db' } as AuditEvent); // 'metadata'
 * ```
 */
export function secretAccessKind(ev: Pick<AuditEvent, 'source' | 'operation' | 'path'>): SecretAccessKind | undefined {
  switch (ev.source) {
    case 'vault':
    case 'simple':
      if (ev.operation === 'list') return 'list';
      if (ev.operation === 'read') return ev.path.includes('/metadata/') ? 'metadata' : 'read';
      return undefined;
    case 'cloudtrail':
      if (ev.operation === 'GetSecretValue' || ev.operation === 'BatchGetSecretValue') return 'read';
      if (ev.operation === 'DescribeSecret' || ev.operation === 'GetResourcePolicy') return 'metadata';
      if (ev.operation === 'ListSecretVersionIds') return 'list';
      return undefined;
    case 'gcp':
      if (ev.operation === 'AccessSecretVersion') return 'read';
      if (ev.operation === 'GetSecret' || ev.operation === 'GetSecretVersion') return 'metadata';
      if (ev.operation === 'ListSecretVersions') return 'list';
      return undefined;
    case 'azure':
      if (ev.operation === 'SecretGet') return 'read';
      if (ev.operation === 'SecretListVersions' || ev.operation === 'SecretList') return 'list';
      return undefined;
  }
}

interface TokenState {
  token: BlastRadiusToken;
  firstMs: number;
  ips: Set<string>;
  after: Map<string, number>;
}

/**
 * The blast radius as a pure fold over normalised, paired events (what `AuditAnalyzer`'s `onEvent` yields): feed
 * every event with {@link BlastRadiusCollector.add}, then read {@link BlastRadiusCollector.result}. Bounded: the
 * timeline keeps 10,000 accesses, each token its 50 most-read other targets.
 *
 * @example
 * ```ts
 * const c = new BlastRadiusCollector({ store: 'vault://v:8200/secret', name: 'prod/db', since: new Date(0) });
 * for (const ev of events) c.add(ev);
 * c.result().identities.map((i) => i.identity);
 * ```
 */
export class BlastRadiusCollector {
  private readonly keys: Set<string>;
  private readonly sinceMs: number;
  private readonly untilMs: number;
  private events = 0;
  private accesses = 0;
  private outside = 0;
  private hashed = 0;
  private readonly tokens = new Map<string, TokenState>();
  private readonly identities = new Map<
    string,
    BlastRadius['identities'][number] & { ips: Set<string>; accessors: Set<string> }
  >();
  private readonly addresses = new Map<string, { count: number; identities: Set<string> }>();
  private readonly timeline: BlastRadius['timeline'] = [];
  private truncated = false;
  private readonly denied = new Map<string, { count: number; last: string }>();
  /** Leases seen per accessor before it touched the secret (a token's leases count whenever they were issued). */
  private readonly leasesByAccessor = new Map<string, string[]>();
  private leasesHeld = 0;
  private files: string[] = [];

  constructor(private readonly query: BlastRadiusQuery) {
    this.keys = new Set(secretMatchKeys(query.store, query.name));
    this.sinceMs = query.since.getTime();
    this.untilMs = query.until ? query.until.getTime() : Number.POSITIVE_INFINITY;
    if (!Number.isFinite(this.sinceMs)) throw new SvmError('USAGE', '--since: expected an ISO 8601 date-time');
    if (this.untilMs < this.sinceMs) throw new SvmError('USAGE', '--until: expected a time after --since');
  }

  /** The files the events came from (shown in the result). */
  setFiles(files: readonly string[]): void {
    this.files = [...files];
  }

  /** Feed one event (any source). */
  add(ev: AuditEvent): void {
    this.events++;
    const ms = Date.parse(ev.time);
    const accessor = ev.accessor && ev.accessor !== '' ? ev.accessor : undefined;
    if (accessor && ev.leaseId) this.noteLease(accessor, ev.leaseId);
    const kind = secretAccessKind(ev);
    const matches = ev.secret !== undefined && this.keys.has(ev.secret);
    const inWindow = ms >= this.sinceMs && ms <= this.untilMs;
    if (matches && kind) {
      if (ev.outcome === 'denied' && inWindow) {
        const d = this.denied.get(ev.identity) ?? { count: 0, last: ev.time };
        d.count++;
        if (ev.time > d.last) d.last = ev.time;
        this.denied.set(ev.identity, d);
        return;
      }
      if (ev.outcome !== 'success') return;
      if (!inWindow) {
        this.outside++;
        return;
      }
      this.access(ev, kind, accessor, ms);
      return;
    }
    // What a reader token did after its first access (only successful reads and lists).
    if (!accessor || ev.outcome !== 'success' || ms > this.untilMs) return;
    const state = this.tokens.get(accessor);
    if (!state || ms < state.firstMs) return;
    if (!kind && ev.operation !== 'read' && ev.operation !== 'list') return;
    const target = ev.secret ?? ev.path;
    if (this.keys.has(target)) return;
    if (state.after.has(target) || state.after.size < AFTERWARDS_MAX * 4)
      state.after.set(target, (state.after.get(target) ?? 0) + 1);
  }

  private noteLease(accessor: string, lease: string): void {
    const known = this.tokens.get(accessor);
    if (known) {
      if (!known.token.leases.includes(lease) && known.token.leases.length < LEASES_MAX) known.token.leases.push(lease);
      return;
    }
    if (this.leasesHeld >= 100_000) return;
    const list = this.leasesByAccessor.get(accessor) ?? [];
    if (list.length < LEASES_MAX && !list.includes(lease)) {
      list.push(lease);
      this.leasesHeld++;
    }
    this.leasesByAccessor.set(accessor, list);
  }

  private access(ev: AuditEvent, kind: SecretAccessKind, accessor: string | undefined, ms: number): void {
    this.accesses++;
    const ip = ev.sourceIp ?? null;
    if (accessor?.startsWith('hmac-sha256:')) this.hashed++;
    if (this.timeline.length < TIMELINE_MAX)
      this.timeline.push({
        time: ev.time,
        identity: ev.identity,
        accessor: accessor ?? null,
        sourceIp: ip,
        kind,
        operation: ev.operation,
        path: ev.path,
      });
    else this.truncated = true;

    let id = this.identities.get(ev.identity);
    if (!id) {
      id = {
        identity: ev.identity,
        authMethod: ev.authMethod ?? null,
        count: 0,
        kinds: { read: 0, metadata: 0, list: 0 },
        first: ev.time,
        last: ev.time,
        tokens: 0,
        sourceIps: [],
        ips: new Set(),
        accessors: new Set(),
      };
      this.identities.set(ev.identity, id);
    }
    id.count++;
    id.kinds[kind]++;
    if (ev.time < id.first) id.first = ev.time;
    if (ev.time > id.last) id.last = ev.time;
    if (ip) id.ips.add(ip);
    if (accessor) id.accessors.add(accessor);
    if (id.authMethod === null && ev.authMethod) id.authMethod = ev.authMethod;

    if (ip) {
      const a = this.addresses.get(ip) ?? { count: 0, identities: new Set<string>() };
      a.count++;
      a.identities.add(ev.identity);
      this.addresses.set(ip, a);
    }

    if (!accessor) return;
    let t = this.tokens.get(accessor);
    if (!t) {
      const leases = this.leasesByAccessor.get(accessor) ?? [];
      this.leasesByAccessor.delete(accessor);
      t = {
        token: {
          accessor,
          hashed: accessor.startsWith('hmac-sha256:'),
          identity: ev.identity,
          authMethod: ev.authMethod ?? null,
          source: ev.source,
          first: ev.time,
          last: ev.time,
          count: 0,
          kinds: { read: 0, metadata: 0, list: 0 },
          sourceIps: [],
          leases,
          afterwards: [],
        },
        firstMs: ms,
        ips: new Set(),
        after: new Map(),
      };
      this.tokens.set(accessor, t);
    }
    t.token.count++;
    t.token.kinds[kind]++;
    if (ms < t.firstMs) t.firstMs = ms;
    if (ev.time < t.token.first) t.token.first = ev.time;
    if (ev.time > t.token.last) t.token.last = ev.time;
    if (ip) t.ips.add(ip);
  }

  /** The blast radius so far, sorted: identities and addresses by count (then name), tokens and timeline by time. */
  result(): BlastRadius {
    const byCount =
      <T extends { count: number }>(key: (x: T) => string) =>
      (a: T, b: T) =>
        b.count - a.count || key(a).localeCompare(key(b));
    const tokens = [...this.tokens.values()]
      .map(({ token, ips, after }) => ({
        ...token,
        sourceIps: [...ips].sort(),
        afterwards: [...after.entries()]
          .map(([target, count]) => ({ target, count }))
          .sort(byCount((x) => x.target))
          .slice(0, AFTERWARDS_MAX),
      }))
      .sort((a, b) => a.first.localeCompare(b.first) || a.accessor.localeCompare(b.accessor));
    return {
      secret: { store: redactStoreUri(this.query.store), name: this.query.name, matches: [...this.keys] },
      window: {
        since: this.query.since.toISOString(),
        until: this.query.until ? this.query.until.toISOString() : null,
      },
      files: this.files,
      events: this.events,
      accesses: this.accesses,
      outsideWindow: this.outside,
      hashedAccessors: this.hashed,
      identities: [...this.identities.values()]
        .map(({ ips, accessors, ...i }) => ({ ...i, tokens: accessors.size, sourceIps: [...ips].sort() }))
        .sort(byCount((x) => x.identity)),
      tokens,
      addresses: [...this.addresses.entries()]
        .map(([address, a]) => ({ address, count: a.count, identities: [...a.identities].sort() }))
        .sort(byCount((x) => x.address)),
      timeline: [...this.timeline].sort((a, b) => a.time.localeCompare(b.time)),
      timelineTruncated: this.truncated,
      denied: [...this.denied.entries()].map(([identity, d]) => ({ identity, ...d })).sort(byCount((x) => x.identity)),
    };
  }
}

/** Options of {@link blastRadius}. */
export interface BlastRadiusOptions {
  cwd?: string | undefined;
  stdin?: Readable | undefined;
  source?: SourceChoice | undefined;
}

/**
 * Who read or listed a leaked secret in the exposure window, from audit logs (files, directories, globs, gzip,
 * `-`; every source `audit analyze` reads): each identity, token accessor, source address and access, sorted, with
 * counts, plus what each token read afterwards and the leases it was issued.
 *
 * @example
 * ```ts
 * const radius = await blastRadius(['/var/log/vault/audit.log'], {
 *   store: 'vault://vault.example.com:8200/secret', name: 'prod/db', since: new Date('2026-03-01T00:00:00Z') });
 * radius.tokens.map((t) => t.accessor);
 * ```
 */
export async function blastRadius(
  paths: readonly string[],
  query: BlastRadiusQuery,
  options: BlastRadiusOptions = {},
): Promise<BlastRadius> {
  const collector = new BlastRadiusCollector(query);
  const { files, result } = await analyzeFiles(paths, {
    rules: [],
    cwd: options.cwd,
    stdin: options.stdin,
    source: options.source,
    onEvent: (ev) => collector.add(ev),
  });
  if (result.inputErrors.length > 0) {
    const e = result.inputErrors[0]!;
    throw new SvmError('FILE_UNREADABLE', `${e.file}: ${e.reason}`, { file: e.file });
  }
  collector.setFiles(files);
  return collector.result();
}

/**
 * The `--secret <store-uri> <name>` flag: exactly a store URI and a name, the URI checked.
 *
 * @example
 * ```ts
 * parseSecretFlag(['vault://vault:8200/secret', 'prod/db']); // { store: 'vault://vault:8200/secret', name: 'prod/db' }
 * ```
 */
export function parseSecretFlag(values: readonly string[] | undefined): { store: string; name: string } {
  if (values?.length !== 2 || values[1] === '')
    throw new SvmError(
      'USAGE',
      `--secret: expected a store URI and a secret name, e.g. --secret vault://vault:8200/secret prod/db, got ${values?.length ?? 0} value(s)`,
    );
  try {
    parseStoreUri(values[0] as string);
  } catch (error) {
    if (isSvmError(error)) throw new SvmError('USAGE', `--secret: ${error.message}`);
    throw error;
  }
  return { store: values[0] as string, name: values[1] as string };
}

/**
 * A `--since` / `--until` value: an ISO 8601 date-time (`2026-03-01T10:00:00Z`) or a date (`2026-03-01`, midnight
 * UTC); anything else is a usage error naming the flag.
 *
 * @example
 * ```ts
 * parseWindowTime('2026-03-01', '--since').toISOString(); // '2026-03-01T00:00:00.000Z'
 * ```
 */
export function parseWindowTime(value: string, flag: string): Date {
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value);
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (!ok || Number.isNaN(d.getTime()))
    throw new SvmError('USAGE', `${flag}: expected an ISO 8601 date-time such as 2026-03-01T10:00:00Z, got '${value}'`);
  return d;
}

/** The flags of `svm incident blast-radius`, as a command line gives them. */
export interface BlastRadiusFlags {
  /** `<store-uri> <name>`. */
  secret?: string[] | undefined;
  /** Start of the exposure window (ISO 8601). */
  since: string;
  /** End of the exposure window (ISO 8601; default no end). */
  until?: string | undefined;
  /** The audit logs to read. */
  audit: string[];
}

/**
 * `svm incident blast-radius` as one call: `--secret`, `--since` and `--until` checked (`USAGE` naming the flag),
 * then {@link blastRadius} over the `--audit` logs.
 *
 * @example
 * ```ts
 * const radius = await blastRadiusFromFlags(
 *   { secret: ['vault://vault:8200/secret', 'prod/db'], since: '2026-03-01T08:00:00Z', audit: ['audit.log'] },
 *   { cwd: process.cwd() },
 * );
 * ```
 */
export async function blastRadiusFromFlags(
  flags: BlastRadiusFlags,
  options: BlastRadiusOptions = {},
): Promise<BlastRadius> {
  const secret = parseSecretFlag(flags.secret);
  const since = parseWindowTime(flags.since, '--since');
  const until = flags.until === undefined ? undefined : parseWindowTime(flags.until, '--until');
  return blastRadius(flags.audit, { ...secret, since, until }, options);
}
