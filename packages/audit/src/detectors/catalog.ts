/**
 * What the single-event detectors look for, per log source: the one definition both the detectors
 * (`svm audit analyze`) and the Sigma export (`svm audit export-rules`) read, so the two never drift apart.
 * Thresholds live in `DEFAULT_ANALYZER_OPTIONS` (options.ts) and reach both through `resolveOptions`.
 */

/** Vault/OpenBao operations that change state (a successful one is a "change"). */
export const VAULT_WRITE_OPERATIONS = ['create', 'update', 'delete', 'patch'] as const;

/** Vault paths that generate a root or recovery token (`sys/generate-root/attempt`, …). */
export const VAULT_ROOT_GENERATION_PATHS = ['sys/generate-root', 'sys/generate-recovery-token'] as const;

/** Vault audit-device paths: `sys/audit/<device>` (devices) and `sys/config/auditing/` (audited request headers). */
export const VAULT_AUDIT_DEVICE_PREFIX = 'sys/audit/';
export const VAULT_AUDIT_HEADERS_PREFIX = 'sys/config/auditing/';
/** The self-test entry an audit device writes when it is enabled (no caller, no token, no address): not a change. */
export const VAULT_AUDIT_SELF_TEST_PATH = 'sys/audit/test';

/** Vault auth-method paths: `sys/auth/<path>` and `sys/auth/<path>/tune`. */
export const VAULT_AUTH_METHOD_PREFIX = 'sys/auth/';

/** Vault policy paths (ACL, RGP, EGP and password policies). */
export const VAULT_POLICY_PREFIXES = [
  'sys/policy/',
  'sys/policies/acl/',
  'sys/policies/rgp/',
  'sys/policies/egp/',
  'sys/policies/password/',
] as const;

/** KV mount types whose paths name secrets. */
export const VAULT_KV_MOUNT_TYPES = ['kv', 'generic'] as const;

/** CloudTrail calls that stop or reconfigure the trail itself. */
export const CLOUDTRAIL_LOGGING_CHANGES = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'] as const;
/** Of {@link CLOUDTRAIL_LOGGING_CHANGES}, the ones that end logging (critical rather than high). */
export const CLOUDTRAIL_LOGGING_STOPS = ['StopLogging', 'DeleteTrail'] as const;

/** Resource-policy changes per cloud source (`operation` as svm normalises it: the method's last segment for GCP). */
export const CLOUD_POLICY_OPERATIONS = {
  cloudtrail: ['PutResourcePolicy', 'DeleteResourcePolicy', 'PutKeyPolicy'],
  gcp: ['SetIamPolicy'],
  azure: ['VaultPut', 'VaultPatch', 'VaultAccessPolicyChangedEventGridNotification'],
} as const;

/** Operations that permanently destroy secret data (or schedule it), per cloud source. */
export const CLOUD_DESTROY_OPERATIONS = {
  cloudtrail: ['DeleteSecret', 'StartSecretVersionDelete', 'ScheduleKeyDeletion'],
  gcp: ['DestroySecretVersion', 'DeleteSecret'],
  azure: ['SecretPurge', 'SecretDelete'],
} as const;

/** Operations that read a secret's value, per cloud source. */
export const CLOUD_READ_OPERATIONS = {
  cloudtrail: ['GetSecretValue', 'BatchGetSecretValue'],
  gcp: ['AccessSecretVersion'],
  azure: ['SecretGet'],
} as const;
