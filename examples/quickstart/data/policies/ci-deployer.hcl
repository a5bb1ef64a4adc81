# CI pipeline: writes application config, issues tokens for deploy jobs, never touches sys/.

path "secret/data/+/ci/*" {
  capabilities = ["create", "update", "read"]
  allowed_parameters = {
    "data"    = []
    "options" = []
  }
}

path "auth/token/create" {
  capabilities = ["update"]
  allowed_parameters = {
    "policies" = ["payments-api", "web-*"]
    "ttl"      = ["15m", "30m"]
  }
  denied_parameters = {
    "no_parent" = []
  }
}

# Secret IDs only through response wrapping, for at most five minutes.
path "auth/approle/role/+/secret-id" {
  capabilities = ["update"]
  max_wrapping_ttl = "5m"
}

path "sys/*" {
  capabilities = ["deny"]
}
