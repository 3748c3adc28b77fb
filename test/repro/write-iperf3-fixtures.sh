#!/bin/sh
# Writes the real iperf3 JSON captures in test/fixtures/iperf3/, by hand, once:
#   sh test/repro/write-iperf3-fixtures.sh [BASE_PORT]
# Every run sends traffic to 127.0.0.1 only and lasts 1-2 s. The parser tests
# read the committed captures, so they do not need iperf3.
set -eu
cd "$(dirname "$0")/../fixtures/iperf3"
base=${1:-25201}
host=127.0.0.1

# pair NAME PORT CLIENT_ARGS...: one-off server and one client, both JSON.
pair() {
  name=$1 port=$2
  shift 2
  iperf3 -s -1 -J -p "$port" >"$name-server.json" 2>/dev/null &
  spid=$!
  sleep 0.5
  iperf3 -c "$host" -p "$port" -J --get-server-output "$@" >"$name-client.json" 2>/dev/null || true
  wait "$spid" || true
}

pair udp-burst-P2 "$base" -u -b 500M/32 -P 2 -l 1400 -t 2 -i 0.5
pair tcp-P2 $((base + 1)) -P 2 -t 2 -i 0.5
pair udp-reverse $((base + 2)) -u -b 200M -l 1400 -R -t 1
pair tcp-bidir $((base + 3)) --bidir -P 2 -t 1
pair udp-bidir $((base + 4)) -u -b 100M -l 1400 --bidir -t 1
pair tcp-reverse $((base + 8)) -R -t 1
# A target no sender reaches: the client is CPU-bound far below it.
pair udp-sender-bound $((base + 9)) -u -b 100G -l 1400 -t 2
# -w: what the receiving socket asked for against what it got (rmem_max was
# 4194304 here, so 8M is capped and 2M is not).
pair udp-window-8M $((base + 10)) -u -b 200M -l 1400 -w 8M -t 1
pair udp-window-2M $((base + 11)) -u -b 200M -l 1400 -w 2M -t 1

# A closed port: iperf3 3.12 prints {"error": "unable to connect ..."} and,
# with -J, still exits 0.
iperf3 -c "$host" -p $((base + 5)) -J >error-refused-client.json 2>/dev/null || true

# A busy server: a second client while the first one runs.
port=$((base + 6))
iperf3 -s -1 -J -p "$port" >/dev/null 2>&1 &
spid=$!
sleep 0.5
iperf3 -c "$host" -p "$port" -u -b 10M -t 2 -J >/dev/null 2>&1 &
cpid=$!
sleep 0.5
iperf3 -c "$host" -p "$port" -J >error-busy-client.json 2>/dev/null || true
wait "$cpid" || true
wait "$spid" || true

# SIGTERM in the middle of a 10 s run: both sides still print JSON, with an
# "error" field and the totals so far.
port=$((base + 7))
iperf3 -s -1 -J -p "$port" >sigterm-server.json 2>/dev/null &
spid=$!
sleep 0.5
iperf3 -c "$host" -p "$port" -J --get-server-output -u -b 100M -l 1400 -t 10 >sigterm-client.json 2>/dev/null &
cpid=$!
sleep 1.5
kill -TERM "$cpid"
wait "$cpid" || true
wait "$spid" || true
ls -l
