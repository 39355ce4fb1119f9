#!/usr/bin/env bash
# Fails at once, with the reason, when not root (STYLE.md §11: a root tier is never
# skipped in silence).
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "error: this target needs root: ${1:-}" >&2
  exit 1
fi
