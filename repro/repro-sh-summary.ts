import { sh } from './sh-template.js';

// The before/after summary repro.sh prints: softnet_stat per CPU (hex, 32-bit,
// wraps) and the interfaces whose receive drop counters moved. Plain POSIX
// awk: no strtonum (gawk only), so hex is converted by hand.
export const SUMMARY_SH = sh`
softnet_summary() {
  if [ ! -s "$1" ] || [ ! -s "$2" ]; then
    echo "softnet_stat: not captured (no /proc/net/softnet_stat)"
    return 0
  fi
  awk '
  function hex(s,   i, n, c) {
    n = 0; s = tolower(s)
    for (i = 1; i <= length(s); i++) {
      c = index("0123456789abcdef", substr(s, i, 1))
      if (c == 0) return 0
      n = n * 16 + c - 1
    }
    return n
  }
  function delta(a, b) { return b >= a ? b - a : b - a + 4294967296 }
  FNR == 1 { f++ }
  {
    # Column 13 is the CPU id since Linux 5.10; older kernels list online
    # CPUs in order, so the row number stands in for it.
    cpu = NF >= 13 ? hex($13) : FNR - 1
    if (f == 1) { bd[cpu] = hex($2); bs[cpu] = hex($3) }
    else { ad[cpu] = hex($2); as[cpu] = hex($3); order[++n] = cpu }
  }
  END {
    print "softnet_stat per CPU (dropped: backlog full, netdev_max_backlog; squeezed: netdev_budget ran out)"
    printf "%-5s %14s %14s %10s   %15s %15s %10s\n", "cpu", "dropped_before", "dropped_after", "delta", "squeezed_before", "squeezed_after", "delta"
    for (i = 1; i <= n; i++) {
      c = order[i]
      printf "%-5s %14.0f %14.0f %10.0f   %15.0f %15.0f %10.0f\n", c, bd[c], ad[c], delta(bd[c], ad[c]), bs[c], as[c], delta(bs[c], as[c])
      td += delta(bd[c], ad[c]); ts += delta(bs[c], as[c])
    }
    printf "total: %.0f dropped, %.0f squeezed during the run\n", td, ts
  }' "$1" "$2"
}

iface_summary() {
  if [ ! -s "$1" ] || [ ! -s "$2" ]; then
    echo "interfaces: counters not captured (no /sys/class/net/*/statistics)"
    return 0
  fi
  awk '
  {
    n = split($1, p, "/")
    name = p[n]
    if (name != "rx_dropped" && name != "rx_missed_errors" && name != "rx_fifo_errors" && name != "rx_over_errors") next
    key = p[n - 2] " " name
    if (FNR == NR) { before[key] = $2; next }
    # Compared as text first: 64-bit counters lose precision as awk numbers.
    if ((key in before) && before[key] != $2) {
      moved[++m] = sprintf("%-16s %-18s %15s -> %-15s (+%.0f)", p[n - 2], name, before[key], $2, $2 - before[key])
    }
  }
  END {
    print "interfaces whose receive drop counters moved (rx_dropped, rx_missed_errors, rx_fifo_errors, rx_over_errors):"
    if (m == 0) print "  none"
    for (i = 1; i <= m; i++) print "  " moved[i]
  }' "$1" "$2"
}

# The protocol counters that tell the drop sites apart: a full socket buffer
# (Udp RcvbufErrors: the application was too slow) is not a network drop.
snmp_summary() {
  if [ ! -s "$1" ] || [ ! -s "$2" ]; then
    echo "/proc/net/snmp: not captured"
    return 0
  fi
  awk '
  # /proc/net/snmp comes in pairs of lines: the names, then the values.
  FNR == 1 { f++; split("", names) }
  {
    if (!($1 in names)) { names[$1] = $0; next }
    n = split(names[$1], h)
    for (i = 2; i <= n; i++) v[f, $1 h[i]] = $i
    delete names[$1]
  }
  END {
    k = split("Udp:InErrors Udp:RcvbufErrors Udp:NoPorts Tcp:RetransSegs Tcp:InErrs", keys, " ")
    line = ""
    for (i = 1; i <= k; i++) {
      if (!((1, keys[i]) in v) || !((2, keys[i]) in v)) continue
      line = line sprintf("%s%s +%.0f", line == "" ? "" : ", ", keys[i], v[2, keys[i]] - v[1, keys[i]])
    }
    print "/proc/net/snmp during the run: " (line == "" ? "no counters found" : line)
  }' "$1" "$2"
}

# One line from an iperf3 -J file: the end totals of the main direction. iperf3
# (cJSON) indents with tabs, so the depth tells the top-level "end" apart from
# the one inside server_output_json. Best effort: the JSON file is the record.
phase_line() {
  if [ ! -r "$1" ]; then
    echo "phase $2: no result"
    return 0
  fi
  awk -v phase="$2" '
  function val(s) { sub(/^[^:]*:[ \t]*/, "", s); sub(/,[ \t]*$/, "", s); gsub(/"/, "", s); return s }
  function add(s) { line = line == "" ? s : line ", " s }
  /^\t"error":/ { err = val($0) }
  /^\t"end":/ { inend = 1; next }
  /^\t"server_output_json":/ { inend = 0; blk = "" }
  inend && /^\t\t"/ { blk = ""; if ($0 ~ /^\t\t"sum_sent":/) blk = "s"; if ($0 ~ /^\t\t"sum_received":/) blk = "r" }
  blk != "" && /^\t\t\t"bits_per_second":/ { bps[blk] = val($0) }
  blk == "s" && /^\t\t\t"retransmits":/ { retr = val($0) }
  blk == "r" && /^\t\t\t"lost_packets":/ { lost = val($0) }
  blk == "r" && /^\t\t\t"packets":/ { pk = val($0) }
  blk == "r" && /^\t\t\t"lost_percent":/ { lp = val($0) }
  END {
    # Each side leaves zeros in the half it did not measure: skip those.
    if (bps["s"] + 0 > 0) add(sprintf("sent %.2f Gbit/s", bps["s"] / 1e9))
    if (bps["r"] + 0 > 0) add(sprintf("received %.2f Gbit/s", bps["r"] / 1e9))
    if (pk + 0 > 0) add(sprintf("lost %s of %s packets (%.3f%%)", lost, pk, lp))
    if (retr != "") add(retr " TCP retransmits")
    if (err != "") add("iperf3 error: " err)
    print "phase " phase ": " (line == "" ? "no result" : line)
  }' "$1"
}
`;
