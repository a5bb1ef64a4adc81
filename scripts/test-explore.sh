#!/usr/bin/env bash
# Run the fast-check property tests with NEW random seeds (the normal suite and CI use a fixed seed, see
# scripts/vitest-fast-check-seed.ts). Usage: pnpm test:explore [rounds] [vitest filters…]
# A failure prints fast-check's `{ seed: …, path: … }` and the counterexample: reproduce it with
# `SVM_FC_SEED=<seed> pnpm exec vitest run <file>`, then add the counterexample as a fixed regression case.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-1}"
shift || true
mapfile -t files < <(grep -rl --include='*.test.ts' -e "from 'fast-check'" packages examples | grep -v node_modules | sort)
if [ "$#" -gt 0 ]; then
  mapfile -t files < <(printf '%s\n' "${files[@]}" | grep -F -f <(printf '%s\n' "$@"))
fi
echo "exploring ${#files[@]} property test files with random seeds, ${rounds} round(s)"
for ((i = 1; i <= rounds; i++)); do
  echo "round $i/$rounds"
  SVM_FC_SEED=random pnpm exec vitest run "${files[@]}"
done
