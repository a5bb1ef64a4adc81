import { z } from 'zod';

/** Leak severity, P0 (critical) to P3 (low). */
export const IncidentSeverity = z.enum(['P0', 'P1', 'P2', 'P3']);
export type IncidentSeverity = z.infer<typeof IncidentSeverity>;

/** What was seen: the escalation matrix's signals. */
export const IncidentSignal = z.enum([
  'internal-log',
  'public-repo',
  'public-repo-used',
  'vault-node-compromised',
  'kms-key-compromised',
  'audit-log-gap',
  'failed-auth-unknown-source',
  'beyond-scope',
  'non-production',
  'expired-or-limited',
]);
export type IncidentSignal = z.infer<typeof IncidentSignal>;

/** The kind of credential that leaked (decides the revoke commands). */
export const CredentialKind = z.enum([
  'database',
  'vault-token',
  'aws-access-key',
  'aws-secret',
  'gcp-service-account-key',
  'gcp-secret',
  'azure-secret',
  'tls-certificate',
  'api-key',
  'ssh-key',
  'encryption-key',
]);
export type CredentialKind = z.infer<typeof CredentialKind>;

/**
 * One step of a leak-response playbook.
 *
 * @example
 * ```ts
 * PlaybookStep.parse({ phase: 'contain', id: 'revoke', title: 'Revoke', due: '2026-03-01T10:15:00.000Z', actions: [], commands: [] });
 * ```
 */
export const PlaybookStep = z.object({
  phase: z.enum(['contain', 'assess', 'recover', 'post-mortem']),
  id: z.string(),
  title: z.string(),
  /** Deadline (ISO instant) from the detection time and the severity's response window. */
  due: z.string(),
  actions: z.array(z.string()),
  /** Commands to run, with `<placeholders>` for what svm cannot know. Never secret values. */
  commands: z.array(z.string()),
});
export type PlaybookStep = z.infer<typeof PlaybookStep>;

/**
 * A whole incident plan: classification, deadlines, steps, who to notify.
 *
 * @example
 * ```ts
 * IncidentPlan.shape.severity.parse('P1');
 * ```
 */
export const IncidentPlan = z.object({
  severity: IncidentSeverity,
  reason: z.string(),
  responseWithinMinutes: z.number().int().positive(),
  detectedAt: z.string(),
  respondBy: z.string(),
  credential: CredentialKind,
  secret: z.string().nullable(),
  seal: z.object({ recommended: z.boolean(), reason: z.string() }),
  notify: z.array(z.string()),
  steps: z.array(PlaybookStep),
});
export type IncidentPlan = z.infer<typeof IncidentPlan>;
