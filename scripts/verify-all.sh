#!/usr/bin/env bash
# make verify: runs every verify-* check, reports each, fails if any failed. All checks
# run even after a failure so one pass shows everything that needs fixing.
set -euo pipefail
cd "$(dirname "$0")/.."
failed=()
for check in format lint layers types; do
  echo "== verify-$check"
  if ! "scripts/verify-$check.sh"; then
    failed+=("$check")
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "verify failed: ${failed[*]} (formatting: 'make update' rewrites it)" >&2
  exit 1
fi
echo "verify: all checks passed"
