#!/usr/bin/env bash
# One command on a fresh machine: install, build, and run `svm demo` on the embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node packages/cli/bin/svm.js demo "$@"
