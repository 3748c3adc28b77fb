#!/bin/sh
# Writes the captures in this folder, by hand, once, as root:
#   sh test/fakes/captures/capture.sh
# Two hosts as in the lab, vmA (198.18.0.11/15) and vmB (198.18.0.12/15), each
# in network, UTS and mount namespaces of its own: nothing outside them is
# touched, and no traffic leaves them. The fake transport's tests read the
# committed files, so they need neither root nor iperf3.
set -eu
# sysctl-vmB.txt is `sysctl <the snapshot's drop sysctls>` on the lab's
# machine, in the initial network namespace (the lab hosts share its kernel).
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The scripts exactly as dropkit sends them.
cat >"$tmp/print.ts" <<TS
import { PROBE_SCRIPT } from '$root/kit/doctor/probe.ts';
import { PORTS_SCRIPT } from '$root/repro/run/ports.ts';
process.stdout.write(process.argv[2] === 'probe' ? PROBE_SCRIPT : PORTS_SCRIPT);
TS
"$root/node_modules/.bin/esbuild" --bundle --platform=node --format=esm --log-level=warning \
  "$tmp/print.ts" --outfile="$tmp/print.mjs"
node "$tmp/print.mjs" probe >"$tmp/probe.sh"
node "$tmp/print.mjs" ports >"$tmp/ports.sh"

# host NAME ADDRESS: the namespaces, then the captures in them (body on stdin).
host() {
  unshare -n -u -m sh -s "$1" "$2" "$tmp" "$here"
}

host vmA 198.18.0.11 <<'SH'
set -eu
name=$1 addr=$2 tmp=$3 out=$4
hostname "$name"
mount -t tracefs nodev /sys/kernel/tracing
ip link set lo up
ip link add eth0 type veth peer name eth1
ip addr add "$addr/15" dev eth0
ip link set eth0 up
ip link set eth1 up
sh -s <"$tmp/probe.sh" >"$out/probe-vmA.txt"
ip -o route get 198.18.0.12 >"$out/route-get-vmA.txt"
# No route (no default route here): iproute2 says so on stderr, exit 2.
ip -o route get 203.0.113.9 2>"$out/route-get-vmA-unreachable.txt" || true
# Snapshot sections, as the collectors run them.
uname -a >"$out/uname-vmA.txt"
{ uname -n; hostname -f 2>/dev/null || true; } >"$out/hostname-vmA.txt"
cat /proc/net/dev >"$out/proc-net-dev-vmA.txt"
SH

host vmB 198.18.0.12 <<'SH'
set -eu
name=$1 addr=$2 tmp=$3 out=$4
hostname "$name"
mount -t tracefs nodev /sys/kernel/tracing
ip link set lo up
ip link add eth0 type veth peer name eth1
ip addr add "$addr/15" dev eth0
ip link set eth0 up
ip link set eth1 up
sh -s <"$tmp/probe.sh" >"$out/probe-vmB.txt"
uname -a >"$out/uname-vmB.txt"
{ uname -n; hostname -f 2>/dev/null || true; } >"$out/hostname-vmB.txt"
cat /proc/net/dev >"$out/proc-net-dev-vmB.txt"
cat /sys/kernel/tracing/events/skb/kfree_skb/format >"$out/kfree_skb-format.txt"
sh -s <"$tmp/ports.sh" >"$out/proc-net-vmB-idle.txt"
# listening PORT: the ports script while an iperf3 server listens there.
listening() {
  iperf3 -s -p "$1" >/dev/null 2>&1 &
  p=$!
  sleep 0.5
  sh -s <"$tmp/ports.sh" >"$out/proc-net-vmB-iperf3-$1.txt"
  kill "$p"
  wait "$p" || true
}
listening 5201
listening 5290
# iperf3 hidden, as the lab's preflight test does it.
mount --bind /dev/null /usr/bin/iperf3
sh -s <"$tmp/probe.sh" >"$out/probe-vmB-no-iperf3.txt"
SH
