import { shellQuote } from '../../kit/shell-quote.js';

// Drop-reason tracing on a host (root): skb:kfree_skb in a PRIVATE tracefs
// instance (never the global buffer or anyone else's instance), aggregated
// on the host by reason and drop location, per interval, so only counts
// cross the network. The kernel prints reason names itself, from its own
// enum (numbers differ across kernels); the event's format file is sent
// first as evidence. Kernels without a reason field are grouped by location.
//
// Cost is bounded: the instance's buffer is small (1 MiB per CPU unless the
// caller asks otherwise; the bundle records the size asked for), and when
// awk cannot keep up the kernel overwrites events instead of slowing the
// host; the overrun count is reported, so the bundle says the trace was
// capped. Teardown (disable, rmdir) runs on SIGTERM (the tied channel's stop,
// or a lost connection) and on any exit.
//
// The O line comes after the instance is removed: a tracer that ended
// without it may have left its instance (leftoverScript removes it).
//
// The trace's timestamps are on the instance's trace clock (`local` unless
// the host was set otherwise: seconds since boot), which the tracer prints
// (K). At its start and before its end it writes a trace marker, reads the
// wall clock, and writes another: the R line ties the trace clock to UTC
// (clock.ts), within half the markers' gap.
//
// Output:
//   F< … format file … F>
//   K <trace_clock as the instance lists it: "[local] global counter …">
//   R <trace s> <trace s> <wall s.ns>   the wall clock, read between two markers
//   I <count> <reason|-> <location>   aggregated counts, one block per interval
//   T <uptime-seconds>                end of an interval
//   O <overruns>                      events lost to the cap, at the end
//   Q <reason for not tracing>        when tracing cannot run

// The per-CPU buffer of the private instance, in KiB, when the caller does
// not ask for another size.
export const DEFAULT_TRACE_BUFFER_KB = 1024;

export function traceScript(o: {
  instance: string;
  intervalMs: number;
  bufferKb?: number;
}): string {
  const ticks = Math.max(1, Math.round(o.intervalMs / 250));
  return `
T=/sys/kernel/tracing; [ -d "$T/instances" ] || T=/sys/kernel/debug/tracing
[ -d "$T/instances" ] || { echo "Q tracefs not mounted"; exit 0; }
E=events/skb/kfree_skb
[ -e "$T/$E/format" ] || { echo "Q no skb:kfree_skb event"; exit 0; }
I="$T/instances/"${shellQuote(o.instance)}
mkdir "$I" 2>/dev/null || { echo "Q cannot create a tracefs instance"; exit 0; }
a=''
done_=''
cleanup() {
  [ -n "$done_" ] && return; done_=1
  # No second signal may cut the teardown short: a stop often brings two
  # TERMs (the tie's watcher and a sweep), and the TERM trap's \`exit\` would
  # end the shell halfway, leaving the instance (event off, directory still
  # there: what CI found). A closed channel must not kill it either (PIPE).
  trap '' TERM INT HUP PIPE
  # The event goes off first: a stop that escalates to SIGKILL (a sweep gives
  # three seconds of grace) must not leave the host tracing. The end marker still
  # reaches awk, which flushes the last interval.
  echo 0 > "$I/$E/enable" 2>/dev/null
  if [ -n "$a" ]; then
    ref
    echo end > "$I/trace_marker" 2>/dev/null
    # awk exits on the end marker; never wait on it for long, and leave no
    # helper process behind (it would hold the channel open).
    i=0; while kill -0 "$a" 2>/dev/null && [ $i -lt 8 ]; do sleep 0.05; i=$((i + 1)); done
    kill "$a" 2>/dev/null; wait "$a" 2>/dev/null
  fi
  o=0; for s in "$I"/per_cpu/cpu*/stats; do v=$(sed -n 's/^overrun: //p' "$s" 2>/dev/null); o=$((o + \${v:-0})); done
  # The last reader of trace_pipe may take a moment to let go (EBUSY).
  i=0; until rmdir "$I" 2>/dev/null || [ $i -ge 40 ]; do sleep 0.05; i=$((i + 1)); done
  printf 'O %s\\n' "$o"
}
ref() {
  echo clock- > "$I/trace_marker" 2>/dev/null
  w=$(date +%s.%N 2>/dev/null); echo "clock $w" > "$I/trace_marker" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 0' TERM INT HUP
printf 'F<\\n'; cat "$T/$E/format"; printf '\\nF>\\n'
read -r k < "$I/trace_clock" 2>/dev/null && printf 'K %s\\n' "$k"
echo ${o.bufferKb ?? DEFAULT_TRACE_BUFFER_KB} > "$I/buffer_size_kb"
echo 1 > "$I/$E/enable"
# mawk reads pipes in blocks unless told to be interactive.
W=''; awk -W version 2>&1 | grep -q mawk && W='-W interactive'
awk $W '
  function flush(ts) { for (k in c) printf "I %d %s\\n", c[k], k; delete c; printf "T %s\\n", ts; fflush() }
  /tracing_mark_write: tick/ { sub(":", "", $4); flush($4); next }
  /tracing_mark_write: end/ { sub(":", "", $4); flush($4); exit }
  /tracing_mark_write: clock-/ { sub(":", "", $4); c0 = $4; next }
  /tracing_mark_write: clock [0-9]/ {
    sub(":", "", $4); if (c0 != "") printf "R %s %s %s\\n", c0, $4, $NF; c0 = ""; fflush(); next
  }
  / kfree_skb: / {
    loc = "-"; rsn = "-"
    if (match($0, /location=[^ ]+/)) { loc = substr($0, RSTART + 9, RLENGTH - 9); sub(/\\+0x.*/, "", loc) }
    if (match($0, /reason: [A-Z0-9_]+/)) rsn = substr($0, RSTART + 8, RLENGTH - 8)
    c[rsn " " loc]++
  }
' < "$I/trace_pipe" &
a=$!
ref
n=0
while kill -0 "$a" 2>/dev/null; do
  sleep 0.25
  n=$((n + 1))
  [ $((n % ${ticks})) -eq 0 ] && echo tick > "$I/trace_marker"
done
`;
}

// Removes the instance if a tracer left it (its teardown cut short, or a
// reader slow to let go: EBUSY for a moment). Prints `removed` when there was one.
export function leftoverScript(instance: string): string {
  const name = shellQuote(instance);
  return `for T in /sys/kernel/tracing /sys/kernel/debug/tracing; do
  I="$T/instances/"${name}
  [ -d "$I" ] || continue
  echo 0 > "$I/events/skb/kfree_skb/enable" 2>/dev/null
  i=0; until rmdir "$I" 2>/dev/null; do
    i=$((i + 1)); [ $i -ge 20 ] && break; sleep 0.1
  done
  [ -d "$I" ] || echo removed
done
exit 0
`;
}
