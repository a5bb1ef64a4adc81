// Errors
export {
  ERROR_CODES,
  SvmError,
  errorCodeForHttpStatus,
  exitCodeFor,
  fileError,
  formatLocated,
  isSvmError,
  isUserError,
  renderError,
} from './errors.js';
export type { ErrorCode, ErrorKind, ErrorLocation, RenderedError, SvmErrorOptions } from './errors.js';

// Durations and time
export {
  MAX_INTERVAL_DAYS,
  formatDurationSeconds,
  parseDays,
  parseDurationMs,
  parseDurationSeconds,
} from './duration.js';
export { dayFlag, fixedClock, systemClock } from './clock.js';
export type { Clock } from './clock.js';

// Loading input files
export {
  detectFormat,
  formatFieldPath,
  issuesToError,
  loadDocument,
  parseDocumentText,
  validateDocument,
} from './load.js';
export type { DocumentFormat, InputIssue, ParseDocumentOptions } from './load.js';

// Output helpers
export {
  fullStyle,
  renderTable,
  renderWrappedList,
  shouldUseColor,
  toJsonDocument,
  visibleWidth,
} from './output.js';
export type { ColorContext, Paint, TextStyle } from './output.js';

// Schemas: common
export {
  DurationInput,
  IsoDate,
  IsoDateTime,
  SEVERITIES,
  Severity,
  compareSeverity,
  severityAtLeast,
} from './schemas/common.js';

// Schemas: findings and their suppressions
export { Finding } from './schemas/finding.js';
export { DoctorCheck, DoctorCheckStatus, DoctorReport } from './schemas/doctor.js';
export { Suppression, Suppressions } from './schemas/suppressions.js';

// Schemas: store references
export {
  STORE_SCHEMES,
  StoreKind,
  StoreRef,
  StoreUri,
  formatStoreUri,
  parseStoreUri,
  redactStoreUri,
} from './schemas/store-ref.js';

// Schemas: secrets (metadata and versions, never values)
export {
  SECRET_STAGES,
  SecretMetadata,
  SecretRotation,
  SecretStage,
  SecretVersion,
  SecretVersionState,
} from './schemas/secret.js';

// Schemas: rotation inventory and plan
export {
  Criticality,
  DateLike,
  DaysInput,
  Inventory,
  InventoryItem,
  KeyPurpose,
  SECRET_TYPES,
  SecretType,
  inventoryItems,
} from './schemas/inventory.js';
export {
  ComplianceViolation,
  DowntimeRisk,
  DueReason,
  RotationPlan,
  RotationPlanItem,
  RotationPlanSettings,
  RotationPlanSummary,
  RotationStatus,
  ScheduleIssue,
} from './schemas/rotation-plan.js';

// Schemas: rotation runs and their journal (version ids, never values)
export {
  JournalEntry,
  RotationOutcome,
  RotationRun,
  RotationStep,
  RotationStepStatus,
  StepFacts,
} from './schemas/rotation-run.js';

// Schemas: audit events
export { AuditEvent, AuditOutcome, AuditSource, IdentityKind } from './schemas/audit-event.js';

// Schemas: application requirements
export { AppRequirement, AuthRequirement, Requirements, SecretRequirement } from './schemas/requirements.js';
export {
  DatabaseEngineRequirement,
  DatabaseRoleRequirement,
  DatabaseStaticRoleRequirement,
  EngineRequirements,
  PkiEngineRequirement,
  PkiRoleRequirement,
  SecretReference,
  SshEngineRequirement,
  SshRoleRequirement,
  TransitEngineRequirement,
  TransitKeyRequirement,
} from './schemas/engines.js';

// Schemas: Vault policies
export {
  CAPABILITIES,
  Capability,
  DecidedBy,
  OPERATIONS,
  Operation,
  Policy,
  PolicyDiffEntry,
  PolicyEvalCase,
  PolicyEvalResult,
  PolicyFlavor,
  PolicyRule,
  SourcePosition,
} from './schemas/policy.js';

// Schemas: incident response
export {
  BlastRadius,
  BlastRadiusToken,
  Containment,
  ContainmentAction,
  CredentialKind,
  IncidentPlan,
  IncidentSeverity,
  IncidentSignal,
  PlaybookStep,
  SecretAccessKind,
  StoreContainment,
} from './schemas/incident.js';
