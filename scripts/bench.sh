#!/usr/bin/env bash
# `npm run bench`: prints the figures for each performance target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# The peer tool for the bundle benchmark, and GNU time for peak memory.
command -v sos >/dev/null 2>&1 && [ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sosreport time >/dev/null; }
npm run --silent build
for b in scripts/bench/*.mjs; do
  [ "$(basename "$b")" = lib.mjs ] && continue
  node "$b"
done
