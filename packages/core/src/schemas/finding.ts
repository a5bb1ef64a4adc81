import { z } from 'zod';
import { Severity } from './common.js';

/**
 * A finding from any svm engine: a stable rule id, a severity and a message, plus where it was seen.
 * The linter fills `category`/`file`/`line`/`fix`; the audit analyzer fills `time`/`identity`/`sourceIp`/`path`/`count`
 * (and `secret`/`lastTime`/`accessor` where they apply).
 *
 * @example
 * ```ts
 * Finding.parse({ rule: 'failed-auth', severity: 'high', message: '6 failed logins in 15m' });
 * ```
 */
export const Finding = z.object({
  rule: z.string().min(1),
  severity: Severity,
  message: z.string(),
  category: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  fix: z.string().optional(),
  time: z.string().optional(),
  identity: z.string().nullable().optional(),
  sourceIp: z.string().nullable().optional(),
  /** The path exactly as the source logged it (`secret/data/prod/db`). */
  path: z.string().nullable().optional(),
  /** The logical secret the path names (`secret/prod/db`, KV v2 `data/`/`metadata/` folded), when it names one. */
  secret: z.string().optional(),
  /** Time of the last event a grouped finding covers (`time` is its first). */
  lastTime: z.string().optional(),
  /** Opaque (HMAC'd, as logged) token accessor, when the identity alone is ambiguous (`token`, `root`). */
  accessor: z.string().optional(),
  count: z.number().int().nonnegative().optional(),
  /** Extra facts that explain the finding. Never secret values. */
  evidence: z.record(z.string(), z.unknown()).optional(),
});
export type Finding = z.infer<typeof Finding>;
