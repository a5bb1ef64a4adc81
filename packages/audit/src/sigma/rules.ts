import {
  CLOUD_DESTROY_OPERATIONS,
  CLOUD_POLICY_OPERATIONS,
  CLOUD_READ_OPERATIONS,
  CLOUDTRAIL_LOGGING_CHANGES,
  VAULT_AUDIT_DEVICE_PREFIX,
  VAULT_AUDIT_HEADERS_PREFIX,
  VAULT_AUDIT_SELF_TEST_PATH,
  VAULT_AUTH_METHOD_PREFIX,
  VAULT_KV_MOUNT_TYPES,
  VAULT_POLICY_PREFIXES,
  VAULT_ROOT_GENERATION_PATHS,
  VAULT_WRITE_OPERATIONS,
} from '../detectors/catalog.js';
import type { RuleId } from '../detectors/types.js';
import type { ResolvedOptions } from '../options.js';
import type { SigmaSource } from './fields.js';

/** A Sigma detection section: named selections (a map, or a list of maps = OR) and a condition. */
export type SigmaDetection = Record<string, Record<string, unknown> | Record<string, unknown>[] | string>;

/** Sigma severity levels. */
export type SigmaLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';

/** One detection for one source, before it becomes YAML. */
export interface SigmaRuleSpec {
  rule: RuleId;
  source: SigmaSource;
  title: string;
  description: string;
  level: SigmaLevel;
  falsepositives: string[];
  /** The event selection (for a correlation: the base rule's). */
  detection: SigmaDetection;
  /** Present for threshold rules: the correlation over the base rule's events. */
  correlation?: {
    type: 'event_count' | 'value_count';
    groupBy: string[];
    timespanMs: number;
    gte: number;
    /** value_count: the field whose distinct values are counted. */
    field?: string;
    /** Title of the base (single-event) rule. */
    baseTitle: string;
  };
}

type Vaultish = 'vault' | 'openbao';

// ---------------------------------------------------------------- Vault / OpenBao (svm field names; see fields.ts)

/** Success as svm decides it for a non-login call: no error text, no plugin error, not denied by policy. */
const VAULT_OK = {
  ok_error: [{ error: null }, { error: '' }],
  failed: [{ 'responseError|exists': true }, { policyAllowed: false }],
};
const VAULT_OK_COND = 'ok_error and not failed';

// A failed login, as failed-auth and password-spray read it: a login response (not a lookup) with an error, a
// plugin error in its data, or no token issued. Condition: `login and login_path and not lookup and
// ((error_set and not error_empty) or plugin_error or no_token)`.
const FAILED_LOGIN = {
  login: { entry: 'response', 'path|startswith': 'auth/' },
  login_path: [{ 'path|endswith': '/login' }, { 'path|contains': '/login/' }],
  lookup: { operation: ['read', 'list'] },
  error_set: { 'error|exists': true },
  error_empty: { error: '' },
  plugin_error: { 'responseError|exists': true },
  no_token: { issuedAccessor: null },
};

function vaultRules(source: Vaultish, o: ResolvedOptions): SigmaRuleSpec[] {
  const name = source === 'vault' ? 'Vault' : 'OpenBao';
  const writes = [...VAULT_WRITE_OPERATIONS];
  return [
    {
      rule: 'root-token',
      source,
      title: `${name} root token used, created or generated`,
      description:
        'A request made with a token carrying the root policy, a call that issued a root token, or a root/recovery token generation request (sys/generate-root, sys/generate-recovery-token).',
      level: 'high',
      falsepositives: ['Break-glass procedures and initial cluster setup'],
      detection: {
        response: { entry: 'response' },
        used: { policies: 'root' },
        created: { issuedPolicies: 'root' },
        generated: [
          { path: [...VAULT_ROOT_GENERATION_PATHS] },
          { 'path|startswith': VAULT_ROOT_GENERATION_PATHS.map((p) => `${p}/`) },
        ],
        ...VAULT_OK,
        condition: `response and (used or generated or (created and ${VAULT_OK_COND}))`,
      },
    },
    {
      rule: 'audit-device-change',
      source,
      title: `${name} audit device or audited headers changed`,
      description: `A successful write or delete on ${VAULT_AUDIT_DEVICE_PREFIX}<device> (enable, change, disable) or ${VAULT_AUDIT_HEADERS_PREFIX}* (audited request headers). The self-test entry a new device writes is left out.`,
      level: 'high',
      falsepositives: ['Planned audit-device rollouts'],
      detection: {
        change: {
          entry: 'response',
          operation: writes,
          'path|startswith': [VAULT_AUDIT_DEVICE_PREFIX, VAULT_AUDIT_HEADERS_PREFIX],
        },
        self_test: { path: VAULT_AUDIT_SELF_TEST_PATH, sourceIp: null, accessor: null },
        ...VAULT_OK,
        condition: `change and ${VAULT_OK_COND} and not self_test`,
      },
    },
    {
      rule: 'policy-change',
      source,
      title: `${name} policy written or deleted`,
      description: 'A successful write or delete of an ACL, RGP, EGP or password policy.',
      level: 'medium',
      falsepositives: ['Policy deployments from CI (svm policy apply)'],
      detection: {
        change: { entry: 'response', operation: writes, 'path|startswith': [...VAULT_POLICY_PREFIXES] },
        ...VAULT_OK,
        condition: `change and ${VAULT_OK_COND}`,
      },
    },
    {
      rule: 'auth-method-change',
      source,
      title: `${name} auth method enabled, tuned or disabled`,
      description: `A successful write or delete on ${VAULT_AUTH_METHOD_PREFIX}<path> or ${VAULT_AUTH_METHOD_PREFIX}<path>/tune.`,
      level: 'medium',
      falsepositives: ['Planned auth-method changes'],
      detection: {
        change: { entry: 'response', operation: writes, 'path|startswith': VAULT_AUTH_METHOD_PREFIX },
        ...VAULT_OK,
        condition: `change and ${VAULT_OK_COND}`,
      },
    },
    {
      rule: 'secret-destroy',
      source,
      title: `${name} KV secret data destroyed`,
      description:
        'A successful KV v2 destroy (<mount>/destroy/<path>) or delete of all versions and metadata (<mount>/metadata/<path>).',
      level: 'medium',
      falsepositives: ['Planned clean-up of retired secrets'],
      detection: {
        kv: { entry: 'response', mountType: [...VAULT_KV_MOUNT_TYPES] },
        destroy: { 'path|contains': '/destroy/' },
        read: { operation: 'read' },
        metadata_delete: { 'path|contains': '/metadata/', operation: 'delete' },
        ...VAULT_OK,
        condition: `kv and ((destroy and not read) or metadata_delete) and ${VAULT_OK_COND}`,
      },
    },
    {
      rule: 'long-ttl-token',
      source,
      title: `${name} token issued with a long or no TTL`,
      description: `A token issued (login or token create) with a TTL over ${o.longTtl.maxSeconds}s, with no expiry (TTL 0), or by a human login method with a TTL over ${o.longTtl.humanMaxSeconds}s. Root tokens are left to the root-token rule.`,
      level: 'high',
      falsepositives: ['Long-lived tokens issued on purpose to workloads that cannot renew'],
      detection: {
        issued: { entry: 'response', 'tokenTtl|exists': true },
        over_max: { 'tokenTtl|gt': o.longTtl.maxSeconds },
        no_expiry: { tokenTtl: 0 },
        human_login: {
          'path|startswith': 'auth/',
          mountType: [...o.humanAuthMethods].sort(),
          'tokenTtl|gt': o.longTtl.humanMaxSeconds,
        },
        root: { issuedPolicies: 'root' },
        ...VAULT_OK,
        condition: `issued and (over_max or no_expiry or human_login) and not root and ${VAULT_OK_COND}`,
      },
    },
    {
      rule: 'failed-auth',
      source,
      title: `${name} failed login burst`,
      description: `${o.failedAuth.threshold} or more failed logins against one login path (one user) from one address within the window.`,
      level: 'high',
      falsepositives: ['A service with a rotated credential retrying'],
      detection: {
        ...FAILED_LOGIN,
        condition:
          'login and login_path and not lookup and ((error_set and not error_empty) or plugin_error or no_token)',
      },
      correlation: {
        type: 'event_count',
        groupBy: ['sourceIp', 'path'],
        timespanMs: o.failedAuth.windowMs,
        gte: o.failedAuth.threshold,
        baseTitle: `${name} failed login`,
      },
    },
    {
      rule: 'password-spray',
      source,
      title: `${name} password spray`,
      description: `Failed logins from one address against ${o.passwordSpray.distinctIdentities} or more distinct login paths (users) within the window; failures without an address are left out.`,
      level: 'high',
      falsepositives: ['A shared NAT address in front of many users with expired credentials'],
      detection: {
        ...FAILED_LOGIN,
        no_address: [{ sourceIp: null }, { sourceIp: '' }],
        condition:
          'login and login_path and not lookup and ((error_set and not error_empty) or plugin_error or no_token) and not no_address',
      },
      correlation: {
        type: 'value_count',
        field: 'path',
        groupBy: ['sourceIp'],
        timespanMs: o.passwordSpray.windowMs,
        gte: o.passwordSpray.distinctIdentities,
        baseTitle: `${name} failed login from an address`,
      },
    },
    {
      rule: 'denied-access',
      source,
      title: `${name} burst of requests denied by policy`,
      description: `${o.deniedAccess.burst} or more requests by one identity denied by policy within the window.`,
      level: 'medium',
      falsepositives: ['A new workload whose policy is still being written'],
      detection: {
        response: { entry: 'response' },
        login: { 'path|startswith': 'auth/' },
        login_path: [{ 'path|endswith': '/login' }, { 'path|contains': '/login/' }],
        denied_error: { 'error|contains': 'permission denied' },
        denied_policy: { policyAllowed: false },
        ok_error: VAULT_OK.ok_error,
        plugin_error: { 'responseError|exists': true },
        condition:
          'response and not (login and login_path) and (denied_error or (denied_policy and ok_error and not plugin_error))',
      },
      correlation: {
        type: 'event_count',
        groupBy: ['identity'],
        timespanMs: o.deniedAccess.windowMs,
        gte: o.deniedAccess.burst,
        baseTitle: `${name} request denied by policy`,
      },
    },
    {
      rule: 'bulk-read',
      source,
      title: `${name} bulk secret reads`,
      description: `One identity reading ${o.bulkRead.distinctSecrets} or more distinct KV secrets within the window.`,
      level: 'high',
      falsepositives: ['Deploy jobs that load every secret of an application at start'],
      detection: {
        read: { entry: 'response', operation: 'read', mountType: [...VAULT_KV_MOUNT_TYPES] },
        metadata: { 'path|contains': '/metadata/' },
        ...VAULT_OK,
        condition: `read and not metadata and ${VAULT_OK_COND}`,
      },
      correlation: {
        type: 'value_count',
        field: 'path',
        groupBy: ['identity'],
        timespanMs: o.bulkRead.windowMs,
        gte: o.bulkRead.distinctSecrets,
        baseTitle: `${name} KV secret read`,
      },
    },
  ];
}

// ---------------------------------------------------------------- AWS CloudTrail (record fields as is)

function cloudTrailRules(o: ResolvedOptions): SigmaRuleSpec[] {
  return [
    {
      rule: 'root-token',
      source: 'cloudtrail',
      title: 'AWS account root user used',
      description: 'Any call made by the AWS account root user.',
      level: 'high',
      falsepositives: ['Account-level tasks that only the root user can do'],
      detection: { root: { 'userIdentity.type': 'Root' }, condition: 'root' },
    },
    {
      rule: 'audit-device-change',
      source: 'cloudtrail',
      title: 'AWS CloudTrail logging stopped or reconfigured',
      description: `A successful ${CLOUDTRAIL_LOGGING_CHANGES.join(', ')} call.`,
      level: 'high',
      falsepositives: ['Planned trail changes'],
      detection: {
        change: { eventName: [...CLOUDTRAIL_LOGGING_CHANGES], errorCode: null },
        condition: 'change',
      },
    },
    {
      rule: 'policy-change',
      source: 'cloudtrail',
      title: 'AWS secret or key resource policy changed',
      description: `A successful ${CLOUD_POLICY_OPERATIONS.cloudtrail.join(', ')} call (Secrets Manager, KMS).`,
      level: 'medium',
      falsepositives: ['Infrastructure-as-code deployments'],
      detection: {
        change: { eventName: [...CLOUD_POLICY_OPERATIONS.cloudtrail], errorCode: null },
        condition: 'change',
      },
    },
    {
      rule: 'secret-destroy',
      source: 'cloudtrail',
      title: 'AWS secret deleted or key deletion scheduled',
      description: `A successful ${CLOUD_DESTROY_OPERATIONS.cloudtrail.join(', ')} call.`,
      level: 'medium',
      falsepositives: ['Planned clean-up of retired secrets'],
      detection: {
        destroy: { eventName: [...CLOUD_DESTROY_OPERATIONS.cloudtrail], errorCode: null },
        condition: 'destroy',
      },
    },
    {
      rule: 'failed-auth',
      source: 'cloudtrail',
      title: 'AWS console login failure burst',
      description: `${o.failedAuth.threshold} or more failed console logins for one user from one address within the window.`,
      level: 'high',
      falsepositives: ['A user who forgot their password'],
      detection: {
        failure: { eventName: 'ConsoleLogin', 'responseElements.ConsoleLogin': 'Failure' },
        condition: 'failure',
      },
      correlation: {
        type: 'event_count',
        groupBy: ['sourceIPAddress', 'userIdentity.userName'],
        timespanMs: o.failedAuth.windowMs,
        gte: o.failedAuth.threshold,
        baseTitle: 'AWS console login failure',
      },
    },
    {
      rule: 'password-spray',
      source: 'cloudtrail',
      title: 'AWS console password spray',
      description: `Failed console logins from one address for ${o.passwordSpray.distinctIdentities} or more distinct users within the window.`,
      level: 'high',
      falsepositives: ['A shared NAT address in front of many users who forgot their passwords'],
      detection: {
        failure: { eventName: 'ConsoleLogin', 'responseElements.ConsoleLogin': 'Failure' },
        no_address: [{ sourceIPAddress: null }, { sourceIPAddress: '' }],
        condition: 'failure and not no_address',
      },
      correlation: {
        type: 'value_count',
        field: 'userIdentity.userName',
        groupBy: ['sourceIPAddress'],
        timespanMs: o.passwordSpray.windowMs,
        gte: o.passwordSpray.distinctIdentities,
        baseTitle: 'AWS console login failure from an address',
      },
    },
    {
      rule: 'denied-access',
      source: 'cloudtrail',
      title: 'AWS burst of access-denied calls',
      description: `${o.deniedAccess.burst} or more calls by one identity refused with AccessDenied or UnauthorizedOperation within the window.`,
      level: 'medium',
      falsepositives: ['A new workload whose IAM policy is still being written'],
      detection: {
        denied: [
          { 'errorCode|startswith': ['AccessDenied', 'UnauthorizedAccess'] },
          { 'errorCode|endswith': 'UnauthorizedOperation' },
        ],
        condition: 'denied',
      },
      correlation: {
        type: 'event_count',
        groupBy: ['userIdentity.arn'],
        timespanMs: o.deniedAccess.windowMs,
        gte: o.deniedAccess.burst,
        baseTitle: 'AWS access-denied call',
      },
    },
    {
      rule: 'bulk-read',
      source: 'cloudtrail',
      title: 'AWS Secrets Manager bulk secret reads',
      description: `One identity reading ${o.bulkRead.distinctSecrets} or more distinct secrets with GetSecretValue within the window.`,
      level: 'high',
      falsepositives: ['Deploy jobs that load every secret of an application at start'],
      detection: {
        read: { eventName: CLOUD_READ_OPERATIONS.cloudtrail[0], errorCode: null },
        condition: 'read',
      },
      correlation: {
        type: 'value_count',
        field: 'requestParameters.secretId',
        groupBy: ['userIdentity.arn'],
        timespanMs: o.bulkRead.windowMs,
        gte: o.bulkRead.distinctSecrets,
        baseTitle: 'AWS Secrets Manager secret read',
      },
    },
  ];
}

// ---------------------------------------------------------------- GCP Cloud Audit Logs (LogEntry fields as is)

/** GCP methods match on their last segment, as svm normalises them (`….SetIamPolicy` or a bare `SetIamPolicy`). */
function gcpMethod(names: readonly string[]): Record<string, unknown>[] {
  return [{ 'protoPayload.methodName': [...names] }, { 'protoPayload.methodName|endswith': names.map((n) => `.${n}`) }];
}
const GCP_OK = { failed: { 'protoPayload.status.code|gte': 1 } };

function gcpRules(o: ResolvedOptions): SigmaRuleSpec[] {
  return [
    {
      rule: 'policy-change',
      source: 'gcp',
      title: 'GCP IAM policy set',
      description: 'A successful SetIamPolicy call (on a secret, a key or any resource in the log).',
      level: 'medium',
      falsepositives: ['Infrastructure-as-code deployments'],
      detection: { method: gcpMethod(CLOUD_POLICY_OPERATIONS.gcp), ...GCP_OK, condition: 'method and not failed' },
    },
    {
      rule: 'secret-destroy',
      source: 'gcp',
      title: 'GCP secret or secret version destroyed',
      description: `A successful ${CLOUD_DESTROY_OPERATIONS.gcp.join(' or ')} call.`,
      level: 'medium',
      falsepositives: ['Planned clean-up of retired secrets'],
      detection: { method: gcpMethod(CLOUD_DESTROY_OPERATIONS.gcp), ...GCP_OK, condition: 'method and not failed' },
    },
    {
      rule: 'failed-auth',
      source: 'gcp',
      title: 'GCP unauthenticated call burst',
      description: `${o.failedAuth.threshold} or more calls failing authentication (status 16) for one principal from one address within the window.`,
      level: 'high',
      falsepositives: ['A workload with an expired key retrying'],
      detection: { unauthenticated: { 'protoPayload.status.code': 16 }, condition: 'unauthenticated' },
      correlation: {
        type: 'event_count',
        groupBy: ['protoPayload.requestMetadata.callerIp', 'protoPayload.authenticationInfo.principalEmail'],
        timespanMs: o.failedAuth.windowMs,
        gte: o.failedAuth.threshold,
        baseTitle: 'GCP unauthenticated call',
      },
    },
    {
      rule: 'password-spray',
      source: 'gcp',
      title: 'GCP unauthenticated calls against many principals',
      description: `Calls failing authentication (status 16) from one address for ${o.passwordSpray.distinctIdentities} or more distinct principals within the window.`,
      level: 'high',
      falsepositives: ['A shared NAT address in front of many workloads with expired keys'],
      detection: {
        unauthenticated: { 'protoPayload.status.code': 16 },
        no_address: [
          { 'protoPayload.requestMetadata.callerIp': null },
          { 'protoPayload.requestMetadata.callerIp': '' },
        ],
        condition: 'unauthenticated and not no_address',
      },
      correlation: {
        type: 'value_count',
        field: 'protoPayload.authenticationInfo.principalEmail',
        groupBy: ['protoPayload.requestMetadata.callerIp'],
        timespanMs: o.passwordSpray.windowMs,
        gte: o.passwordSpray.distinctIdentities,
        baseTitle: 'GCP unauthenticated call from an address',
      },
    },
    {
      rule: 'denied-access',
      source: 'gcp',
      title: 'GCP burst of permission-denied calls',
      description: `${o.deniedAccess.burst} or more calls by one principal refused with PERMISSION_DENIED (status 7) within the window.`,
      level: 'medium',
      falsepositives: ['A new workload whose IAM bindings are still being written'],
      detection: { denied: { 'protoPayload.status.code': 7 }, condition: 'denied' },
      correlation: {
        type: 'event_count',
        groupBy: ['protoPayload.authenticationInfo.principalEmail'],
        timespanMs: o.deniedAccess.windowMs,
        gte: o.deniedAccess.burst,
        baseTitle: 'GCP permission-denied call',
      },
    },
    {
      rule: 'bulk-read',
      source: 'gcp',
      title: 'GCP Secret Manager bulk secret reads',
      description: `One principal reading ${o.bulkRead.distinctSecrets} or more distinct secret versions within the window.`,
      level: 'high',
      falsepositives: ['Deploy jobs that load every secret of an application at start'],
      detection: { method: gcpMethod(CLOUD_READ_OPERATIONS.gcp), ...GCP_OK, condition: 'method and not failed' },
      correlation: {
        type: 'value_count',
        field: 'protoPayload.resourceName',
        groupBy: ['protoPayload.authenticationInfo.principalEmail'],
        timespanMs: o.bulkRead.windowMs,
        gte: o.bulkRead.distinctSecrets,
        baseTitle: 'GCP Secret Manager secret read',
      },
    },
  ];
}

// ---------------------------------------------------------------- Azure Key Vault AuditEvent (record fields as is)

const AZURE_OK = { failed: { 'properties.httpStatusCode|gte': 400 } };

function azureRules(o: ResolvedOptions): SigmaRuleSpec[] {
  return [
    {
      rule: 'policy-change',
      source: 'azure',
      title: 'Azure Key Vault access policy or vault settings changed',
      description: `A successful ${CLOUD_POLICY_OPERATIONS.azure.join(', ')} operation.`,
      level: 'medium',
      falsepositives: ['Infrastructure-as-code deployments'],
      detection: {
        change: { operationName: [...CLOUD_POLICY_OPERATIONS.azure] },
        ...AZURE_OK,
        condition: 'change and not failed',
      },
    },
    {
      rule: 'secret-destroy',
      source: 'azure',
      title: 'Azure Key Vault secret deleted or purged',
      description: `A successful ${CLOUD_DESTROY_OPERATIONS.azure.join(' or ')} operation.`,
      level: 'medium',
      falsepositives: ['Planned clean-up of retired secrets'],
      detection: {
        destroy: { operationName: [...CLOUD_DESTROY_OPERATIONS.azure] },
        ...AZURE_OK,
        condition: 'destroy and not failed',
      },
    },
    {
      rule: 'failed-auth',
      source: 'azure',
      title: 'Azure Key Vault authentication failure burst',
      description: `${o.failedAuth.threshold} or more 401 responses to one identified caller from one address within the window (anonymous 401s are the SDK's challenge round trip and are left out).`,
      level: 'high',
      falsepositives: ['A workload with an expired credential retrying'],
      detection: {
        unauthorized: { 'properties.httpStatusCode': 401, 'identity.claim.oid|exists': true },
        condition: 'unauthorized',
      },
      correlation: {
        type: 'event_count',
        groupBy: ['callerIpAddress', 'identity.claim.oid'],
        timespanMs: o.failedAuth.windowMs,
        gte: o.failedAuth.threshold,
        baseTitle: 'Azure Key Vault authentication failure',
      },
    },
    {
      rule: 'password-spray',
      source: 'azure',
      title: 'Azure Key Vault authentication failures against many callers',
      description: `401 responses from one address to ${o.passwordSpray.distinctIdentities} or more distinct identified callers within the window (anonymous 401s are the SDK's challenge round trip and are left out).`,
      level: 'high',
      falsepositives: ['A shared NAT address in front of many workloads with expired credentials'],
      detection: {
        unauthorized: { 'properties.httpStatusCode': 401, 'identity.claim.oid|exists': true },
        no_address: [{ callerIpAddress: null }, { callerIpAddress: '' }],
        condition: 'unauthorized and not no_address',
      },
      correlation: {
        type: 'value_count',
        field: 'identity.claim.oid',
        groupBy: ['callerIpAddress'],
        timespanMs: o.passwordSpray.windowMs,
        gte: o.passwordSpray.distinctIdentities,
        baseTitle: 'Azure Key Vault authentication failure from an address',
      },
    },
    {
      rule: 'denied-access',
      source: 'azure',
      title: 'Azure Key Vault burst of forbidden requests',
      description: `${o.deniedAccess.burst} or more requests by one caller refused (403) by RBAC or an access policy within the window; firewall refusals (isAddressAuthorized false) are left out.`,
      level: 'medium',
      falsepositives: ['A new workload whose role assignment is still being made'],
      detection: {
        forbidden: { 'properties.httpStatusCode': 403 },
        firewall: [{ 'properties.isAddressAuthorized': false }, { 'properties.isAddressAuthorized': 'false' }],
        condition: 'forbidden and not firewall',
      },
      correlation: {
        type: 'event_count',
        groupBy: ['identity.claim.oid'],
        timespanMs: o.deniedAccess.windowMs,
        gte: o.deniedAccess.burst,
        baseTitle: 'Azure Key Vault forbidden request',
      },
    },
    {
      rule: 'bulk-read',
      source: 'azure',
      title: 'Azure Key Vault bulk secret reads',
      description: `One caller reading ${o.bulkRead.distinctSecrets} or more distinct secret versions within the window.`,
      level: 'high',
      falsepositives: ['Deploy jobs that load every secret of an application at start'],
      detection: {
        read: { operationName: CLOUD_READ_OPERATIONS.azure[0] },
        ...AZURE_OK,
        condition: 'read and not failed',
      },
      correlation: {
        type: 'value_count',
        field: 'properties.id',
        groupBy: ['identity.claim.oid'],
        timespanMs: o.bulkRead.windowMs,
        gte: o.bulkRead.distinctSecrets,
        baseTitle: 'Azure Key Vault secret read',
      },
    },
  ];
}

/** Every rule svm exports, in a stable order, built from the resolved analyzer options. */
export function sigmaRuleSpecs(o: ResolvedOptions): SigmaRuleSpec[] {
  return [
    ...vaultRules('vault', o),
    ...vaultRules('openbao', o),
    ...cloudTrailRules(o),
    ...gcpRules(o),
    ...azureRules(o),
  ];
}
