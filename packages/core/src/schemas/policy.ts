import { z } from 'zod';

/** Capabilities Vault and OpenBao know (the union of both flavors). */
export const CAPABILITIES = ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'root', 'subscribe', 'recover', 'scan'] as const;
export const Capability = z.enum(CAPABILITIES);
export type Capability = z.infer<typeof Capability>;

/** Where a rule sits in its source file. */
export const SourcePosition = z.object({ line: z.number().int().positive(), column: z.number().int().positive() });
export type SourcePosition = z.infer<typeof SourcePosition>;

/**
 * One `path "…" { … }` block of a Vault policy.
 *
 * @example
 * ```ts
 * PolicyRule.parse({ path: 'secret/data/*', capabilities: ['read'] });
 * ```
 */
export const PolicyRule = z.object({
  path: z.string(),
  capabilities: z.array(Capability),
  /** Legacy `policy = "read|write|sudo|deny"` when the block used it. */
  legacyPolicy: z.enum(['read', 'write', 'sudo', 'deny']).optional(),
  requiredParameters: z.array(z.string()).optional(),
  allowedParameters: z.record(z.string(), z.array(z.unknown())).optional(),
  deniedParameters: z.record(z.string(), z.array(z.unknown())).optional(),
  /** Seconds. */
  minWrappingTtl: z.number().nonnegative().optional(),
  /** Seconds. */
  maxWrappingTtl: z.number().nonnegative().optional(),
  mfaMethods: z.array(z.string()).optional(),
  controlGroup: z.unknown().optional(),
  subscribeEventTypes: z.array(z.string()).optional(),
  position: SourcePosition.optional(),
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
