import type {
  RotationPlan,
  RotationPlanSettings as CoreRotationPlanSettings,
  RotationPlanSummary as CoreRotationPlanSummary,
} from '@svm/core';
import {
  type Clock,
  type ComplianceViolation,
  type Criticality,
  type DaysInput,
  type InventoryItem,
  MAX_INTERVAL_DAYS,
  type RotationPlanItem,
  type RotationStatus,
  SvmError,
  parseDays,
  parseDurationMs,
  systemClock,
} from '@svm/core';
import { COMPLIANCE_PROFILES, type ComplianceSubject, profileIdOf } from '../compliance/profiles.js';
import { type EpochDay, formatIsoDay, parseIsoDay } from '../internal/days.js';
import type { LoadedInventory } from '../inventory/load-inventory.js';
import type { RotationPolicy } from '../policy/rotation-policy.js';
import { WorkCalendar } from '../schedule/calendar.js';
import { topologicalOrder } from '../schedule/dependencies.js';
import { type ScheduleJob, scheduleRotations } from '../schedule/schedule.js';
import {
  DEFAULT_TYPE_RULES,
  STRATEGIES,
  type TypeRule,
  UNKNOWN_TYPE_RULE,
  canonicalType,
  strategyById,
} from '../strategies/strategies.js';
import { dayOf, resolveTimeZone, todayIn } from '../time/zone.js';

/** Options for {@link planRotations}. Flags win over the policy file, which wins over built-in defaults. */
export interface PlanOptions {
  /** The planning day, `YYYY-MM-DD`. Defaults to today in `timeZone` from `clock`. */
  now?: string | undefined;
  /** Where "today" comes from when `now` is absent (default: the system clock). */
  clock?: Clock | undefined;
  /** IANA zone for "today" and for date-times in the inventory (default: policy, else UTC). */
  timeZone?: string | undefined;
  /** Cap on every interval, in days (the original `--policy 30d|60d|90d`). */
  maxIntervalDays?: number | undefined;
  /** Items due within this many days are `due-soon` (default 14). */
  withinDays?: number | undefined;
  /** Rotations per team per day (default: policy, else unlimited). */
  capacity?: number | undefined;
  /** A parsed rotation policy file. */
  policy?: RotationPolicy | undefined;
  /** Compliance profiles to check on every item, in addition to each item's `compliance` tags. */
  profiles?: readonly string[] | undefined;
  /** Where the items came from, so errors can name file and line. */
  source?: Pick<LoadedInventory, 'file' | 'lineOf'> | undefined;
}

/** Counts over a plan (the schema lives in `@svm/core`). */
export type RotationPlanSummary = CoreRotationPlanSummary;

/** The settings a plan was made with (the schema lives in `@svm/core`). */
export type RotationPlanSettings = CoreRotationPlanSettings;

/** A rotation plan: the `--json` document of `svm rotation plan`; `@svm/core`'s `RotationPlan` is its one schema. */
export type RotationPlanDocument = RotationPlan;

/** 9999-12-31: the last day every output format (ISO 8601, iCalendar, CSV) can write. */
const LAST_DAY = parseIsoDay('9999-12-31') as EpochDay;
const NO_DEPS: number[] = [];
const NO_DEP_IDS: string[] = [];
// Shared by every item without violations (most of them): one array instead of 100k. Frozen so no caller
// can add to all items at once.
const NO_VIOLATIONS = Object.freeze([]) as unknown as ComplianceViolation[];
const STATUS_RANK: Record<RotationStatus, number> = { overdue: 0, 'never-rotated': 1, 'due-soon': 2, ok: 3 };
const CRITICALITY_RANK: Record<Criticality, number> = { low: 1, medium: 2, high: 3, critical: 4 };

/**
 * Plan rotations for an inventory: for each item its canonical type, interval, due date (the earlier of
 * last rotation + interval and expiry − renew-before), status on the planning day, method, steps, downtime
 * risk, compliance violations and a proposed day from the scheduler. Pure: no I/O, time from `now`/`clock`.
 *
 * Dates are whole calendar days; `daysUntilDue` is `due − now` in days, so an item due tomorrow is
 * `due-soon` with 1 day left (the original script's date-time comparison called it overdue).
 *
 * @example
 * ```ts
 * const plan = planRotations(
 *   [{ name: 'prod-db', type: 'database', last_rotated: '2026-02-01', owner: 'platform' }],
 *   { now: '2026-03-01' },
 * );
 * plan.items[0]?.due;    // '2026-03-03'
 * plan.items[0]?.status; // 'due-soon'
 * ```
 */
export function planRotations(items: readonly InventoryItem[], options: PlanOptions = {}): RotationPlanDocument {
  const policy = options.policy ?? {};
  const timeZone = resolveTimeZone(options.timeZone ?? policy.defaults?.timezone ?? 'UTC');
  const nowText = options.now ?? todayIn(options.clock ?? systemClock, timeZone);
  const today = parseIsoDay(nowText);
  if (today === undefined) throw new SvmError('USAGE', `expected --now as YYYY-MM-DD, got '${nowText}'`);
  const withinDays = options.withinDays ?? daysOf(policy.defaults?.within, 'defaults.within') ?? 14;
  const maxInterval = options.maxIntervalDays ?? daysOf(policy.defaults?.max_interval, 'defaults.max_interval');
  const defaultRenew = daysOf(policy.defaults?.renew_before, 'defaults.renew_before');
  const capacity = options.capacity ?? policy.defaults?.capacity;
  const globalProfiles = [...(options.profiles ?? []), ...(policy.profiles ?? [])].flatMap((p) => expandProfiles(p));
  const globalProfileSet: ReadonlySet<string> = new Set(globalProfiles);
  const warnings: string[] = [];
  const source = options.source;

  const typeRules = new Map<string, TypeRule>();
  const ruleFor = (type: string): TypeRule => {
    let rule = typeRules.get(type);
    if (!rule) {
      const base = DEFAULT_TYPE_RULES[type] ?? UNKNOWN_TYPE_RULE;
      const override = policy.types?.[type];
      rule = {
        intervalDays: daysOf(override?.interval, `types.${type}.interval`) ?? base.intervalDays,
        renewBeforeDays:
          daysOf(override?.renew_before, `types.${type}.renew_before`) ?? defaultRenew ?? base.renewBeforeDays,
        strategy: override?.strategy ?? base.strategy,
        expiryOnly: base.expiryOnly && override?.interval === undefined,
      };
      if (!strategyById(rule.strategy))
        throw new SvmError(
          'INPUT_INVALID',
          `unknown strategy '${rule.strategy}' (known: ${Object.keys(STRATEGIES).join(', ')})`,
          { field: `types.${type}.strategy` },
        );
      typeRules.set(type, rule);
    }
    return rule;
  };

  // ---- Ids and dependencies. ----
  const ids = items.map((item, i) => item.id ?? item.name ?? `unnamed-${i}`);
  const indexOf = new Map<string, number>();
  const duplicates = new Set<string>();
  ids.forEach((id, i) => {
    if (indexOf.has(id)) duplicates.add(id);
    else indexOf.set(id, i);
  });
  for (const id of duplicates) warnings.push(`id '${id}' appears more than once`);
  const after: number[][] = items.map((item, i) => {
    const deps = item.depends_on;
    if (!deps || deps.length === 0) return NO_DEPS;
    return deps.map((dep) => {
      const j = indexOf.get(dep);
      if (j === undefined) throw locate(source, i, 'depends_on', `unknown id '${dep}' in depends_on of '${ids[i]}'`);
      if (duplicates.has(dep))
        throw locate(source, i, 'depends_on', `depends_on names '${dep}', which more than one item uses as its id`);
      return j;
    });
  });
  const topo = topologicalOrder(items.length, after);
  if (topo.cycle) {
    const first = topo.cycle[0] as number;
    throw locate(source, first, 'depends_on', `dependency cycle: ${topo.cycle.map((i) => ids[i]).join(' -> ')}`);
  }

  // ---- Due dates, status, compliance. ----
  const planned: RotationPlanItem[] = new Array(items.length);
  const methods: RotationPlanDocument['methods'] = {};
  const jobs: ScheduleJob[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as InventoryItem;
    const id = ids[i] as string;
    const type = canonicalType(item.type);
    const rule = ruleFor(type);
    const lastRotated = dateField(item.last_rotated, 'last_rotated', i);
    const issuedAt = dateField(item.issued_at, 'issued_at', i);
    const created = dateField(item.created, 'created', i);
    const expiresAt = dateField(item.expires_at, 'expires_at', i);
    const base = lastRotated ?? issuedAt ?? created;
    const itemInterval = daysOf(item.interval, 'interval', i);
    let intervalDays: number | null =
      itemInterval ?? (rule.expiryOnly && expiresAt !== undefined ? null : rule.intervalDays);
    if (intervalDays !== null && maxInterval !== undefined && maxInterval < intervalDays) intervalDays = maxInterval;
    const renewBefore = daysOf(item.renew_before, 'renew_before', i) ?? rule.renewBeforeDays;

    let due: EpochDay = today;
    let dueReason: 'interval' | 'expiry' | 'never-rotated' = 'never-rotated';
    if (base !== undefined && intervalDays !== null) {
      due = base + intervalDays;
      dueReason = 'interval';
      if (due > LAST_DAY && !(expiresAt !== undefined && expiresAt - renewBefore < due)) {
        throw locate(
          source,
          i,
          item.interval !== undefined
            ? 'interval'
            : lastRotated !== undefined
              ? 'last_rotated'
              : issuedAt !== undefined
                ? 'issued_at'
                : 'created',
          `the due date (${formatIsoDay(base)} + ${intervalDays} days) is after 9999-12-31`,
        );
      }
    }
    if (expiresAt !== undefined && (dueReason === 'never-rotated' || expiresAt - renewBefore < due)) {
      due = expiresAt - renewBefore;
      dueReason = 'expiry';
    }
    const daysUntilDue = due - today;
    const status: RotationStatus =
      daysUntilDue < 0
        ? 'overdue'
        : dueReason === 'never-rotated'
          ? 'never-rotated'
          : daysUntilDue <= withinDays
            ? 'due-soon'
            : 'ok';

    const strategyId = item.strategy ?? rule.strategy;
    let strategy = strategyById(strategyId);
    if (!strategy) {
      warnings.push(`'${id}': unknown strategy '${strategyId}', planned as manual`);
      strategy = STRATEGIES.manual;
    }
    if (!methods[strategy.id])
      methods[strategy.id] = { title: strategy.title, downtimeRisk: strategy.downtimeRisk, steps: strategy.steps };

    let profiles: ReadonlySet<string> = globalProfileSet;
    if (item.compliance && item.compliance.length > 0) {
      const own = new Set(globalProfiles);
      for (const tag of item.compliance) {
        const profile = profileIdOf(tag);
        if (profile) own.add(profile);
      }
      profiles = own;
    }
    let violations: ComplianceViolation[] | undefined;
    if (profiles.size > 0) {
      const subject: ComplianceSubject = {
        type,
        intervalDays,
        today,
        lastRotated: base,
        issuedAt,
        expiresAt,
        due,
        status,
        keyPurpose: item.key_purpose,
        pki: item.pki,
      };
      for (const profile of profiles) {
        const found = (COMPLIANCE_PROFILES[profile] as (typeof COMPLIANCE_PROFILES)[string]).check(subject);
        if (found.length > 0) (violations ??= []).push(...found);
      }
    }

    const team = item.team ?? item.owner ?? 'unassigned';
    const criticality = item.criticality ?? null;
    planned[i] = {
      id,
      type,
      lastRotated: base === undefined ? null : formatIsoDay(base),
      intervalDays,
      due: formatIsoDay(due),
      daysUntilDue,
      status,
      owner: item.owner ?? item.team ?? null,
      method: strategy.id,
      name: item.name ?? id,
      store: item.store ?? null,
      environment: item.environment ?? null,
      team,
      criticality,
      dueReason,
      expiresAt: expiresAt === undefined ? null : formatIsoDay(expiresAt),
      downtimeRisk: strategy.downtimeRisk,
      dependsOn: item.depends_on ?? NO_DEP_IDS,
      violations: violations ?? NO_VIOLATIONS,
    };
    jobs[i] = { id, team, due, after: after[i] as number[], priority: criticality ? CRITICALITY_RANK[criticality] : 0 };
  }

  // ---- Schedule. ----
  const teamCapacity = policy.teams ?? {};
  const scheduled = scheduleRotations(jobs, {
    today,
    capacity: (team) => teamCapacity[team]?.capacity ?? capacity ?? Infinity,
    calendar: new WorkCalendar(policy.blackouts ?? [], policy.maintenance ?? []),
  });
  for (let i = 0; i < planned.length; i++) {
    const result = scheduled[i] as (typeof scheduled)[number];
    const item = planned[i] as RotationPlanItem;
    if (result.day !== undefined) item.scheduled = formatIsoDay(result.day);
    if (result.issue) item.scheduleIssue = result.issue;
  }

  // Most urgent first: days until due, then status, then criticality (as one integer key), then id, then
  // input order. The integer key and the index are packed into one float and sorted natively; only runs of
  // equal keys (items due the same day with the same status) are then ordered by id.
  const n = planned.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = planned[i] as RotationPlanItem;
    const crit = x.criticality ? CRITICALITY_RANK[x.criticality as Criticality] : 0;
    keys[i] = x.daysUntilDue * 100 + STATUS_RANK[x.status] * 10 + (4 - crit);
  }
  const byId = (a: number, b: number) => {
    const x = (planned[a] as RotationPlanItem).id;
    const y = (planned[b] as RotationPlanItem).id;
    return x < y ? -1 : x > y ? 1 : a - b;
  };
  let order: number[];
  // |key| stays below 2^31 (intervals are at most 100 years), so key * 2^21 + index is exact below 2^53.
  if (n < 2 ** 21) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = (keys[i] as number) * 2 ** 21 + i;
    packed.sort();
    order = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = packed[i] as number;
      order[i] = v - Math.floor(v / 2 ** 21) * 2 ** 21;
    }
    for (let start = 0; start < n; ) {
      const key = keys[order[start] as number] as number;
      let end = start + 1;
      while (end < n && keys[order[end] as number] === key) end++;
      if (end - start > 1) {
        const run = order.slice(start, end).sort(byId);
        for (let k = 0; k < run.length; k++) order[start + k] = run[k] as number;
      }
      start = end;
    }
  } else {
    order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => (keys[a] as number) - (keys[b] as number) || byId(a, b));
  }
  const sorted = order.map((i) => planned[i] as RotationPlanItem);
  return {
    now: formatIsoDay(today),
    settings: {
      timeZone,
      withinDays,
      maxIntervalDays: maxInterval ?? null,
      capacity: capacity ?? null,
      profiles: [...new Set(globalProfiles)],
    },
    items: sorted,
    methods,
    summary: summarizePlanItems(sorted),
    warnings,
  };

  function dateField(value: string | null | undefined, field: string, index: number): EpochDay | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    const day = dayOf(value, timeZone);
    if (day === undefined)
      throw locate(source, index, field, `expected YYYY-MM-DD or an ISO 8601 date-time, got '${value}'`);
    return day;
  }

  function daysOf(value: DaysInput | undefined, field: string, index?: number): number | undefined {
    if (value === undefined) return undefined;
    try {
      const days =
        typeof value === 'number' || /^\s*\d+\s*$/.test(value)
          ? parseDays(value)
          : Math.ceil(parseDurationMs(value) / 86_400_000);
      // Intervals need a day at least; `within` and `renew_before` may be 0 (as bare numbers always could).
      if (
        days > MAX_INTERVAL_DAYS ||
        (days < 1 && (field.endsWith('interval') || (typeof value === 'string' && !/^\s*\d+\s*$/.test(value))))
      )
        throw new SvmError(
          'INPUT_INVALID',
          `expected at least 1 day and at most ${MAX_INTERVAL_DAYS} days (100 years), got '${value}'`,
        );
      return days;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (index === undefined) throw new SvmError('INPUT_INVALID', message, { field, cause: error });
      throw locate(source, index, field, message);
    }
  }
}

function expandProfiles(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .flatMap((v) => {
      if (v.toLowerCase() === 'all') return Object.keys(COMPLIANCE_PROFILES);
      const id = profileIdOf(v);
      if (!id)
        throw new SvmError(
          'USAGE',
          `unknown compliance profile '${v}' (known: ${Object.keys(COMPLIANCE_PROFILES).join(', ')}, all)`,
        );
      return [id];
    });
}

function locate(source: PlanOptions['source'], index: number, field: string, message: string): SvmError {
  return new SvmError('INPUT_INVALID', message, { file: source?.file, line: source?.lineOf(index), field });
}

/**
 * Count a list of planned items (used for the plan summary, and after filtering a plan).
 *
 * @example
 * ```ts
 * summarizePlanItems(plan.items.filter((i) => i.owner === 'platform')).overdue;
 * ```
 */
export function summarizePlanItems(items: readonly RotationPlanItem[]): RotationPlanSummary {
  const byStatus: Record<RotationStatus, number> = { overdue: 0, 'due-soon': 0, ok: 0, 'never-rotated': 0 };
  const byType: Record<string, number> = {};
  const byOwner: Record<string, number> = {};
  const byProfile: Record<string, number> = {};
  const byIssue: Record<string, number> = {};
  let violations = 0;
  let itemsWithViolations = 0;
  let late = 0;
  let unscheduled = 0;
  // Counted in maps (fast for 100k items with arbitrary owner names), returned as plain records.
  const types = new Map<string, number>();
  const owners = new Map<string, number>();
  for (const item of items) {
    byStatus[item.status]++;
    types.set(item.type, (types.get(item.type) ?? 0) + 1);
    const owner = item.owner ?? 'unassigned';
    owners.set(owner, (owners.get(owner) ?? 0) + 1);
    const v = item.violations ?? [];
    if (v.length > 0) itemsWithViolations++;
    violations += v.length;
    for (const x of v) byProfile[x.profile] = (byProfile[x.profile] ?? 0) + 1;
    if (item.scheduled === undefined) unscheduled++;
    else if (item.scheduled > item.due) late++;
    if (item.scheduleIssue) byIssue[item.scheduleIssue.code] = (byIssue[item.scheduleIssue.code] ?? 0) + 1;
  }
  for (const [k, c] of types) byType[k] = c;
  for (const [k, c] of owners) byOwner[k] = c;
  return {
    total: items.length,
    overdue: byStatus.overdue,
    dueSoon: byStatus['due-soon'],
    neverRotated: byStatus['never-rotated'],
    ok: byStatus.ok,
    byStatus,
    byType,
    byOwner,
    violations,
    itemsWithViolations,
    byProfile,
    scheduling: { onTime: items.length - late - unscheduled, late, unscheduled, byIssue },
  };
}
