import { z } from 'zod';
import { Severity } from './common.js';
import { Finding } from './finding.js';

/**
 * The outcome of one `svm vault doctor` check: `passed` (everything it looks at was read and is fine),
 * `failed` (at least one finding), `not-checked` (an endpoint it needs was refused, usually 403, or is
 * missing; never counted as passed) or `not-applicable` (nothing to check, e.g. Raft endpoints on another
 * storage backend).
 *
 * @example
 * ```ts
 * DoctorCheckStatus.parse('not-checked');
 * ```
 */
export const DoctorCheckStatus = z.enum(['passed', 'failed', 'not-checked', 'not-applicable']);
export type DoctorCheckStatus = z.infer<typeof DoctorCheckStatus>;

/**
 * One check of `svm vault doctor`: its stable id, what it looks at, its status, how many findings it
 * produced, and — when something could not be read — the endpoints and why (`unchecked`).
 *
 * @example
 * ```ts
 * DoctorCheck.parse({ id: 'audit-devices', title: 'Audit devices', status: 'passed', findings: 0, endpoints: ['GET sys/audit'], unchecked: [] });
 * ```
 */
export const DoctorCheck = z.object({
  id: z.string().min(1),
  title: z.string(),
  status: DoctorCheckStatus,
  findings: z.number().int().nonnegative(),
  /** The API calls the check makes (`GET sys/audit`, `LIST auth/token/accessors`). */
  endpoints: z.array(z.string()),
  /** What could not be read and why (`GET sys/audit: permission denied (403)`). Empty when all was read. */
  unchecked: z.array(z.string()),
  /** Facts the check read that explain a pass (`2 audit devices: file-a/, file-b/`). Never secrets. */
  notes: z.array(z.string()).optional(),
});
export type DoctorCheck = z.infer<typeof DoctorCheck>;

/**
 * The result of `svm vault doctor` (the `--json` document): the server, every check with its status,
 * and the findings in the linter's finding schema (rule id, severity, message, fix, location as `file`).
 *
 * @example
 * ```ts
 * const report = DoctorReport.parse(JSON.parse(stdout));
 * report.checks.filter((c) => c.status === 'not-checked').map((c) => c.id);
 * ```
 */
export const DoctorReport = z.object({
  address: z.string().optional(),
  server: z.object({
    version: z.string().optional(),
    flavor: z.enum(['vault', 'openbao']).optional(),
    sealType: z.string().optional(),
    storageType: z.string().optional(),
  }),
  checks: z.array(DoctorCheck),
  findings: z.array(Finding),
  summary: z.object({
    passed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    notChecked: z.number().int().nonnegative(),
    notApplicable: z.number().int().nonnegative(),
    findings: z.record(Severity, z.number().int().nonnegative()),
  }),
});
export type DoctorReport = z.infer<typeof DoctorReport>;
