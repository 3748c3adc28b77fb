#!/usr/bin/env bash
# `npm test`: lint, type-check and the whole suite, including the lab tests
# (which need root and create their own lab, "test", torn down at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npx biome check .
npx tsc -p tsconfig.json --noEmit
npm run --silent build
npx vitest run
