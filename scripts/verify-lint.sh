#!/usr/bin/env bash
# ESLint (flat config, typescript-eslint type-aware rules): eslint.config.js.
set -euo pipefail
cd "$(dirname "$0")/.."
npx eslint --max-warnings 0 .
