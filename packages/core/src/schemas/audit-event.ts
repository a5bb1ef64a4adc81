import { z } from 'zod';

export const AuditSource = z.enum(['vault', 'cloudtrail', 'gcp', 'azure', 'simple']);
export type AuditSource = z.infer<typeof AuditSource>;

/** Human (OIDC, userpass, LDAP, console), machine (AppRole, Kubernetes, JWT, IAM role) or unknown. */
export const IdentityKind = z.enum(['human', 'machine', 'unknown']);
export type IdentityKind = z.infer<typeof IdentityKind>;

export const AuditOutcome = z.enum(['success', 'denied', 'failed-auth', 'error']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

/**
 * One audit event, normalized across Vault/OpenBao, CloudTrail, GCP and Azure. For Vault, a request and
 * its response are paired into one event. HMAC'd values stay opaque strings.
 *
 * @example
 * ```ts
 * AuditEvent.parse({ time: '2026-03-20T14:32:00Z', source: 'vault', identity: 'approle-payment',
 *   identityKind: 'machine', operation: 'read', path: 'secret/data/prod/db', outcome: 'success' });
 * ```
 */
export const AuditEvent = z
  .object({
    /** ISO 8601 instant, UTC. */
    time: z.string(),
    source: AuditSource,
    identity: z.string(),
    identityKind: IdentityKind,
    /** Auth method (approle, kubernetes, oidc, userpass, token, iam, …) when known. */
    authMethod: z.string().optional(),
    sourceIp: z.string().nullable().optional(),
    operation: z.string(),
    /** Raw request path / resource. */
    path: z.string(),
    /** The logical secret (KV v2 `data/`/`metadata/` folded), when the event touches one. */
    secret: z.string().optional(),
    outcome: AuditOutcome,
    statusCode: z.number().int().optional(),
    errorMessage: z.string().optional(),
    /** TTL in seconds of a token created by this event. */
    tokenTtl: z.number().optional(),
    policies: z.array(z.string()).optional(),
    requestId: z.string().optional(),
    /** Opaque (usually HMAC'd) token accessor or access key id, used to link a token to its login. Never a secret. */
    accessor: z.string().optional(),
    /** Policies attached to a token this event issued (login, token create). */
    issuedPolicies: z.array(z.string()).optional(),
    /** Opaque accessor of a token this event issued; later events carry it as `accessor`. */
    issuedAccessor: z.string().optional(),
    /** Lease id of dynamic credentials this event issued (Vault `response.secret.lease_id`); not a secret. */
    leaseId: z.string().optional(),
    /** Why a denial happened when the source says: `policy` (ACL/RBAC) or `firewall` (network rule). */
    deniedBy: z.enum(['policy', 'firewall']).optional(),
    /** The mount or service type (`kv`, `system`, `approle`, `secretsmanager.amazonaws.com`, …). */
    mountType: z.string().optional(),
    /** For batch reads: how many secrets one call named; 0 = a filter of unknown reach, -1 = a catch-all filter (only negated tags). */
    batchSize: z.number().int().optional(),
    /** Vault entry kind this event came from: a paired `response`, or a `request` whose response never came. */
    entry: z.enum(['request', 'response']).optional(),
    /** Where it came from: file and 1-based line. */
    file: z.string().optional(),
    line: z.number().int().optional(),
  })
  .loose();
export type AuditEvent = z.infer<typeof AuditEvent>;
