#!/usr/bin/env bash
# tsc --noEmit over src, test and bench (tests included, as hono runs tsc before its tests).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json --noEmit --tsBuildInfoFile dist/.tsbuildinfo-verify
