import { Temporal } from 'temporal-polyfill';
import { provideTemporal } from './internal/lazy.js';

// The main entry has the Temporal polyfill from the start: it is ESM-only, so synchronous code could `require`
// it only from Node 20.19 on. The light `./plan` entry imports it when an input needs it (see planInventoryFile).
provideTemporal(Temporal);

// Inventory
export { loadInventory, inventoryFormatOf } from './inventory/load-inventory.js';
export type { InventoryFormat, LoadInventoryOptions, LoadedInventory } from './inventory/load-inventory.js';
export { parseInventoryCsv } from './inventory/csv.js';
export type { CsvInventoryRows } from './inventory/csv.js';

// Policy file
export {
  Blackout,
  MaintenanceWindow,
  RotationPolicy,
  TypePolicy,
  Weekday,
  loadRotationPolicy,
} from './policy/rotation-policy.js';

// Strategies
export {
  DEFAULT_TYPE_RULES,
  STRATEGIES,
  UNKNOWN_TYPE_RULE,
  canonicalType,
  strategyById,
} from './strategies/strategies.js';
export type { RotationStrategy, StrategyId, TypeRule } from './strategies/strategies.js';

// Compliance
export {
  CABF_VALIDITY_SCHEDULE,
  COMPLIANCE_PROFILES,
  NIST_CRYPTOPERIOD_DAYS,
  cabfMaxValidityDays,
  profileIdOf,
} from './compliance/profiles.js';
export type { ComplianceProfile, ComplianceSubject } from './compliance/profiles.js';

// Planning
export { planRotations, summarizePlanItems } from './plan/plan.js';
export { planForOwner, planSettings, planTableStyle } from './plan/settings.js';
export type { PlanRequest } from './plan/settings.js';
export type { PlanOptions, RotationPlanDocument, RotationPlanSettings, RotationPlanSummary } from './plan/plan.js';

// Scheduling
export { scheduleRotations } from './schedule/schedule.js';
export type { ScheduleJob, ScheduleOptions, ScheduledJob } from './schedule/schedule.js';
export { WorkCalendar } from './schedule/calendar.js';
export type { BlackoutWindow, MaintenanceSlot } from './schedule/calendar.js';
export { topologicalOrder } from './schedule/dependencies.js';
export type { TopologicalResult } from './schedule/dependencies.js';

// Time
export { resolveTimeZone, todayIn } from './time/zone.js';

// Rendering
export { PLAN_FORMATS, renderPlan } from './render/render-plan.js';
export type { PlanFormat, RenderPlanOptions } from './render/render-plan.js';
export { renderPlanBrief } from './render/brief.js';
export { renderPlanTable } from './render/table.js';
export type { TableStyle } from './render/table.js';
export { renderPlanJson, renderPlanJsonChunks } from './render/json.js';
export { renderPlanMarkdown } from './render/markdown.js';
export { PLAN_CSV_COLUMNS, renderPlanCsv } from './render/csv.js';
export { renderPlanIcs } from './render/ics.js';
export type { IcsOptions } from './render/ics.js';

// Executor: journaled, resumable rotations against real stores and targets
export { errorFacts, itemIdOf, openRunOf, rotate, secretNameOf } from './executor/rotate.js';
export type {
  ExecutorStep,
  ExecutorStrategy,
  GateResult,
  JournalLease,
  RotateOptions,
  RotationJournal,
  RotationTargets,
  StepContext,
} from './executor/types.js';
export { executorStrategyIds, registerExecutorStrategy, strategyForItem } from './executor/select-strategy.js';
export { dualAccountStrategy } from './executor/strategies/dual-account.js';
export { newVersionStrategy } from './executor/strategies/new-version.js';
export { overlapWindowStrategy } from './executor/strategies/overlap-window.js';
export { transitStrategy } from './executor/strategies/transit.js';
export { pkiStrategy } from './executor/strategies/pki.js';
export { staticRoleStrategy } from './executor/strategies/static-role.js';
export { callHook } from './executor/targets/hook.js';
export type { HookInput, HookOutput } from './executor/targets/hook.js';
export { openFileJournal } from './executor/journal/file-journal.js';
export type { FileJournalOptions } from './executor/journal/file-journal.js';
export { openPgJournal } from './executor/journal/pg-journal.js';
export type { PgJournalOptions } from './executor/journal/pg-journal.js';
export { defaultJournalPath, openJournal } from './executor/journal/open-journal.js';
export { scramVerifier } from './executor/targets/postgres.js';
export { updateInventoryLastRotated } from './executor/update-inventory.js';
export { dryRunSteps } from './executor/rotate.js';
export { leakStrategyFor, rotateLeaked } from './executor/leaked.js';
export type { RotateLeakedOptions, RotateLeakedResult } from './executor/leaked.js';
export { renderRunsText, runExitCode, runInventory, summarizeRuns } from './executor/run-inventory.js';
export { planInventoryFile, runInventoryFile, validateInventory } from './inventory-file.js';
export type { PlanFlags, ReadUserFile, RunFlags, RunInventoryFileOptions } from './inventory-file.js';
export type { RotationRunDocument, RunInventoryOptions } from './executor/run-inventory.js';
