#!/usr/bin/env bash
# Layer rules of STYLE.md §8 (dependency-cruiser resolves the real files): .dependency-cruiser.cjs.
set -euo pipefail
cd "$(dirname "$0")/.."
npx depcruise --config .dependency-cruiser.cjs --output-type err src test bench
