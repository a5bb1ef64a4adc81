import type { AuditEvent, AuditSource, Suppressions } from '@svm/core';
import { compareSeverity } from '@svm/core';
import { type GroupOptions, groupFindings, resolveGroupOptions, type ResolvedGroupOptions } from './findings/group.js';
import {
  applySuppressions,
  type CompiledSuppressions,
  compileSuppressions,
  type SuppressedFinding,
  type SuppressionReport,
} from './findings/suppress.js';
import { type AnalysisWindow, type TimeBound, timeBoundMs } from './findings/window.js';
import { createDetectors, type Baselines } from './detectors/index.js';
import type { IdentityBaseline } from './detectors/new-source-ip.js';
import type { AuditFinding, Detector, Emit, RuleId, TimedEvent } from './detectors/types.js';
import type { RateBaseline } from './detectors/volume-spike.js';
import { BoundedMap } from './internal/bounded-map.js';
import type { MalformedLine } from './internal/parse-batch.js';
import { type AnalyzerOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { AggregateCollector, type Aggregates } from './reports/aggregates.js';

/** Learned state that can persist between runs (see `openStateStore`). Plain data. */
export interface BaselineSnapshot {
  version: 1;
  identities: Array<[string, IdentityBaseline]>;
  rates: Array<[string, RateBaseline]>;
  accessors: Array<[string, AccessorInfo]>;
  /**
   * Epoch ms of the latest event this baseline has learned from. Events before `since` and at or before this
   * instant are not learned again (a nightly `--since 24h --state` run over a growing log counts each event once).
   */
  learnedUntil?: number;
}

/** What a token accessor is known to belong to. */
export interface AccessorInfo {
  authMethod: string;
  identity: string;
}

/** The result of an analysis: the CLI's `--json` contract plus report aggregates. */
export interface AnalysisResult {
  /** Non-empty input lines read. */
  lines: number;
  /** Events after request/response pairing. */
  events: number;
  /** Malformed or truncated lines. */
  malformed: number;
  /** The first 1,000 malformed lines, by file and line. */
  malformedLines: MalformedLine[];
  /**
   * Inputs that could not be read to their end (a truncated or corrupt gzip file, trailing bytes that are not
   * gzip): what was read before the damage is analysed; the CLI exits 2 when this is not empty.
   */
  inputErrors: InputError[];
  sources: Partial<Record<AuditSource, number>>;
  /** The findings, grouped unless `group: false`, without the suppressed ones. */
  findings: AuditFinding[];
  /** Findings a suppression acknowledged (grouped the same way), each with the suppression it matched. */
  suppressed: SuppressedFinding[];
  /** What each suppression did (present when `suppressions` were given). */
  suppressions?: SuppressionReport;
  /** Findings before and after grouping (active ones; null when grouping is off). */
  grouping: { before: number; after: number } | null;
  /** The analysed window (present when `since` or `until` was given). */
  window?: AnalysisWindow;
  aggregates: Aggregates;
  /** Entries held at the end, per structure (for the documented bounds). */
  state: Record<string, number>;
}

/** An input that could not be read to its end; everything before the damage was analysed. */
export interface InputError {
  file: string;
  reason: string;
}

/** Options for {@link AuditAnalyzer}. */
export interface AuditAnalyzerOptions extends AnalyzerOptions {
  /** Only these rules (default: all). */
  rules?: readonly RuleId[];
  /** Learned state from an earlier run. */
  baseline?: BaselineSnapshot | undefined;
  /** Called with every event after pairing and enrichment (e.g. to stream OCSF); only events inside the window. */
  onEvent?: ((ev: AuditEvent) => void) | undefined;
  /**
   * Group repeated findings (same rule, identity, accessor and severity, close in time) into one finding with a
   * count, first/last time and the distinct objects (default: on, 60 s gap; `false` for one finding per detection).
   */
  group?: boolean | GroupOptions | undefined;
  /** Acknowledged activity: matching findings go to `suppressed` (see `loadSuppressions`). */
  suppressions?: CompiledSuppressions | Suppressions | undefined;
  /** "Now" for suppression expiry and durations in `since`/`until` (default: the system clock). */
  now?: number | Date | undefined;
  /**
   * Analyse only events at or after this instant. Earlier events still teach the baselines (addresses, rates,
   * accessor → auth method, detector windows) without being reported, unless the loaded `baseline` has learned
   * them already (`learnedUntil`). A finding is reported when its last event is inside the window.
   */
  since?: TimeBound | undefined;
  /** Analyse only events before this instant; later events are skipped (neither reported nor learned). */
  until?: TimeBound | undefined;
}

/**
 * The streaming analysis engine: feed it normalised events in (roughly) time order, in any batch sizes; it
 * pairs Vault requests with their responses, links tokens to the auth method that issued them (human vs
 * machine), runs every detector and collects report aggregates, all in bounded memory. Pure: no I/O, time
 * comes from the events.
 *
 * @example
 * ```ts
 * const analyzer = new AuditAnalyzer({ failedAuth: { threshold: 5 } });
 * analyzer.push(events);
 * const { findings } = analyzer.finish();
 * ```
 */
export class AuditAnalyzer {
  readonly options: ResolvedOptions;
  private readonly detectors: Detector[];
  private readonly baselines: Baselines;
  private readonly accessors: BoundedMap<string, AccessorInfo>;
  private readonly pending: BoundedMap<string, TimedEvent>;
  private readonly responded: BoundedMap<string, true>;
  /** Requests logged without a request id, waiting for their response: call fingerprint → pending keys, oldest first. */
  private readonly unidentified = new Map<string, string[]>();
  private unidentifiedSeq = 0;
  private readonly aggregates: AggregateCollector;
  private readonly findings: AuditFinding[] = [];
  private readonly emit: Emit = (f) => this.findings.push(f);
  private malformedLines: MalformedLine[] = [];
  private inputErrors: InputError[] = [];
  private malformedCount = 0;
  private lineCount = 0;
  private eventCount = 0;
  private sources: Partial<Record<AuditSource, number>> = {};
  private watermark = Number.NEGATIVE_INFINITY;
  private sinceSweep = 0;
  private finished = false;
  private readonly onEvent: ((ev: AuditEvent) => void) | undefined;
  private readonly group: ResolvedGroupOptions | undefined;
  private readonly suppressions: CompiledSuppressions | undefined;
  private readonly now: number;
  private readonly sinceMs: number;
  private readonly untilMs: number;
  private readonly learnedBefore: number;
  private learnedMax = Number.NEGATIVE_INFINITY;
  private readonly window: AnalysisWindow | undefined;

  constructor(options: AuditAnalyzerOptions = {}) {
    this.options = resolveOptions(options);
    this.onEvent = options.onEvent;
    this.group =
      options.group === false
        ? undefined
        : resolveGroupOptions(options.group === true || options.group === undefined ? {} : options.group);
    const s = options.suppressions;
    this.suppressions = s === undefined ? undefined : 'entries' in s ? s : compileSuppressions(s);
    this.now = options.now === undefined ? Date.now() : +options.now;
    const since = timeBoundMs(options.since, this.now, 'since');
    const until = timeBoundMs(options.until, this.now, 'until');
    this.sinceMs = since ?? Number.NEGATIVE_INFINITY;
    this.untilMs = until ?? Number.POSITIVE_INFINITY;
    this.learnedBefore = options.baseline?.learnedUntil ?? Number.NEGATIVE_INFINITY;
    if (since !== undefined || until !== undefined)
      this.window = {
        since: since === undefined ? null : new Date(since).toISOString(),
        until: until === undefined ? null : new Date(until).toISOString(),
        warmup: 0,
        alreadyLearned: 0,
        after: 0,
      };
    const L = this.options.limits;
    const snapshot = options.baseline;
    const identities = new BoundedMap<string, IdentityBaseline>(L.identities);
    const rates = new BoundedMap<string, RateBaseline>(L.keys);
    this.accessors = new BoundedMap(L.accessors);
    if (snapshot) {
      // Copies: the detectors update their baselines in place, and the caller's snapshot must stay as it was.
      for (const [k, v] of snapshot.identities) identities.set(k, { ...v, networks: [...v.networks] });
      for (const [k, v] of snapshot.rates) rates.set(k, { ...v });
      for (const [k, v] of snapshot.accessors) this.accessors.set(k, { ...v });
    }
    const built = createDetectors(this.options, { identities, rates }, options.rules);
    this.detectors = built.detectors;
    this.baselines = built.baselines;
    this.pending = new BoundedMap(L.pendingRequests, (_k, ev) => this.process(ev));
    this.responded = new BoundedMap(L.pendingRequests);
    this.aggregates = new AggregateCollector({ identities: L.identities, secrets: L.secrets });
  }

  /** Events analysed so far (for progress displays). */
  get eventsSoFar(): number {
    return this.eventCount;
  }

  /** Count input lines (for the summary). */
  addLines(n: number): void {
    this.lineCount += n;
  }

  /** Record malformed lines; they never stop the analysis. */
  addMalformed(lines: readonly MalformedLine[]): void {
    this.malformedCount += lines.length;
    for (const m of lines) if (this.malformedLines.length < 1000) this.malformedLines.push(m);
  }

  /** Record an input that could not be read to its end (kept apart from malformed lines). */
  addInputError(error: InputError): void {
    if (this.inputErrors.length < 1000) this.inputErrors.push(error);
  }

  /** Feed normalised events. */
  push(events: readonly AuditEvent[]): void {
    if (this.finished) throw new Error('AuditAnalyzer.push after finish');
    for (const e of events) {
      const ms = Date.parse(e.time);
      if (!Number.isFinite(ms)) {
        this.addMalformed([{ file: e.file ?? '<input>', line: e.line ?? 0, reason: 'no valid timestamp' }]);
        continue;
      }
      const ev = e as TimedEvent;
      ev.ms = ms;
      if (ms > this.watermark) this.watermark = ms;
      const id = ev.requestId;
      if (id === undefined && ev.entry !== undefined) {
        this.pairWithoutId(ev);
      } else if (ev.entry === 'request' && id !== undefined) {
        if (this.responded.has(id)) continue;
        this.pending.set(id, ev);
      } else {
        if (ev.entry === 'response' && id !== undefined) {
          this.responded.set(id, true);
          this.pending.delete(id);
          ev.entry = undefined;
        }
        this.process(ev);
      }
      if (++this.sinceSweep >= 1024) this.sweep();
    }
  }

  /**
   * A request/response pair logged without a request id is still one call: the response pairs with the oldest
   * waiting request of the same call (operation, path, address and token accessor).
   */
  private pairWithoutId(ev: TimedEvent): void {
    const fp = `${ev.operation}\u0000${ev.path}\u0000${ev.sourceIp ?? ''}\u0000${ev.accessor ?? ''}`;
    let keys = this.unidentified.get(fp);
    if (ev.entry === 'request') {
      const key = `\u0001${this.unidentifiedSeq++}`;
      if (!keys) {
        // Bounded like the pending map itself: drop fingerprints whose requests have all left it.
        if (this.unidentified.size >= this.options.limits.pendingRequests) this.pruneUnidentified();
        keys = [];
        this.unidentified.set(fp, keys);
      }
      keys.push(key);
      this.pending.set(key, ev);
      return;
    }
    ev.entry = undefined;
    if (keys) {
      while (keys.length > 0) {
        const key = keys.shift() as string;
        if (this.pending.delete(key)) break;
      }
      if (keys.length === 0) this.unidentified.delete(fp);
    }
    this.process(ev);
  }

  private pruneUnidentified(): void {
    for (const [fp, keys] of this.unidentified) {
      const live = keys.filter((k) => this.pending.has(k));
      if (live.length === 0) this.unidentified.delete(fp);
      else this.unidentified.set(fp, live);
    }
  }

  /** Requests whose response has not come within the pairing window are analysed on their own. */
  private sweep(): void {
    this.sinceSweep = 0;
    const limit = this.watermark - this.options.pairWindowMs;
    for (const [id, ev] of this.pending.entries()) {
      if (ev.ms >= limit) break;
      this.pending.delete(id);
      this.process(ev);
    }
  }

  private process(ev: TimedEvent): void {
    if (this.window) {
      if (ev.ms >= this.untilMs) {
        this.window.after++;
        return;
      }
      if (ev.ms < this.sinceMs) {
        if (ev.ms <= this.learnedBefore) {
          this.window.alreadyLearned++;
          return;
        }
        // Warm-up: the baselines and detector windows learn; findings ending before `since` are dropped in finish().
        if (ev.source === 'vault' || ev.source === 'simple') this.enrich(ev);
        this.window.warmup++;
        if (ev.ms > this.learnedMax) this.learnedMax = ev.ms;
        for (const d of this.detectors) d.observe(ev, this.emit);
        return;
      }
    }
    if (ev.ms > this.learnedMax) this.learnedMax = ev.ms;
    if (ev.source === 'vault' || ev.source === 'simple') this.enrich(ev);
    this.eventCount++;
    this.sources[ev.source] = (this.sources[ev.source] ?? 0) + 1;
    for (const d of this.detectors) d.observe(ev, this.emit);
    this.aggregates.add(ev);
    this.onEvent?.(ev);
  }

  private enrich(ev: TimedEvent): void {
    if (ev.accessor) {
      const known = this.accessors.get(ev.accessor);
      if (known) ev.authMethod = known.authMethod;
    }
    if (ev.issuedAccessor && ev.outcome === 'success') {
      // A child token (auth/token/create) inherits its creator's auth method.
      const method = ev.path.startsWith('auth/token/') ? (ev.authMethod ?? 'token') : (ev.authMethod ?? 'token');
      this.accessors.set(ev.issuedAccessor, { authMethod: method, identity: ev.identity });
    }
    if (ev.identityKind === 'unknown' && ev.authMethod) {
      if (this.options.humanAuthMethods.has(ev.authMethod)) ev.identityKind = 'human';
      else if (this.options.machineAuthMethods.has(ev.authMethod)) ev.identityKind = 'machine';
    }
  }

  /** Flush held requests and open groups; return the result. Call once. */
  finish(): AnalysisResult {
    if (!this.finished) {
      this.finished = true;
      for (const ev of [...this.pending.values()]) this.process(ev);
      this.pending.clear();
      this.unidentified.clear();
      for (const d of this.detectors) d.flush(this.emit);
    }
    let raw: AuditFinding[] = this.findings;
    // A finding counts for the window when its last event is inside it (a burst that began before `since` and
    // goes on inside it is reported; later events never entered).
    if (this.window) raw = raw.filter((f) => Date.parse(f.lastTime ?? f.time) >= this.sinceMs);
    let suppressed: SuppressedFinding[] = [];
    let suppressions: SuppressionReport | undefined;
    if (this.suppressions) {
      const applied = applySuppressions(raw, this.suppressions, this.now);
      raw = applied.findings;
      suppressed = applied.suppressed;
      suppressions = applied.report;
    }
    const before = raw.length;
    if (this.group) {
      raw = groupFindings(raw, this.group);
      suppressed = groupSuppressed(suppressed, this.group);
    }
    const findings = raw.sort(byTime);
    suppressed.sort(byTime);
    const state: Record<string, number> = {
      accessors: this.accessors.size,
      pendingRequests: this.pending.size,
      respondedIds: this.responded.size,
    };
    for (const d of this.detectors) state[d.rule] = d.stateSize();
    return {
      lines: this.lineCount,
      events: this.eventCount,
      malformed: this.malformedCount,
      malformedLines: this.malformedLines,
      inputErrors: this.inputErrors,
      sources: { ...this.sources },
      findings,
      suppressed,
      ...(suppressions ? { suppressions } : {}),
      grouping: this.group ? { before, after: findings.length } : null,
      ...(this.window ? { window: { ...this.window } } : {}),
      aggregates: this.aggregates.result(),
      state,
    };
  }

  /** The learned state, to save for the next run. */
  snapshot(): BaselineSnapshot {
    return {
      version: 1,
      identities: [...this.baselines.identities.entries()].map(([k, v]) => [
        k,
        { firstMs: v.firstMs, events: v.events, networks: [...v.networks] },
      ]),
      rates: [...this.baselines.rates.entries()].map(([k, v]) => [
        k,
        { hour: v.hour, count: v.count, ewma: v.ewma, hours: v.hours },
      ]),
      accessors: [...this.accessors.entries()],
      ...(Number.isFinite(Math.max(this.learnedMax, this.learnedBefore))
        ? { learnedUntil: Math.max(this.learnedMax, this.learnedBefore) }
        : {}),
    };
  }
}

const byTime = (a: AuditFinding, b: AuditFinding) =>
  (a.time < b.time ? -1 : a.time > b.time ? 1 : 0) ||
  a.rule.localeCompare(b.rule) ||
  compareSeverity(b.severity, a.severity) ||
  (a.identity ?? '').localeCompare(b.identity ?? '');

/** Suppressed findings group like active ones, within the suppression that matched them. */
function groupSuppressed(list: SuppressedFinding[], options: ResolvedGroupOptions): SuppressedFinding[] {
  const bySuppression = new Map<number, SuppressedFinding[]>();
  for (const f of list) {
    const l = bySuppression.get(f.suppressedBy.index);
    if (l) l.push(f);
    else bySuppression.set(f.suppressedBy.index, [f]);
  }
  const out: SuppressedFinding[] = [];
  for (const members of bySuppression.values()) {
    const by = (members[0] as SuppressedFinding).suppressedBy;
    const plain = members.map(({ suppressedBy: _s, ...f }) => f as AuditFinding);
    for (const g of groupFindings(plain, options)) out.push({ ...g, suppressedBy: by });
  }
  return out;
}

/**
 * Analyse an in-memory list of events in one call.
 *
 * @example
 * ```ts
 * const result = analyzeEvents([{ time: '2026-03-20T02:00:00Z', source: 'vault', identity: 'userpass-alice',
 *   identityKind: 'human', operation: 'read', path: 'secret/data/a', outcome: 'success' }]);
 * ```
 */
export function analyzeEvents(events: Iterable<AuditEvent>, options: AuditAnalyzerOptions = {}): AnalysisResult {
  const a = new AuditAnalyzer(options);
  const batch: AuditEvent[] = [];
  for (const e of events) {
    a.addLines(1);
    batch.push({ ...e });
    if (batch.length >= 4096) a.push(batch.splice(0));
  }
  a.push(batch);
  return a.finish();
}
