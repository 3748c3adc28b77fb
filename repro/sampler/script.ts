import { execBashLine } from '../../kit/bash-handoff.js';
import { shellQuote } from '../../kit/shell-quote.js';

// The on-host sampler: a shell loop that prints one framed sample every
// interval, streamed back over the already-open SSH connection. It stops when
// killed (by its DROPKIT_TAG) or after maxSeconds, so it can never outlive a
// lost connection by long.
//
// Cost is forks. Under bash 5 (nearly every server) a sample forks nothing:
// the clock is $EPOCHREALTIME and the sleep is `read -t` on a pipe that never
// sees EOF. Elsewhere (dash, busybox) it falls back to POSIX sh, which forks
// `date` and `sleep` once per sample. softnet_stat and sysfs counters are
// read with the shell's own `read` in both (seq_file and sysfs support
// byte-wise reads, unlike procfs sysctls). Deadlines are absolute, so the
// loop does not drift by its own run time.
//
// The protocol counters (the Udp and Tcp lines of /proc/net/snmp, TcpExt of
// /proc/net/netstat; snmp.ts picks the counters) cost the kernel a sum over
// every CPU per read. Under bash, /proc/net/snmp (Udp RcvbufErrors, the
// headline of a socket loss) is read with `mapfile`, in a few read(2)
// calls, every sample (about 0.13 ms); the 4 KB of TcpExt (listen queue and
// TCP receive drops) about once a second, with ethtool. dash and busybox read
// a file one byte per read(2), 2 to 4 ms for these: they read both once a
// second. The names lines go out in the first sample only; values lines in
// every sample that reads them.
//
// The slow rate (every Nth sample, about once a second) also carries what
// costs a fork or a driver's lock: `ethtool -S` of the data interface and of
// its lower devices that are backed by a device, which on Azure is the
// accelerated-networking VF (mlx5_core or mana) enslaved to the hv_netvsc
// interface: traffic takes the VF, so its drops (rx_out_of_buffer,
// hc_rx_discards_no_wqe) show there and not on the data interface. The VF is
// found by a glob over /sys/class/net/<di>/lower_*, evaluated again at each
// slow sample, no fork: Azure removes the VF during host servicing and adds
// it back, maybe under a new name. A bridge's veths are not backed by a
// device and are skipped; at most 4 lower devices are read. Also at that
// rate: the cpuN lines of /proc/stat (softirq and steal time per CPU), read
// by the shell (pt below). Measured on a 2-vCPU VM: each ethtool -S is 5 to
// 8 ms of CPU (fork and exec), so a VF adds under 1% of a core; /proc/stat's
// CPU lines 0.17 ms under bash, 0.3 to 0.5 ms under dash and busybox.
//
// Output, one sample (<B> is an unguessable boundary, as in the snapshot
// script: ethtool's output, which a driver or a host fills, cannot end a
// sample or start another):
//   <B> S <seq> <host ns>
//   <softnet_stat rows as printed>
//   N <iface>/<counter> <value>            every sysfs statistics counter
//   P <group>: <names or values>           protocol counter lines, as printed
//   <B> X< <iface> … ethtool -S … <B> X>   every Nth sample: the data interface, then
//                                          each device-backed lower of it (the VF)
//   T cpuN <ticks as printed>              every Nth sample: /proc/stat's CPU lines
//   <B> C <cpu ticks>                      every Nth sample: the sampler's own CPU so far
//   <B> E

export interface SamplerOptions {
  intervalMs: number;
  // The slow rate: every this many samples, ethtool -S of the data interface
  // and of its VF, TcpExt, and /proc/stat's CPU lines.
  ethtoolEvery: number;
  dataIface?: string;
  maxSeconds: number;
  // The frame marker (newBoundary() in collectors/snapshot/script.ts).
  boundary: string;
  // Force the POSIX variant (tests).
  posixOnly?: boolean;
}

// The part both variants share: one sample's body, after `printf 'S …'`.
const BODY = `
  while read -r l; do printf '%s\\n' "$l"; done < /proc/net/softnet_stat
  for f in /sys/class/net/*/statistics/*; do
    read -r v < "$f" 2>/dev/null || continue
    i=\${f%/statistics/*}; printf 'N %s/%s %s\\n' "\${i##*/}" "\${f##*/}" "$v"
  done
  [ $((seq % pe)) -eq 0 ] && pu
  if [ $((seq % every)) -eq 0 ]; then
    px
    if [ -n "$E" ] && [ -n "$di" ]; then
      xs "$di"
      # The device-backed lower devices of the data interface: the VF.
      k=0
      for l in /sys/class/net/"$di"/lower_*; do
        [ $k -lt 4 ] && [ -e "$l/device" ] || continue
        k=$((k + 1)); xs "\${l##*/lower_}"
      done
    fi
    pt
    # The sampler's own CPU (utime+stime+cutime+cstime, USER_HZ ticks, which
    # the kernel always reports at 100/s), so its cost is measured, not guessed.
    read -r st < /proc/$$/stat; set -- \${st#*) }; printf '%s C %s\\n' "$B" $((\${12} + \${13} + \${14} + \${15}))
  fi
  printf '%s E\\n' "$B"
  seq=$((seq + 1))`;

// The body of a `case $l` over the protocol counter lines of these groups:
// every values line goes out, the names lines in the first sample only. The
// caller closes it with `esac`.
const PN_CASE = (groups: string[]) => `case $l in
    ${groups.map((g) => `${g}:\\ [-0-9]*`).join('|')}) printf 'P %s\\n' "$l" ;;
    ${groups.map((g) => `${g}:*`).join('|')}) [ "$seq" -eq 0 ] && printf 'P %s\\n' "$l" ;;`;

function bashVariant(): string {
  return `
exec 9<> <(:)
E=''; command -v ethtool >/dev/null 2>&1 && E=ethtool
pu() {
  _p=(); mapfile -t _p 2>/dev/null </proc/net/snmp
  for l in "\${_p[@]}"; do ${PN_CASE(['Udp', 'Tcp'])}
  esac; done
}
# TcpExt is the first group of /proc/net/netstat: its two lines are enough.
px() {
  _x=(); mapfile -t -n 2 _x 2>/dev/null </proc/net/netstat
  for l in "\${_x[@]}"; do ${PN_CASE(['TcpExt'])}
  esac; done
}
pe=1
now() { t=\${EPOCHREALTIME//[!0-9]/}; t=$((t * 1000)); }
now; start=$t; next=$t; seq=0
while :; do
  now
  printf '%s S %s %s\\n' "$B" "$seq" "$t"${BODY}
  [ $((t - start)) -ge $((max * 1000000000)) ] && exit 0
  next=$((next + iv))
  now
  d=$((next - t))
  if [ "$d" -le 0 ]; then next=$t; continue; fi
  printf -v s '%d.%06d' $((d / 1000000000)) $(((d % 1000000000) / 1000))
  read -t "$s" -u 9
done
`;
}

function posixVariant(): string {
  return `
E=''; command -v ethtool >/dev/null 2>&1 && E=ethtool
# Udp comes after Tcp, and the rest of /proc/net/snmp is not needed.
pu() {
  while read -r l; do ${PN_CASE(['Udp', 'Tcp'])}
    UdpLite:*) break ;;
  esac; done 2>/dev/null </proc/net/snmp
}
px() {
  k=0; while [ $k -lt 2 ] && read -r l; do k=$((k + 1)); ${PN_CASE(['TcpExt'])}
  esac; done 2>/dev/null </proc/net/netstat
}
pe=$every
start=$(date +%s%N); next=$start; seq=0
while :; do
  t=$(date +%s%N)
  printf '%s S %s %s\\n' "$B" "$seq" "$t"${BODY}
  [ $((t - start)) -ge $((max * 1000000000)) ] && exit 0
  next=$((next + iv))
  # One clock read per sample: the sleep is computed from the sample's start,
  # so it overshoots by this sample's work and the next one corrects it.
  d=$((next - t))
  if [ "$d" -le 0 ]; then next=$t; continue; fi
  sleep "$((d / 1000000000)).$(printf '%09d' $((d % 1000000000)))"
done
`;
}

// Helpers both variants share. xs: one interface's ethtool -S, framed, not
// prefixed line by line (a pipe into a read loop costs a fork); an interface
// that vanished prints nothing between the frames. pt: the cpuN lines of
// /proc/stat, which come first. The `intr` line after them can be tens of KB,
// which dash and busybox would read one byte per read(2): the first read
// counts the CPUs (nc), and the later ones stop after that many, before it.
// A CPU that went offline ends the loop at `intr` and lowers the count; one
// brought online after the sampler started is not read.
const SHARED = `
nc=0
xs() { printf '%s X< %s\\n' "$B" "$1"; $E -S "$1" 2>/dev/null; printf '\\n%s X>\\n' "$B"; }
pt() {
  k=0
  while read -r l; do case $l in
    cpu[0-9]*) printf 'T %s\\n' "$l"; k=$((k + 1)); [ "$k" = "$nc" ] && break ;;
    cpu*) ;;
    *) break ;;
  esac; done 2>/dev/null </proc/stat
  nc=$k
}`;

export function samplerScript(o: SamplerOptions): string {
  const vars = `B=${shellQuote(o.boundary)}; iv=${Math.round(o.intervalMs * 1e6)}; every=${Math.max(1, Math.round(o.ethtoolEvery))}; di=${o.dataIface ? shellQuote(o.dataIface) : "''"}; max=${Math.round(o.maxSeconds)}`;
  const bash = `${vars}${SHARED}\n${bashVariant()}`;
  const pick = o.posixOnly
    ? ''
    : execBashLine(bash, 'dropkit-sampler', ` && bash -c '[ -n "$EPOCHREALTIME" ]' 2>/dev/null`);
  return `${pick}${vars}${SHARED}\n${posixVariant()}`;
}
