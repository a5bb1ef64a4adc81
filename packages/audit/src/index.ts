// The streaming analyzer
export { AuditAnalyzer, analyzeEvents } from './analyzer.js';
export type { AccessorInfo, AnalysisResult, AuditAnalyzerOptions, BaselineSnapshot, InputError } from './analyzer.js';
export {
  DEFAULT_ANALYZER_OPTIONS,
  DEFAULT_HUMAN_AUTH_METHODS,
  DEFAULT_MACHINE_AUTH_METHODS,
  resolveOptions,
} from './options.js';
export type { AnalyzerOptions, ResolvedOptions } from './options.js';
export { analysisExitCode, analyzeSettings, renderAnalysisAs, severityPaint } from './settings.js';
export type { AnalyzeRequest } from './settings.js';

// Finding post-processing: grouping, suppressions, time windows
export { DEFAULT_GROUP_OPTIONS, findingObject, groupFindings } from './findings/group.js';
export type { GroupMember, GroupOptions, ResolvedGroupOptions } from './findings/group.js';
export {
  applySuppressions,
  compileSuppressions,
  expiredSuppressionWarnings,
  loadSuppressions,
} from './findings/suppress.js';
export type {
  CompiledSuppressions,
  SuppressedFinding,
  SuppressionRef,
  SuppressionReport,
  SuppressionStatus,
} from './findings/suppress.js';
export type { AnalysisWindow, TimeBound } from './findings/window.js';

// Files, directories, globs, gzip, stdin
export { analyzeFiles } from './stream/analyze-files.js';
export type { AnalyzeFilesOptions, AnalyzeFilesResult, AnalyzeProgress } from './stream/analyze-files.js';
export { expandInputs } from './stream/inputs.js';
export type { InputFile } from './stream/inputs.js';
export { NewlineChunker } from './stream/newline-chunker.js';
export type { NewlineChunkerOptions } from './stream/newline-chunker.js';
export type { MalformedLine } from './internal/parse-batch.js';

// Object storage (s3://, gs://, azblob://)
export { isObjectUrl, objectUrlOf, parseObjectUrl } from './objstore/url.js';
export type { ObjectUrl } from './objstore/url.js';
export { objectStoreError, openObjectStore } from './objstore/stores.js';
export type { ListOptions, ListPage, ObjectInfo, ObjectStore, OpenObjectStoreOptions } from './objstore/stores.js';
export { listLogObjects } from './objstore/list.js';
export type { ListLogObjectsOptions, ListStats, LogObject } from './objstore/list.js';
export {
  CLOUDTRAIL_DELIVERY_SLACK_MS,
  compareLogKeys,
  dayFolders,
  keyInWindow,
  logKeyRange,
  logStreamOf,
} from './objstore/keys.js';
export type { LogKeyRange } from './objstore/keys.js';
export { CURSOR_LOOKBACK_MS, ObjectCursorTracker, objectInputs } from './objstore/read.js';
export { parseTimeBound } from './objstore/time-bound.js';
export type { ObjectCursorEntry, ObjectReadOptions, ObjectReadStats } from './objstore/read.js';

// Sources
export { detectSource } from './sources/detect.js';
export type { SourceChoice } from './sources/detect.js';
export { kvLogicalPath, normalizeVault, vaultRequestPaths } from './sources/vault.js';
export { normalizeCloudTrail, secretNameFromArn } from './sources/cloudtrail.js';
export { normalizeGcp } from './sources/gcp.js';
export { normalizeAzure } from './sources/azure.js';
export { normalizeSimple } from './sources/simple.js';

// Detectors
export { RULE_IDS } from './detectors/types.js';
export type { AuditFinding, Detector, RuleId } from './detectors/types.js';

// Sigma export (svm audit export-rules)
export {
  SIGMA_NOT_EXPRESSIBLE,
  SIGMA_PIPELINE_FILE,
  SVM_SIGMA_NAMESPACE,
  exportSigmaRules,
  renderSigmaExportText,
  sigmaFieldMappingMarkdown,
  writeSigmaRules,
} from './sigma/export.js';
export type {
  SigmaExport,
  SigmaExportFile,
  SigmaExportOptions,
  SigmaExportedRule,
  SigmaNotExpressible,
} from './sigma/export.js';
export {
  CLOUD_SIGMA_FIELDS,
  SIGMA_LOGSOURCES,
  VAULT_SIGMA_FIELDS,
  parseSigmaSources,
  vaultPipeline,
} from './sigma/fields.js';
export type { SigmaFieldMapping, SigmaSource } from './sigma/fields.js';

// Persistence
export { openStateStore } from './baseline/sqlite-state.js';
export { analyzeWithState } from './analyze-state.js';
export type { AnalyzeWithStateOptions, AnalyzeWithStateResult } from './analyze-state.js';
export type { OpenStateStoreOptions, StateStore } from './baseline/sqlite-state.js';

// Reports
export { accessReport } from './reports/access.js';
export type { AccessReport } from './reports/access.js';
export { DEFAULT_ROTATION_DAYS, rotationReport } from './reports/rotation.js';
export type { RotationComplianceItem, RotationComplianceReport } from './reports/rotation.js';
export { orphanReport } from './reports/orphans.js';
export type { OrphanItem, OrphanReport } from './reports/orphans.js';
export { driftReport } from './reports/drift.js';
export type { DriftReport } from './reports/drift.js';
export {
  REPORT_TYPES,
  complianceReport,
  loadReportInventory,
  renderReportAs,
  reportSettings,
} from './reports/compliance.js';
export type {
  ComplianceReportOptions,
  ReportInventory,
  ReportRequest,
  ReportType,
} from './reports/compliance.js';
export type { Aggregates, IdentityAccess, PolicyChangeSeen, SecretActivity } from './reports/aggregates.js';

// Renderers
export { toAnalysisJson } from './render/json.js';
export type { AnalysisJson, FindingJson } from './render/json.js';
export { renderText } from './render/text.js';
export type { TextRenderOptions } from './render/text.js';
export { renderMarkdown } from './render/markdown.js';
export { renderAnalysisBrief } from './render/brief.js';
export { renderHtml } from './render/html.js';
export { toOcsfEvent, toOcsfFinding } from './render/ocsf.js';
export { renderObjectSummary, renderProgressLine } from './render/progress.js';
export {
  renderAccessReportText,
  renderDriftReportText,
  renderOrphanReportText,
  renderRotationReportText,
} from './render/reports.js';
export { renderIncidentMarkdown, renderIncidentText } from './render/incident.js';
export type { IncidentTextStyle } from './render/incident.js';
export { renderBlastRadiusMarkdown, renderBlastRadiusText } from './render/blast-radius.js';
export {
  formatElapsed,
  renderContainmentText,
  renderPostMortemHtml,
  renderPostMortemMarkdown,
  renderStoreContainmentText,
} from './render/containment.js';
export type { ContainmentTextStyle } from './render/containment.js';

// Incident response (src/incident/, built by the incident-response issue; exported here so `svm incident` can load it)
export { SIGNAL_SEVERITY, classifyIncident, planIncident } from './incident/plan.js';
export type { IncidentInput } from './incident/plan.js';
export { incidentFromFlags } from './incident/from-flags.js';
export type { IncidentFlags } from './incident/from-flags.js';
export {
  BlastRadiusCollector,
  blastRadius,
  blastRadiusFromFlags,
  parseSecretFlag,
  parseWindowTime,
  secretAccessKind,
  secretMatchKeys,
} from './incident/blast-radius.js';
export type { BlastRadiusFlags, BlastRadiusOptions, BlastRadiusQuery } from './incident/blast-radius.js';
export { containConfirmation, containExitCode, containSecret } from './incident/contain.js';
export type { ContainSecretOptions } from './incident/contain.js';
export { CONTAIN_ORDER, containCategory, containStore } from './incident/contain-store.js';
export { checkContainFlags, renderContainRun, runContain } from './incident/contain-command.js';
export type { ContainEnvironment, ContainFlags, ContainRun } from './incident/contain-command.js';
export type { ContainCategory, ContainStoreOptions } from './incident/contain-store.js';
