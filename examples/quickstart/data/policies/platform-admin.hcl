# Platform team: manage mounts, auth methods and policies; audit devices need sudo.

path "sys/mounts/*" {
  capabilities = ["create", "read", "update", "delete", "list", "sudo"]
}

path "sys/auth/*" {
  capabilities = ["create", "read", "update", "delete", "list", "sudo"]
}

path "sys/policies/acl/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

path "sys/audit" {
  capabilities = ["read", "sudo"]
}

# Raw storage access is never allowed, sudo or not.
path "sys/raw/*" {
  capabilities = ["deny"]
}
