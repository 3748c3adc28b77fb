#!/usr/bin/env bash
# `npm run bench`: prints the figures for each performance target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npx tsc -p tsconfig.build.json
for b in scripts/bench/*.mjs; do
  [ "$(basename "$b")" = lib.mjs ] && continue
  node "$b"
done
