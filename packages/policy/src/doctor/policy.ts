/**
 * The read-mostly ACL policy `svm vault doctor` needs for every check (write it under a name such as
 * `vault-doctor-audit`). The only non-read grants: `sudo` where the server root-protects a read
 * (`sys/audit`, `LIST auth/token/accessors`) and `update` on `auth/token/lookup-accessor`, which is how a
 * token's policies are read without the token. Role paths use `+` (LIST needs the trailing slash, `auth/+/role/`;
 * auth mounts are tuned through `sys/mounts/auth/<path>/tune`, which needs no sudo), so auth methods mounted at nested paths (`team/approle`) need their own lines.
 *
 * @example
 * ```ts
 * await api.write('PUT', 'sys/policies/acl/vault-doctor-audit', { policy: DOCTOR_POLICY_HCL });
 * ```
 */
export const DOCTOR_POLICY_HCL = `# svm vault doctor: read-mostly access to every check
path "sys/ha-status" { capabilities = ["read"] }
path "sys/storage/raft/configuration" { capabilities = ["read"] }
path "sys/storage/raft/autopilot/state" { capabilities = ["read"] }
path "sys/audit" { capabilities = ["read", "sudo"] }
path "sys/auth" { capabilities = ["read"] }
path "sys/mounts" { capabilities = ["read"] }
path "sys/mounts/+/tune" { capabilities = ["read"] }
path "sys/mounts/auth/+/tune" { capabilities = ["read"] }
path "sys/policies/acl" { capabilities = ["list"] }
path "sys/policies/acl/+" { capabilities = ["read"] }
path "sys/internal/counters/tokens" { capabilities = ["read"] }
path "sys/metrics" { capabilities = ["read"] }
path "sys/leases/count" { capabilities = ["read"] }
path "auth/+/role/" { capabilities = ["read", "list"] }
path "auth/+/role/+" { capabilities = ["read"] }
path "auth/+/roles/" { capabilities = ["read", "list"] }
path "auth/+/roles/+" { capabilities = ["read"] }
path "auth/+/users/" { capabilities = ["read", "list"] }
path "auth/+/users/+" { capabilities = ["read"] }
path "auth/+/certs/" { capabilities = ["read", "list"] }
path "auth/+/certs/+" { capabilities = ["read"] }
path "auth/token/accessors" { capabilities = ["list", "sudo"] }
path "auth/token/lookup-accessor" { capabilities = ["update"] }
`;
