#!/usr/bin/env bash
# Prettier with the committed config; 'make update' (scripts/update-format.sh) fixes it.
set -euo pipefail
cd "$(dirname "$0")/.."
npx prettier --check --log-level warn .
