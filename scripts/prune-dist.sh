#!/usr/bin/env bash
# Removes compiled files in the output dir whose TypeScript source is gone, so a
# deleted test never runs from a stale dist/ (tsc's incremental build leaves them).
set -euo pipefail
out="${1:?usage: prune-dist.sh OUTDIR}"
[ -d "$out" ] || exit 0
while IFS= read -r -d '' js; do
  rel="${js#"$out"/}"
  src="${rel%.js}.ts"
  if [ ! -f "$src" ]; then
    rm -f "$js" "$js.map"
  fi
done < <(find "$out" -name '*.js' -not -path '*/node_modules/*' -print0)
