import { z } from 'zod';

/** Capabilities Vault and OpenBao know (the union of both flavors), plus `root` which only the capabilities API returns. */
export const CAPABILITIES = [
  'create',
  'read',
  'update',
  'patch',
  'delete',
  'list',
  'sudo',
  'deny',
  'root',
  'subscribe',
  'recover',
  'scan',
] as const;

/**
 * One capability name.
 *
 * @example
 * ```ts
 * Capability.parse('read'); // 'read'
 * ```
 */
export const Capability = z.enum(CAPABILITIES);
export type Capability = z.infer<typeof Capability>;

/**
 * Which server's rules apply where Vault and OpenBao differ.
 *
 * @example
 * ```ts
 * PolicyFlavor.parse('openbao');
 * ```
 */
export const PolicyFlavor = z.enum(['vault', 'openbao']);
export type PolicyFlavor = z.infer<typeof PolicyFlavor>;

/** Request operations (Vault's `logical.Operation` names; `scan` is OpenBao's, `recover` Vault's). */
export const OPERATIONS = [
  'create',
  'read',
  'update',
  'patch',
  'delete',
  'list',
  'help',
  'revoke',
  'renew',
  'rollback',
  'recover',
  'scan',
] as const;

/**
 * One request operation.
 *
 * @example
 * ```ts
 * Operation.parse('list');
 * ```
 */
export const Operation = z.enum(OPERATIONS);
export type Operation = z.infer<typeof Operation>;

/**
 * Where something sits in its source file (1-based line and column).
 *
 * @example
 * ```ts
 * SourcePosition.parse({ line: 3, column: 5 });
 * ```
 */
export const SourcePosition = z.object({ line: z.number().int().positive(), column: z.number().int().positive() });
export type SourcePosition = z.infer<typeof SourcePosition>;

/**
 * One `path "…" { … }` block of a Vault policy, as written (the engine derives the effective
 * permissions: legacy `policy` expansion, deny-only, lower-cased parameter names).
 *
 * @example
 * ```ts
 * PolicyRule.parse({ path: 'secret/data/*', capabilities: ['read'] });
 * ```
 */
export const PolicyRule = z.object({
  /** The pattern as written, with a leading `/` removed (Vault strips it). */
  path: z.string(),
  /** Capabilities as listed in the block (in order, duplicates kept). */
  capabilities: z.array(Capability),
  /** Legacy `policy = "read|write|sudo|deny"` when the block used it. */
  legacyPolicy: z.enum(['read', 'write', 'sudo', 'deny']).optional(),
  comment: z.string().optional(),
  requiredParameters: z.array(z.string()).optional(),
  /** Parameter name (as written) → allowed values; `[]` means any value. */
  allowedParameters: z.record(z.string(), z.array(z.unknown())).optional(),
  /** Parameter name (as written) → denied values; `[]` means any value. */
  deniedParameters: z.record(z.string(), z.array(z.unknown())).optional(),
  /** Seconds. */
  minWrappingTtl: z.number().nonnegative().optional(),
  /** Seconds. */
  maxWrappingTtl: z.number().nonnegative().optional(),
  mfaMethods: z.array(z.string()).optional(),
  controlGroup: z.unknown().optional(),
  /** Vault only. */
  subscribeEventTypes: z.array(z.string()).optional(),
  /** OpenBao only. */
  paginationLimit: z.number().int().optional(),
  /** OpenBao only: RFC 3339 time after which the block is ignored. */
  expiration: z.string().optional(),
  /** OpenBao only. */
  listScanResponseKeysFilterPath: z.string().optional(),
  /** True when the path holds `{{identity.…}}` templates. */
  templated: z.boolean().optional(),
  /** Position of the path label (or of the JSON key). */
  position: SourcePosition.optional(),
  /** Position of each capability string, parallel to `capabilities`. */
  capabilityPositions: z.array(SourcePosition).optional(),
  /** Position of each key inside the block (`capabilities`, `allowed_parameters`, …), by HCL key name. */
  keyPositions: z.record(z.string(), SourcePosition).optional(),
});
export type PolicyRule = z.infer<typeof PolicyRule>;

/**
 * A named policy: its rules in file order.
 *
 * @example
 * ```ts
 * Policy.parse({ name: 'app-read', rules: [] });
 * ```
 */
export const Policy = z.object({
  name: z.string(),
  file: z.string().optional(),
  rules: z.array(PolicyRule),
});
export type Policy = z.infer<typeof Policy>;

/**
 * The rule that decided a request: the policy and the pattern as written, and (when the policy was read
 * from a file) that block's file and position.
 *
 * @example
 * ```ts
 * DecidedBy.parse({ policy: 'app', pattern: 'secret/data/app/*', capabilities: ['read'], file: 'policies/app.hcl', position: { line: 3, column: 6 } });
 * ```
 */
export const DecidedBy = z.object({
  policy: z.string(),
  pattern: z.string(),
  /** The deciding rule's own (merged) capabilities; the result's `capabilities` is what sys/capabilities says for the path. */
  capabilities: z.array(Capability),
  file: z.string().optional(),
  position: SourcePosition.optional(),
});
export type DecidedBy = z.infer<typeof DecidedBy>;

/**
 * One `svm policy eval` result (one line of batch output). This shape is a contract other tools depend on.
 *
 * @example
 * ```ts
 * PolicyEvalResult.parse({ path: 'secret/data/a', op: 'read', allowed: true, sudo: false, capabilities: ['read'], decidedBy: null });
 * ```
 */
export const PolicyEvalResult = z.object({
  path: z.string(),
  op: Operation,
  allowed: z.boolean(),
  sudo: z.boolean(),
  capabilities: z.array(Capability),
  // The published contract: the deciding rule's policy, pattern and own capabilities (not its file).
  decidedBy: DecidedBy.pick({ policy: true, pattern: true, capabilities: true }).nullable(),
});
export type PolicyEvalResult = z.infer<typeof PolicyEvalResult>;

/**
 * One `svm policy eval --batch` input line.
 *
 * @example
 * ```ts
 * PolicyEvalCase.parse({ path: 'secret/data/a', op: 'update', data: { ttl: '1h' } });
 * ```
 */
export const PolicyEvalCase = z.strictObject({
  path: z.string(),
  op: Operation.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  wrapTtl: z.number().nonnegative().optional(),
});
export type PolicyEvalCase = z.infer<typeof PolicyEvalCase>;

/**
 * The effective-permission change on one path between two policy sets.
 *
 * @example
 * ```ts
 * PolicyDiffEntry.parse({ path: 'secret/data/a', before: ['read'], after: ['read', 'update'], added: ['update'], removed: [] });
 * ```
 */
export const PolicyDiffEntry = z.object({
  path: z.string(),
  before: z.array(Capability),
  after: z.array(Capability),
  added: z.array(Capability),
  removed: z.array(Capability),
});
export type PolicyDiffEntry = z.infer<typeof PolicyDiffEntry>;
