#!/usr/bin/env bash
# make test after deps and build: verify, then every tier in ONE node --test run so its
# summary is the last thing printed. A verify failure does not stop the tests (one CI run
# shows everything), but it still fails the target.
set -euo pipefail
cd "$(dirname "$0")/.."
concurrency="${TEST_CONCURRENCY:-4}"

verify_failed=0
scripts/verify-all.sh || verify_failed=1

scripts/require-root.sh "the integration tier drives runc, conmon and CNI; run 'make test-unit' for the quick tiers"

mapfile -t unit < <(find dist/src -name '*.test.js' | sort)
mapfile -t integration < <(find dist/test -name '*.test.js' -not -path '*/e2e/*' | sort)
mapfile -t e2e < <(find dist/test -path '*/e2e/*' -name '*.test.js' | sort)
if [ ${#e2e[@]} -eq 0 ] || [ ! -x bin/podbay ]; then
  echo "error: no e2e tests or no ./bin/podbay; run 'make build' first" >&2
  exit 1
fi
if [ "$verify_failed" -ne 0 ]; then
  echo "note: verify failed (see above); running the tests anyway, make test will fail" >&2
fi

rc=0
node --test --test-concurrency="$concurrency" --test-timeout="${TEST_TIMEOUT_MS:-180000}" "${unit[@]}" "${integration[@]}" "${e2e[@]}" || rc=$?
if [ "$rc" -eq 0 ] && [ "$verify_failed" -ne 0 ]; then
  rc=1
fi
exit "$rc"
