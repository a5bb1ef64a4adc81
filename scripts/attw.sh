#!/usr/bin/env bash
# Are-the-types-wrong on the tarball pnpm would publish (pnpm applies publishConfig; npm pack would not).
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pnpm pack --pack-destination "$tmp" >/dev/null
attw --profile node16 "$tmp"/*.tgz
