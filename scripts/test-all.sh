#!/usr/bin/env bash
# The whole test suite on a fresh machine: dependencies, build, package checks (publint, attw, tsc),
# the real servers (OpenBao, moto, lowkey-vault, GCP emulator, PostgreSQL), then every test.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

bash scripts/setup.sh --test-deps

# lowkey-vault (Azure) and the GCP Secret Manager emulator cannot be installed from this project's
# registries: Maven Central serves no lowkey-vault-app artifact and the Go module proxy refuses the
# emulator module (403). Their suites are skipped, by name, until they can be; every other missing
# server fails the run under CI=true. Override with SVM_SERVICES_SKIP= (empty) to require them.
export SVM_SERVICES_SKIP="${SVM_SERVICES_SKIP-lowkey,gcp}"

log "starting the real servers"
started_here=0
if ! bash scripts/services.sh status >/dev/null 2>&1; then started_here=1; fi
bash scripts/services.sh up
if [ "$started_here" = 1 ] && [ -z "${SVM_KEEP_SERVICES:-}" ]; then
  trap 'bash scripts/services.sh down >/dev/null 2>&1 || true' EXIT
fi

log "checking packages (tsc, publint --strict, attw)"
pnpm turbo run typecheck lint:package --output-logs=errors-only

log "checking for import cycles (madge) and lint (Biome, biome.json)"
pnpm run --silent check:cycles
# Lint rules only until the one formatting pass (pnpm format) lands; then this becomes `pnpm run check:biome`.
pnpm run --silent lint

log "running the tests"
results=.svm-test-results.json
set +e
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$results"
status=$?
set -e
# One closing line any CI can read: 'N passed, N failed, N skipped'.
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' "$results" || true
exit $status
