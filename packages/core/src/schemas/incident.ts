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

/**
 * How an access touched a leaked secret: `read` its value (KV `data/`, GetSecretValue, AccessSecretVersion,
 * SecretGet), `metadata` (KV `metadata/`, DescribeSecret, GetSecret), or `list` (its versions or keys).
 *
 * @example
 * ```ts
 * SecretAccessKind.parse('read');
 * ```
 */
export const SecretAccessKind = z.enum(['read', 'metadata', 'list']);
export type SecretAccessKind = z.infer<typeof SecretAccessKind>;

const Counts = z.object({ read: z.number().int(), metadata: z.number().int(), list: z.number().int() });

/**
 * One token (Vault accessor, AWS access key id, …) that touched the leaked secret in the window: who, from where,
 * when, how often, and what else it read afterwards. `accessor` is exactly as logged (HMAC'd unless the audit
 * device sets `hmac_accessor=false`); `hashed` says which.
 *
 * @example
 * ```ts
 * BlastRadiusToken.shape.hashed.parse(true);
 * ```
 */
export const BlastRadiusToken = z.object({
  accessor: z.string(),
  hashed: z.boolean(),
  identity: z.string(),
  authMethod: z.string().nullable(),
  source: z.string(),
  first: z.string(),
  last: z.string(),
  count: z.number().int(),
  kinds: Counts,
  sourceIps: z.array(z.string()),
  /** Lease ids the audit log shows were issued to this token (dynamic credentials), for revocation. */
  leases: z.array(z.string()),
  /** What else this token read or listed after its first access to the leaked secret, most first. */
  afterwards: z.array(z.object({ target: z.string(), count: z.number().int() })),
});
export type BlastRadiusToken = z.infer<typeof BlastRadiusToken>;

/**
 * Who touched a leaked secret in the exposure window, from audit logs: every identity, token, source address
 * and access, sorted, with counts. The result of `svm incident blast-radius` (its `--json` document).
 *
 * @example
 * ```ts
 * BlastRadius.shape.window.parse({ since: '2026-03-01T10:00:00.000Z', until: null });
 * ```
 */
export const BlastRadius = z.object({
  secret: z.object({ store: z.string(), name: z.string(), matches: z.array(z.string()) }),
  window: z.object({ since: z.string(), until: z.string().nullable() }),
  files: z.array(z.string()),
  /** Events read from the logs (after request/response pairing). */
  events: z.number().int(),
  /** Events that touched the secret in the window. */
  accesses: z.number().int(),
  /** Accesses of the secret outside the window (0 with `accesses` 0: the logs never mention it). */
  outsideWindow: z.number().int(),
  /** Accesses of the secret whose accessor was HMAC'd in the log. */
  hashedAccessors: z.number().int(),
  identities: z.array(
    z.object({
      identity: z.string(),
      authMethod: z.string().nullable(),
      count: z.number().int(),
      kinds: Counts,
      first: z.string(),
      last: z.string(),
      tokens: z.number().int(),
      sourceIps: z.array(z.string()),
    }),
  ),
  tokens: z.array(BlastRadiusToken),
  addresses: z.array(z.object({ address: z.string(), count: z.number().int(), identities: z.array(z.string()) })),
  /** Every access in time order (at most 10,000; `timelineTruncated` says when more were left out). */
  timeline: z.array(
    z.object({
      time: z.string(),
      identity: z.string(),
      accessor: z.string().nullable(),
      sourceIp: z.string().nullable(),
      kind: SecretAccessKind,
      operation: z.string(),
      path: z.string(),
    }),
  ),
  timelineTruncated: z.boolean(),
  /** Denied attempts on the secret in the window (probing), by identity. */
  denied: z.array(z.object({ identity: z.string(), count: z.number().int(), last: z.string() })),
});
export type BlastRadius = z.infer<typeof BlastRadius>;

/**
 * One action of a containment, as journaled and reported: rotate at the source, revoke a token or its leases,
 * write the report. `status` follows the rotation executor's steps (`planned` = not reached or dry run).
 *
 * @example
 * ```ts
 * ContainmentAction.parse({ id: 'rotate', title: 'Rotate', status: 'done' });
 * ```
 */
export const ContainmentAction = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['planned', 'done', 'skipped', 'failed', 'rolled-back']),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** What the action found or did: `revoked`, `already-gone`, version ids, counts. Never a secret. */
  facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type ContainmentAction = z.infer<typeof ContainmentAction>;

/**
 * A containment of a leaked secret (`svm incident contain`): the plan (dry run) or what was done, each action with
 * its time and result, what is left to do by hand, and how long containment took.
 *
 * @example
 * ```ts
 * Containment.shape.outcome.parse('contained');
 * ```
 */
export const Containment = z.object({
  incidentId: z.string(),
  secret: z.object({ store: z.string(), name: z.string() }),
  severity: IncidentSeverity.nullable(),
  dryRun: z.boolean(),
  /**
   * `planned` (dry run), `contained` (rotated and every reader revoked), `incomplete` (something was not done:
   * see `notDone`), `interrupted` (a server was unreachable: run it again to resume).
   */
  outcome: z.enum(['planned', 'contained', 'incomplete', 'interrupted']),
  startedAt: z.string(),
  /** When the last containment action finished (null until contained). */
  containedAt: z.string().nullable(),
  /** Milliseconds from `startedAt` (the command's start) to `containedAt`. */
  elapsedMs: z.number().nullable(),
  resumed: z.boolean(),
  /** This run found an earlier finished containment of the same leak and only did what was still missing. */
  repeat: z.boolean(),
  strategy: z.string(),
  actions: z.array(ContainmentAction),
  /** Tokens to revoke, as logged, with how each was resolved and what happened. */
  tokens: z.array(
    z.object({
      accessor: z.string(),
      identity: z.string(),
      resolution: z.enum(['clear', 'audit-hash', 'unresolved', 'pending']),
      /** `own-token`: the token svm acts with read it (never revoked by svm itself). */
      result: z.enum(['planned', 'revoked', 'already-gone', 'own-token', 'failed', 'not-reached']),
    }),
  ),
  notDone: z.array(z.string()),
  manual: z.array(z.string()),
  journal: z.string().nullable(),
  reports: z.object({ markdown: z.string(), html: z.string() }).nullable(),
  blastRadius: BlastRadius,
});
export type Containment = z.infer<typeof Containment>;

/**
 * A store-wide containment (`svm incident contain --store <uri> --all`): every secret rotated in the guidance's
 * order (infrastructure → services → integrations → humans), resumable from its journal.
 *
 * @example
 * ```ts
 * StoreContainment.shape.outcome.parse('planned');
 * ```
 */
export const StoreContainment = z.object({
  store: z.string(),
  dryRun: z.boolean(),
  outcome: z.enum(['planned', 'contained', 'incomplete', 'interrupted']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  elapsedMs: z.number().nullable(),
  resumed: z.boolean(),
  items: z.array(
    z.object({
      name: z.string(),
      category: z.enum(['infrastructure', 'services', 'integrations', 'humans']),
      strategy: z.string(),
      status: z.enum(['planned', 'done', 'skipped', 'failed', 'rolled-back']),
      outcome: z.string().nullable(),
      message: z.string().nullable(),
    }),
  ),
  journal: z.string().nullable(),
});
export type StoreContainment = z.infer<typeof StoreContainment>;
