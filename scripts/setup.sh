#!/usr/bin/env bash
# Prepare a fresh clone: pnpm (the version pinned in package.json), dependencies, a build of every package.
#   scripts/setup.sh               what `svm demo` needs
#   scripts/setup.sh --test-deps   also the Debian packages the test suite needs (scripts/apt-packages.txt)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "svm needs Node.js >= 20 (found $(node --version))" >&2
  exit 2
fi

want_pnpm=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if [ "$(pnpm --version 2>/dev/null || true)" != "$want_pnpm" ]; then
  log "installing pnpm $want_pnpm"
  npm install --global --silent "pnpm@$want_pnpm" >/dev/null
fi

if [ "${1:-}" = "--test-deps" ]; then
  missing=()
  while read -r pkg; do
    [ -z "$pkg" ] || [ "${pkg#\#}" != "$pkg" ] && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done < scripts/apt-packages.txt
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

log "installing dependencies"
pnpm install --frozen-lockfile --reporter=silent
log "building packages"
pnpm turbo run build --output-logs=errors-only >&2
