# Runtime policy for the payments API (KV v2 mount "secret", database engine "db").

# Read its own secrets in every environment.
path "secret/data/payments/+/config" {
  capabilities = ["read"]
}

path "secret/data/payments/*" {
  capabilities = ["read"]
}

# Browse its own folder in the UI and CLI (kv list).
path "secret/metadata/payments/*" {
  capabilities = ["list"]
}

# Never the signing keys, even though secret/data/payments/* would match.
path "secret/data/payments/signing/*" {
  capabilities = ["deny"]
}

# Short-lived database credentials.
path "db/creds/payments-rw" {
  capabilities = ["read"]
}
