#!/usr/bin/env bash
# Rewrites every file Prettier formats; the pair of scripts/verify-format.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
npx prettier --write --log-level warn .
