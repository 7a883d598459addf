#!/usr/bin/env bash
# The one test command (npm test): installs what the tests need, then runs every runner and
# ends with one line "N passed, N failed" summed over all of them.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh || exit 1
[ -d node_modules ] || npm install --no-audit --no-fund || exit 1

counts=.tmp/counts
rm -rf "$counts" && mkdir -p "$counts"
status=0
run() { # name, command...
  local name=$1; shift
  echo "=== $name"
  "$@" || status=1
}

run typecheck bash -c 'npx tsc --noEmit -p tsconfig.json && echo "1 0" > .tmp/counts/typecheck || { echo "0 1" > .tmp/counts/typecheck; exit 1; }'
run deps bash -c 'node scripts/deps-check.mjs && echo "1 0" > .tmp/counts/deps || { echo "0 1" > .tmp/counts/deps; exit 1; }'
run build npm run --silent build
run node node scripts/run-node-tests.mjs "$counts/node"
if [ -f web-test-runner.config.mjs ] && ls widget/**/*.test.ts widget/*.test.ts >/dev/null 2>&1; then
  run widget node scripts/run-wtr.mjs "$counts/wtr"
fi
if [ -f scripts/size.mjs ]; then
  run size bash -c 'node scripts/size.mjs && echo "1 0" > .tmp/counts/size || { echo "0 1" > .tmp/counts/size; exit 1; }'
fi

passed=0; failed=0
for f in "$counts"/*; do
  read -r p q < "$f"; passed=$((passed + p)); failed=$((failed + q))
done
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
