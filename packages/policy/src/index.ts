// Engine: parse, compile, evaluate, explain, queries, format
export { DEFAULT_POLICY_HCL, defaultPolicyHcl } from './engine/default-policy.js';
export { FLAVOR_CAPABILITIES, parsePolicy } from './parse/parse-policy.js';
export type { ParsePolicyOptions } from './parse/parse-policy.js';
export { loadPolicies, policyNameFromFile } from './parse/load-policies.js';
export { POLICY_FILE_PATTERN, findPolicyFiles } from './parse/find-policy-files.js';
export type { FindPolicyFilesOptions } from './parse/find-policy-files.js';
export { compilePolicies } from './engine/compile.js';
export type { AclEntry, CompileOptions, CompiledAcl, RuleKind, RuleSource, SkippedRule } from './engine/compile.js';
export type { PolicyIdentity } from './engine/identity.js';
export { capabilities, evaluate, explain } from './engine/evaluate.js';
export type {
  Candidate,
  Decision,
  DecisionReason,
  EvaluateOptions,
  EvaluationRequest,
  Explanation,
  LookupStep,
} from './engine/evaluate.js';
export { globbedStringsMatch } from './engine/parameters.js';
export {
  comparePatternPriority,
  isSegmentWildcardPattern,
  patternPriority,
  priorityLossReason,
} from './engine/priority.js';
export type { PatternPriority } from './engine/priority.js';
export { whoCan, whoCanRoles } from './queries/who-can.js';
export type { RoleWhoCanEntry, WhoCanEntry, WhoCanOptions } from './queries/who-can.js';
export { samplePath, samplePaths } from './queries/sample-paths.js';
export { evaluateCases, parseEvalCases } from './queries/eval-cases.js';
export { policyTour, policyTourBrief } from './queries/tour.js';
export type { SamplePathOptions } from './queries/sample-paths.js';
export { diffPolicies } from './queries/diff.js';
export {
  diffPolicySets,
  loadPolicySet,
  parseRequestData,
  parseWrapTtl,
  pathsFromList,
  requestFromText,
  requirementPaths,
  toEvalResult,
  whoCanReport,
} from './queries/policy-set.js';
export type { LoadPolicySetOptions, PolicyDiffReport, WhoCanReport } from './queries/policy-set.js';
export {
  changedPermissions,
  diffFromFlags,
  evalFromFlags,
  explainFromFlags,
  whoCanFromFlags,
} from './queries/from-flags.js';
export type {
  EvalFlags,
  EvalOutcome,
  PolicyDiffFlags,
  PolicyQueryIo,
  PolicySetFlags,
  ReadPolicyInput,
  RequestFlags,
  WhoCanFlags,
} from './queries/from-flags.js';
export { fmtFromFlags, formatPolicyFiles } from './format/format-files.js';
export type { FmtOutcome, FormattedPolicyFile } from './format/format-files.js';
export {
  renderDecisionText,
  renderExplanationText,
  renderFormatSummary,
  renderPolicyDiffText,
  renderWhoCanText,
} from './render/engine-text.js';
export { formatPolicy, formatPolicyJson, formatRule } from './format/format-policy.js';
export type { FormatOptions } from './format/format-policy.js';

// Generator and linter
export { generateConfig } from './generate/plan.js';
export { AUTH_DEFAULTS, GITHUB_ACTIONS_ISSUER, roleBody } from './generate/auth-roles.js';
export type { RoleContext } from './generate/auth-roles.js';
export { SEED_SECRET_TYPES, requirementsFromFlags, requirementsFromShortcut } from './generate/from-flags.js';
export type { RequirementsSourceFlags, SeedFlags } from './generate/from-flags.js';
export {
  generateDocument,
  renderGenerateSummary,
  renderGeneratedFiles,
  renderStaleFiles,
  staleGeneratedFiles,
  writeGeneratedFiles,
} from './generate/output.js';
export type { GenerateDocument, StaleFile } from './generate/output.js';
export { verifyGeneratedConfig } from './generate/verify.js';
export type { GeneratedConfigCheck } from './generate/verify.js';
export { generateTour } from './generate/tour.js';
export {
  applyFromFlags,
  generateFromFlags,
  lintFromFlags,
  loadRequirementsFrom,
} from './generate/generate-flags.js';
export type { ApplyFlags, GenerateFlags, GenerateOutcome, LintFlags } from './generate/generate-flags.js';
export type { GenerateTourOptions } from './generate/tour.js';
export { configRequests } from './generate/requests.js';
export { engineRequests } from './generate/engines.js';
export type { EngineObjectKind, EngineRequest } from './generate/engines.js';
export type { ApiRequest } from './generate/requests.js';
export { GENERATE_TARGETS, parseTargets, renderTargets } from './generate/targets.js';
export type { GenerateTarget, GeneratedFile } from './generate/targets.js';
export { renderPolicyHcl } from './generate/render/hcl.js';
export { renderCliScript } from './generate/render/cli-script.js';
export { renderTerraform } from './generate/render/terraform.js';
export { renderApiJson } from './generate/render/api-json.js';
export { renderAgentAnnotations, renderExternalSecrets } from './generate/render/kubernetes.js';
export { renderGithubActions } from './generate/render/github-actions.js';
export { CAPABILITY_ORDER } from './generate/types.js';
export type {
  AuthMethodName,
  DynamicBinding,
  GeneratedConfig,
  GeneratedPolicy,
  GeneratedRole,
  GeneratedRule,
  GrantProbe,
  KvBinding,
} from './generate/types.js';
export {
  lintAuthRoles,
  lintFiles,
  lintGeneratedConfig,
  lintPolicies,
  lintSources,
  policyNameOf,
  sortFindings,
} from './lint/lint.js';
export { isTerraformFile, readTerraform } from './lint/terraform.js';
export type { TerraformExtract } from './lint/terraform.js';
export type { LintOptions, LintReport, LintSource } from './lint/lint.js';
export { LINT_CATEGORIES, LINT_RULE_IDS, LINT_RULES, lintRule } from './lint/rules.js';
export type { LintCategory, LintRule, LintRuleId } from './lint/rules.js';
export { ACCESS_LEVELS, checkPolicy } from './lint/policy-checks.js';
export type { PolicyLintOptions } from './lint/policy-checks.js';
export { checkAuthRole, inferAuthMethod } from './lint/role-checks.js';
export type { AuthRoleInput } from './lint/role-checks.js';
export { findShadowedRules } from './lint/shadowed.js';
export { findBlockedGrants } from './lint/blocked.js';
export { findLintSources, lintExitCode, lintFindingJson, renderLintText } from './lint/sources.js';
export { toSarif } from './lint/sarif.js';
export type { SarifOptions } from './lint/sarif.js';
export { applyPlan, planApply } from './apply/apply.js';
export type { ApplyOptions, ApplyPlan, ApplyResult } from './apply/apply.js';
export { applyDocument, renderApplyText, vaultConnection } from './apply/report.js';
export type { ApplyDocument } from './apply/report.js';
export { createVaultClient } from './apply/client.js';
export type { VaultApi, VaultClientOptions, VaultHttp } from './apply/client.js';

// Live-server checks
export { vaultDoctor } from './doctor/doctor.js';
export { doctorFromFlags } from './doctor/from-flags.js';
export type { DoctorFlags } from './doctor/from-flags.js';
export type { VaultDoctorOptions } from './doctor/doctor.js';
export { DOCTOR_CHECKS, DOCTOR_RULES, DOCTOR_RULE_IDS, doctorRule } from './doctor/rules.js';
export type { DoctorCheckId, DoctorRule, DoctorRuleId } from './doctor/rules.js';
export { doctorSarif, renderDoctorText } from './doctor/render.js';
export { DOCTOR_POLICY_HCL } from './doctor/policy.js';
export { diffItem, lineDiff, sameValue } from './apply/diff.js';
export type { ApplyAction, ApplyItem, FieldChange } from './apply/diff.js';
