import type {
  RotationPlan,
  RotationPlanSettings as CoreRotationPlanSettings,
  RotationPlanSummary as CoreRotationPlanSummary,
} from '@svm/core';
import type {
  ComplianceViolation,
  Criticality,
  DaysInput,
  InventoryItem,
  RotationPlanItem,
  RotationStatus,
  ScheduleIssue,
} from '@svm/core';
// Values from the zod-free part of core only: this module is on `@svm/rotation/plan`'s light start-up path.
import { type Clock, MAX_INTERVAL_DAYS, SvmError, parseDays, parseDurationMs, systemClock } from '@svm/core/base';
import { COMPLIANCE_PROFILES, type ComplianceSubject, profileIdOf } from '../compliance/profiles.js';
import { type EpochDay, formatIsoDay, parseIsoDay } from '../internal/days.js';
import type { LoadedInventory } from '../inventory/load-inventory.js';
import type { RotationPolicy } from '../policy/rotation-policy.js';
import { WorkCalendar } from '../schedule/calendar.js';
import { topologicalOrder } from '../schedule/dependencies.js';
import { type ScheduleJob, overdueMessages, scheduleRotations } from '../schedule/schedule.js';
import {
  DEFAULT_TYPE_RULES,
  type RotationStrategy,
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
type DueReason = 'interval' | 'expiry' | 'never-rotated';
// Statuses and due reasons as small codes in planRotations' columns. A status code is also its sort rank.
const STATUS_OF_CODE: readonly RotationStatus[] = ['overdue', 'never-rotated', 'due-soon', 'ok'];
const STATUS_CODE: Record<RotationStatus, number> = { overdue: 0, 'never-rotated': 1, 'due-soon': 2, ok: 3 };
const REASON_OF_CODE: readonly DueReason[] = ['interval', 'expiry', 'never-rotated'];
const REASON_CODE: Record<DueReason, number> = { interval: 0, expiry: 1, 'never-rotated': 2 };
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
  // Indices by id (then input order): the plan's tie-break order, and duplicate ids side by side. Only with
  // dependencies or a duplicate is a map from id to index needed (100,000 entries cost more than this sort).
  const idOrder = Array.from({ length: items.length }, (_, i) => i).sort((a, b) => byId(ids, a, b));
  let duplicateIds = false;
  for (let k = 1; k < idOrder.length && !duplicateIds; k++)
    duplicateIds = ids[idOrder[k] as number] === ids[idOrder[k - 1] as number];
  const anyDeps = items.some((item) => item.depends_on !== undefined && item.depends_on.length > 0);
  let after: number[][] = items.map(() => NO_DEPS);
  if (anyDeps || duplicateIds) {
    const indexOf = new Map<string, number>();
    const duplicates = new Set<string>();
    ids.forEach((id, i) => {
      if (indexOf.has(id)) duplicates.add(id);
      else indexOf.set(id, i);
    });
    for (const id of duplicates) warnings.push(`id '${id}' appears more than once`);
    after = items.map((item, i) => {
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
  }
  const cycle = anyDeps ? topologicalOrder(items.length, after).cycle : undefined;
  if (cycle) {
    const first = cycle[0] as number;
    throw locate(source, first, 'depends_on', `dependency cycle: ${cycle.map((i) => ids[i]).join(' -> ')}`);
  }

  // ---- Due dates, status, compliance. ----
  // Kept in columns (typed arrays, NaN for "none") rather than in objects: the plan items are built once, in
  // their final shape and in output order, after scheduling and sorting (see buildItem). A 100,000-item plan
  // then allocates a third less and serialises faster: objects laid out in the order JSON.stringify visits
  // them, one hidden class per shape, no keys added later.
  const n = items.length;
  const types: string[] = new Array(n);
  const bases = new Float64Array(n);
  const intervals = new Float64Array(n);
  const dues = new Float64Array(n);
  const expiries = new Float64Array(n);
  const codes = new Uint8Array(n); // STATUS_CODE | REASON_CODE << 2
  const strategies: RotationStrategy[] = new Array(n);
  const violationLists: Array<ComplianceViolation[] | undefined> = new Array(n);
  const teams: string[] = new Array(n);
  const methods: RotationPlanDocument['methods'] = {};
  // A function of its own, called once (see the note above urgencyOrder).
  const fillColumns = (): void => {
    for (let i = 0; i < n; i++) {
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
      let dueReason: DueReason = 'never-rotated';
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
      if (profiles.size > 0) {
        let violations: ComplianceViolation[] | undefined;
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
        violationLists[i] = violations;
      }

      types[i] = type;
      bases[i] = base ?? Number.NaN;
      intervals[i] = intervalDays ?? Number.NaN;
      dues[i] = due;
      expiries[i] = expiresAt ?? Number.NaN;
      codes[i] = STATUS_CODE[status] | (REASON_CODE[dueReason] << 2);
      strategies[i] = strategy;
      teams[i] = item.team ?? item.owner ?? 'unassigned';
    }
  };
  fillColumns();

  // ---- Schedule. ----
  const scheduledDays = new Float64Array(n);
  const issues: Array<ScheduleIssue | undefined> = new Array(n);
  const teamCapacity = policy.teams ?? {};
  const calendar = new WorkCalendar(policy.blackouts ?? [], policy.maintenance ?? []);
  let unlimited: ((due: EpochDay) => string) | undefined;
  if (!anyDeps && calendar.open && (capacity ?? Infinity) === Infinity && !anyTeamCapacity(teamCapacity)) {
    // Unlimited capacity, every day allowed, no dependencies: every job goes on its due day, late work on
    // today with an `overdue` issue (what scheduleRotations computes in this case, without building its jobs).
    // buildItems places them as it builds the items, each issue next to its item.
    unlimited = overdueMessages(today);
  } else {
    scheduledDays.fill(Number.NaN);
    const jobs: ScheduleJob[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const criticality = (items[i] as InventoryItem).criticality;
      jobs[i] = {
        id: ids[i] as string,
        team: teams[i] as string,
        due: dues[i] as number,
        after: after[i] as number[],
        priority: criticality ? CRITICALITY_RANK[criticality] : 0,
      };
    }
    const scheduled = scheduleRotations(jobs, {
      today,
      capacity: (team) => teamCapacity[team]?.capacity ?? capacity ?? Infinity,
      calendar,
    });
    for (let i = 0; i < n; i++) {
      const result = scheduled[i] as (typeof scheduled)[number];
      if (result.day !== undefined) scheduledDays[i] = result.day;
      if (result.issue) issues[i] = result.issue;
    }
  }

  const order = urgencyOrder(items, ids, idOrder, dues, codes, today);
  const cols: Columns = {
    items,
    ids,
    types,
    bases,
    intervals,
    dues,
    expiries,
    codes,
    strategies,
    violationLists,
    teams,
    scheduledDays,
    issues,
    unlimited,
  };
  const counter = new SummaryCounter();
  const sorted = buildItems(cols, order, today, counter);
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
    summary: counter.summary(n),
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

/** planRotations' per-item results, one array per field, in input order (NaN: none). */
interface Columns {
  items: readonly InventoryItem[];
  ids: readonly string[];
  types: readonly string[];
  bases: Float64Array;
  intervals: Float64Array;
  dues: Float64Array;
  expiries: Float64Array;
  /** Status code | due reason code << 2. */
  codes: Uint8Array;
  strategies: readonly RotationStrategy[];
  violationLists: ReadonlyArray<ComplianceViolation[] | undefined>;
  teams: readonly string[];
  scheduledDays: Float64Array;
  issues: ReadonlyArray<ScheduleIssue | undefined>;
  /** Set (the overdue message by due day) when scheduling is the closed form: `scheduledDays`, `issues` unset. */
  unlimited: ((due: EpochDay) => string) | undefined;
}

// The passes of planRotations are functions of their own (the first one a closure, for its error messages):
// each loop runs once per plan, and a small function is optimised on its own instead of deoptimising the whole
// planner when control reaches code that has not run yet.

/** Item indices, most urgent first (see planRotations). */
function urgencyOrder(
  items: readonly InventoryItem[],
  ids: readonly string[],
  idOrder: readonly number[],
  dues: Float64Array,
  codes: Uint8Array,
  today: EpochDay,
): number[] {
  const n = items.length;
  // Most urgent first: days until due, then status, then criticality (as one integer key), then id, then
  // input order. Each key is packed with the item's place in `idOrder` (by id, then input order) into one
  // float and the floats sorted natively.
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const criticality = (items[i] as InventoryItem).criticality;
    const crit = criticality ? CRITICALITY_RANK[criticality] : 0;
    keys[i] = ((dues[i] as number) - today) * 100 + ((codes[i] as number) & 3) * 10 + (4 - crit);
  }
  // |key| stays below 2^31 (intervals are at most 100 years), so key * 2^21 + place is exact below 2^53.
  if (n >= 2 ** 21)
    return Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => (keys[a] as number) - (keys[b] as number) || byId(ids, a, b),
    );
  const packed = new Float64Array(n);
  for (let r = 0; r < n; r++) packed[r] = (keys[idOrder[r] as number] as number) * 2 ** 21 + r;
  packed.sort();
  const order: number[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const v = packed[k] as number;
    order[k] = idOrder[v - Math.floor(v / 2 ** 21) * 2 ** 21] as number;
  }
  return order;
}

/** Compare items `a` and `b` by id, then input order. */
function byId(ids: readonly string[], a: number, b: number): number {
  const x = ids[a] as string;
  const y = ids[b] as string;
  return x < y ? -1 : x > y ? 1 : a - b;
}

/** The plan items in output order, each built once in its final shape, counted into `counter`. */
function buildItems(
  cols: Columns,
  order: readonly number[],
  today: EpochDay,
  counter: SummaryCounter,
): RotationPlanItem[] {
  const { items, ids, types, bases, intervals, dues, expiries, codes, strategies, violationLists, teams } = cols;
  const { scheduledDays, issues, unlimited } = cols;
  const n = order.length;
  const sorted: RotationPlanItem[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const item = items[i] as InventoryItem;
    const id = ids[i] as string;
    const base = bases[i] as number;
    const interval = intervals[i] as number;
    const due = dues[i] as number;
    const expiresAt = expiries[i] as number;
    const code = codes[i] as number;
    const strategy = strategies[i] as RotationStrategy;
    const late = unlimited !== undefined && due < today;
    const day = unlimited === undefined ? (scheduledDays[i] as number) : late ? today : due;
    // Named as the item's keys, so the four shapes below read as one: with or without a scheduled day and an
    // issue. Literals, not keys added later, keep each shape one hidden class.
    const type = types[i] as string;
    const lastRotated = Number.isNaN(base) ? null : formatIsoDay(base);
    const intervalDays = Number.isNaN(interval) ? null : interval;
    const daysUntilDue = due - today;
    const status = STATUS_OF_CODE[code & 3] as RotationStatus;
    const owner = item.owner ?? item.team ?? null;
    const method = strategy.id;
    const name = item.name ?? id;
    const store = item.store ?? null;
    const environment = item.environment ?? null;
    const team = teams[i] as string;
    const criticality = item.criticality ?? null;
    const dueReason = REASON_OF_CODE[code >> 2] as DueReason;
    const expiresText = Number.isNaN(expiresAt) ? null : formatIsoDay(expiresAt);
    const downtimeRisk = strategy.downtimeRisk;
    const dependsOn = item.depends_on ?? NO_DEP_IDS;
    const violations = violationLists[i] ?? NO_VIOLATIONS;
    const dueText = formatIsoDay(due);
    const scheduleIssue: ScheduleIssue | undefined = late
      ? { code: 'overdue', message: (unlimited as (due: EpochDay) => string)(due) }
      : issues[i];
    const scheduled = Number.isNaN(day) ? undefined : formatIsoDay(day);
    counter.add(status, type, owner, violations, scheduled, dueText, scheduleIssue);
    if (scheduled === undefined) {
      sorted[k] =
        scheduleIssue === undefined
          ? {
              id,
              type,
              lastRotated,
              intervalDays,
              due: dueText,
              daysUntilDue,
              status,
              owner,
              method,
              name,
              store,
              environment,
              team,
              criticality,
              dueReason,
              expiresAt: expiresText,
              downtimeRisk,
              dependsOn,
              violations,
            }
          : {
              id,
              type,
              lastRotated,
              intervalDays,
              due: dueText,
              daysUntilDue,
              status,
              owner,
              method,
              name,
              store,
              environment,
              team,
              criticality,
              dueReason,
              expiresAt: expiresText,
              downtimeRisk,
              dependsOn,
              violations,
              scheduleIssue,
            };
    } else {
      sorted[k] =
        scheduleIssue === undefined
          ? {
              id,
              type,
              lastRotated,
              intervalDays,
              due: dueText,
              daysUntilDue,
              status,
              owner,
              method,
              name,
              store,
              environment,
              team,
              criticality,
              dueReason,
              expiresAt: expiresText,
              downtimeRisk,
              dependsOn,
              violations,
              scheduled,
            }
          : {
              id,
              type,
              lastRotated,
              intervalDays,
              due: dueText,
              daysUntilDue,
              status,
              owner,
              method,
              name,
              store,
              environment,
              team,
              criticality,
              dueReason,
              expiresAt: expiresText,
              downtimeRisk,
              dependsOn,
              violations,
              scheduled,
              scheduleIssue,
            };
    }
  }
  return sorted;
}

/** Whether a policy's `teams` gives any team a finite capacity. */
function anyTeamCapacity(teams: NonNullable<RotationPolicy['teams']>): boolean {
  for (const key of Object.keys(teams)) {
    const cap = teams[key]?.capacity;
    if (cap !== undefined && cap !== Infinity) return true;
  }
  return false;
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
  const counter = new SummaryCounter();
  for (const item of items)
    counter.add(item.status, item.type, item.owner, item.violations, item.scheduled, item.due, item.scheduleIssue);
  return counter.summary(items.length);
}

/** A count map as a plain record, keys assigned in the map's order (what counting into the record gives). */
function record(counts: ReadonlyMap<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, c] of counts) out[k] = c;
  return out;
}

/** The counting behind {@link summarizePlanItems}, fed field by field (planRotations counts as it builds items). */
class SummaryCounter {
  private readonly byStatus: Record<RotationStatus, number> = { overdue: 0, 'due-soon': 0, ok: 0, 'never-rotated': 0 };
  // Counted in maps (fast for 100k items with arbitrary names), returned as plain records in first-seen order.
  private readonly types = new Map<string, number>();
  private readonly owners = new Map<string, number>();
  private readonly profiles = new Map<string, number>();
  private readonly issues = new Map<string, number>();
  private violations = 0;
  private itemsWithViolations = 0;
  private late = 0;
  private unscheduled = 0;

  add(
    status: RotationStatus,
    type: string,
    owner: string | null,
    violations: readonly ComplianceViolation[] | undefined,
    scheduled: string | undefined,
    due: string,
    issue: ScheduleIssue | undefined,
  ): void {
    this.byStatus[status]++;
    this.types.set(type, (this.types.get(type) ?? 0) + 1);
    const ownerKey = owner ?? 'unassigned';
    this.owners.set(ownerKey, (this.owners.get(ownerKey) ?? 0) + 1);
    if (violations !== undefined && violations.length > 0) {
      this.itemsWithViolations++;
      this.violations += violations.length;
      for (const x of violations) this.profiles.set(x.profile, (this.profiles.get(x.profile) ?? 0) + 1);
    }
    if (scheduled === undefined) this.unscheduled++;
    else if (scheduled > due) this.late++;
    if (issue) this.issues.set(issue.code, (this.issues.get(issue.code) ?? 0) + 1);
  }

  summary(total: number): RotationPlanSummary {
    const { byStatus, late, unscheduled } = this;
    const byType = record(this.types);
    const byOwner = record(this.owners);
    return {
      total,
      overdue: byStatus.overdue,
      dueSoon: byStatus['due-soon'],
      neverRotated: byStatus['never-rotated'],
      ok: byStatus.ok,
      byStatus,
      byType,
      byOwner,
      violations: this.violations,
      itemsWithViolations: this.itemsWithViolations,
      byProfile: record(this.profiles),
      scheduling: { onTime: total - late - unscheduled, late, unscheduled, byIssue: record(this.issues) },
    };
  }
}
