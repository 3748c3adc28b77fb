#!/usr/bin/env bash
# `npm run demo`: builds the lab and runs the main job end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npx tsc -p tsconfig.build.json
repro() { node dist/kit/cli/repro.js "$@"; }

echo "== repro lab up"
repro lab up
echo
echo "== repro doctor --pair vmA vmB"
repro doctor --pair vmA vmB
echo
echo "The lab stays up for you to explore (repro lab status); remove it with: node dist/kit/cli/repro.js lab down"
