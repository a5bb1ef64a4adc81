// Engine: parse, compile, evaluate, explain, queries, format
export { DEFAULT_POLICY_HCL, defaultPolicyHcl } from './engine/default-policy.js';
export { FLAVOR_CAPABILITIES, parsePolicy } from './parse/parse-policy.js';
export type { ParsePolicyOptions } from './parse/parse-policy.js';
export { loadPolicies, policyNameFromFile } from './parse/load-policies.js';
export { compilePolicies } from './engine/compile.js';
export type { AclEntry, CompileOptions, CompiledAcl, RuleKind, RuleSource, SkippedRule } from './engine/compile.js';
export type { PolicyIdentity } from './engine/identity.js';
export { capabilities, evaluate, explain } from './engine/evaluate.js';
export type { Candidate, Decision, DecisionReason, EvaluateOptions, EvaluationRequest, Explanation, LookupStep } from './engine/evaluate.js';
export { globbedStringsMatch } from './engine/parameters.js';
export { comparePatternPriority, isSegmentWildcardPattern, patternPriority, priorityLossReason } from './engine/priority.js';
export type { PatternPriority } from './engine/priority.js';
export { whoCan } from './queries/who-can.js';
export type { WhoCanEntry, WhoCanOptions } from './queries/who-can.js';
export { diffPolicies } from './queries/diff.js';
export { formatPolicy, formatRule } from './format/format-policy.js';
