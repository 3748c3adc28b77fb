#!/usr/bin/env bash
# `npm run demo`: the seed story on the lab, end to end. Two "VMs" with real
# sshd; the receiver's backlog shrunk to 10 packets and its RPS steered to
# CPU 1; the same 10 s UDP microburst as a baseline and with the fix
# (netdev_max_backlog 32768, applied for its run and restored); a verified,
# redacted bundle that opens with the comparison table: the backlog drops,
# where and when, and gone with the fix; and its report.html, with the
# charts, written beside it to open in a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npm run --silent build
repro() { node dist/bin/repro.js "$@"; }
collect() { node dist/bin/collect.js "$@"; }
out=${DEMO_OUT:-demo-bundles}
mkdir -p "$out"

echo "== repro lab up"
repro lab up
echo
echo "== repro doctor --pair vmA vmB"
repro doctor --pair vmA vmB
echo
# The impairment is machine-wide (one kernel): always undo it.
trap 'echo; echo "== repro lab impair --reset"; repro lab impair --reset' EXIT
echo "== repro lab impair --backlog 10 --rps-to-cpu 1"
repro lab impair --backlog 10 --rps-to-cpu 1
echo
echo "== repro compare --pair vmA vmB --variant baseline --variant backlog --out $out"
set +e
repro compare --pair vmA vmB --variant baseline --variant backlog --out "$out" | tee "$out/last-run.txt"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" -eq 0 ] || { echo "repro compare exited $rc" >&2; exit "$rc"; }
bundle=$(sed -n 's/^bundle: //p' "$out/last-run.txt")
echo
echo "== collect verify $bundle"
collect verify "$bundle"
echo
echo "== collect show $bundle (first screen: the comparison)"
collect show "$bundle" | head -n 24
echo
echo "== collect report $bundle"
written=$(collect report "$bundle")
echo "$written"
report=$(printf '%s\n' "$written" | sed -n 's/^report: //p')
echo
echo "The bundle is at: $bundle"
echo "Its report (also inside it, as report.html): $report"
echo "The lab stays up (repro lab status); remove it with: node dist/bin/repro.js lab down"
