/**
 * The field names svm's Sigma rules use, per log source, and where each sits in the real audit JSON.
 *
 * Vault and OpenBao have no Sigma taxonomy, so their rules use svm's own field names (those of svm's
 * normalised `AuditEvent` where one exists) and ship with a pySigma processing pipeline that maps them to the
 * audit device's JSON paths. The cloud sources' rules use the records' own JSON paths (as SigmaHQ's CloudTrail
 * rules do), so they need no pipeline.
 */
import { SvmError } from '@svm/core';

/** One row of a field mapping: the name in the rule, the path in the log record, what it means. */
export interface SigmaFieldMapping {
  /** The field name used in svm's Sigma rules. */
  field: string;
  /** The dotted JSON path in the raw audit record (what a SIEM indexing the raw JSON sees). */
  path: string;
  /** What it holds. */
  meaning: string;
}

/**
 * The Vault/OpenBao audit-device fields svm's rules use; the pipeline maps `field` → `path`.
 *
 * @example
 * ```ts
 * VAULT_SIGMA_FIELDS.find((f) => f.field === 'sourceIp')?.path; // 'request.remote_address'
 * ```
 */
export const VAULT_SIGMA_FIELDS: readonly SigmaFieldMapping[] = [
  { field: 'entry', path: 'type', meaning: '`request` or `response` (rules match responses: they carry the request)' },
  { field: 'operation', path: 'request.operation', meaning: 'create, read, update, patch, delete, list, …' },
  { field: 'path', path: 'request.path', meaning: 'request path as logged (`secret/data/app`, `sys/audit/file`)' },
  { field: 'mountType', path: 'request.mount_type', meaning: 'mount type (`kv`, `userpass`, `system`, …)' },
  { field: 'sourceIp', path: 'request.remote_address', meaning: 'client address' },
  { field: 'identity', path: 'auth.display_name', meaning: "caller's token display name (`userpass-alice`, `root`)" },
  { field: 'accessor', path: 'auth.accessor', meaning: "caller's token accessor (HMAC'd)" },
  { field: 'policies', path: 'auth.policies', meaning: "caller's token policies" },
  { field: 'policyAllowed', path: 'auth.policy_results.allowed', meaning: 'false when policy denied the call' },
  { field: 'error', path: 'error', meaning: 'error text; absent or empty on success' },
  { field: 'responseError', path: 'response.data.error', meaning: "plugin error (HMAC'd); present on failure" },
  { field: 'issuedPolicies', path: 'response.auth.policies', meaning: 'policies of a token issued by this call' },
  { field: 'issuedAccessor', path: 'response.auth.accessor', meaning: 'accessor of a token issued by this call' },
  { field: 'tokenTtl', path: 'response.auth.token_ttl', meaning: 'TTL in seconds of a token issued by this call' },
];

/**
 * The cloud sources' fields (used as is; listed for the README's mapping table).
 *
 * @example
 * ```ts
 * CLOUD_SIGMA_FIELDS.gcp.map((f) => f.field); // ['protoPayload.methodName', …]
 * ```
 */
export const CLOUD_SIGMA_FIELDS: Readonly<Record<'cloudtrail' | 'gcp' | 'azure', readonly SigmaFieldMapping[]>> = {
  cloudtrail: [
    { field: 'eventName', path: 'eventName', meaning: 'operation' },
    { field: 'errorCode', path: 'errorCode', meaning: 'absent on success; `AccessDenied…` on a denial' },
    { field: 'userIdentity.type', path: 'userIdentity.type', meaning: '`Root` for the account root user' },
    { field: 'userIdentity.arn', path: 'userIdentity.arn', meaning: 'identity (grouping key)' },
    { field: 'userIdentity.userName', path: 'userIdentity.userName', meaning: 'user of a console login' },
    { field: 'sourceIPAddress', path: 'sourceIPAddress', meaning: 'client address' },
    {
      field: 'responseElements.ConsoleLogin',
      path: 'responseElements.ConsoleLogin',
      meaning: '`Failure` on a failed console login',
    },
    {
      field: 'requestParameters.secretId',
      path: 'requestParameters.secretId',
      meaning: 'secret read (distinct-count key)',
    },
  ],
  gcp: [
    {
      field: 'protoPayload.methodName',
      path: 'protoPayload.methodName',
      meaning: 'operation (svm uses its last segment)',
    },
    {
      field: 'protoPayload.status.code',
      path: 'protoPayload.status.code',
      meaning: 'absent or 0 on success; 7 denied; 16 unauthenticated',
    },
    {
      field: 'protoPayload.authenticationInfo.principalEmail',
      path: 'protoPayload.authenticationInfo.principalEmail',
      meaning: 'identity',
    },
    {
      field: 'protoPayload.requestMetadata.callerIp',
      path: 'protoPayload.requestMetadata.callerIp',
      meaning: 'client address',
    },
    {
      field: 'protoPayload.resourceName',
      path: 'protoPayload.resourceName',
      meaning: 'secret version read (distinct-count key)',
    },
  ],
  azure: [
    { field: 'operationName', path: 'operationName', meaning: 'operation' },
    {
      field: 'properties.httpStatusCode',
      path: 'properties.httpStatusCode',
      meaning: 'HTTP status; 400 and above is a failure',
    },
    {
      field: 'properties.isAddressAuthorized',
      path: 'properties.isAddressAuthorized',
      meaning: 'false when the firewall refused the call',
    },
    { field: 'identity.claim.oid', path: 'identity.claim.oid', meaning: "caller's object id (identity, grouping key)" },
    { field: 'callerIpAddress', path: 'callerIpAddress', meaning: 'client address' },
    { field: 'properties.id', path: 'properties.id', meaning: 'secret (version) URI read (distinct-count key)' },
  ],
};

/**
 * The Sigma `logsource` of each source svm reads (CloudTrail and GCP as in SigmaHQ's taxonomy; Vault, OpenBao and
 * Azure Key Vault's AuditEvent have none there).
 *
 * @example
 * ```ts
 * SIGMA_LOGSOURCES.cloudtrail; // { product: 'aws', service: 'cloudtrail' }
 * ```
 */
export const SIGMA_LOGSOURCES = {
  vault: { product: 'vault', service: 'audit' },
  openbao: { product: 'openbao', service: 'audit' },
  cloudtrail: { product: 'aws', service: 'cloudtrail' },
  gcp: { product: 'gcp', service: 'gcp.audit' },
  azure: { product: 'azure', service: 'keyvault' },
} as const;

/** The log sources svm exports rules for. */
export type SigmaSource = keyof typeof SIGMA_LOGSOURCES;

/**
 * The log sources a user listed (`--source vault,gcp --source azure`): each value split on commas and trimmed.
 * An unknown source is a `USAGE` error naming the valid ones; no values means every source (`undefined`).
 *
 * @example
 * ```ts
 * parseSigmaSources(['vault, gcp', 'azure']); // ['vault', 'gcp', 'azure']
 * parseSigmaSources(undefined); // undefined
 * ```
 */
export function parseSigmaSources(values: readonly string[] | undefined): SigmaSource[] | undefined {
  if (values === undefined) return undefined;
  const known = Object.keys(SIGMA_LOGSOURCES);
  const sources = values.flatMap((value) => value.split(',').map((s) => s.trim()));
  for (const s of sources)
    if (!known.includes(s)) throw new SvmError('USAGE', `--source: expected one of ${known.join(', ')}, got '${s}'`);
  return sources as SigmaSource[];
}

/**
 * The pySigma processing pipeline (YAML form) that maps svm's Vault/OpenBao field names to the audit JSON.
 *
 * @example
 * ```ts
 * writeFileSync('svm_vault_openbao.yaml', stringify(vaultPipeline())); // sigma convert -p svm_vault_openbao.yaml …
 * ```
 */
export function vaultPipeline(): Record<string, unknown> {
  return {
    name: 'svm Vault/OpenBao audit device fields',
    priority: 20,
    transformations: [
      {
        id: 'svm_vault_openbao_field_mapping',
        type: 'field_name_mapping',
        mapping: Object.fromEntries(VAULT_SIGMA_FIELDS.map((f) => [f.field, f.path])),
        rule_conditions: [
          { type: 'logsource', product: SIGMA_LOGSOURCES.vault.product, service: SIGMA_LOGSOURCES.vault.service },
          { type: 'logsource', product: SIGMA_LOGSOURCES.openbao.product, service: SIGMA_LOGSOURCES.openbao.service },
        ],
        rule_cond_op: 'or',
      },
    ],
  };
}
