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
// Interfaces: a Kubernetes node carries one veth per pod, 200 interfaces and
// more. Reading each one's 23 sysfs counters took 79 ms a sample with 100
// pods (a sampler at 100 ms fell to one sample in 450 ms and took two thirds
// of a core). So every interface's counters come from one read of
// /proc/net/dev (0.3 ms for 100 pods, under bash one `mapfile`), loss
// columns included; the sysfs counters that /proc/net/dev only sums
// (SUMMED_COUNTERS: rx_missed_errors apart from rx_dropped, and so on) are
// read for the watched interfaces: the data interface, its VF, and, under
// bash, any interface whose loss columns moved (checked once a second).
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
// costs a fork or a driver's lock: `ethtool -S` of the data interface (when
// a device backs it: a veth's holds only XDP counters) and of
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
//   <B> D< … /proc/net/dev … <B> D>       every interface, the file as printed
//   N <iface>/<counter> <value>            SUMMED_COUNTERS of each watched interface
//   P <group>: <names or values>           protocol counter lines, as printed
//   <B> X< <iface> … ethtool -S … <B> X>   every Nth sample: the data interface, then
//                                          each device-backed lower of it (the VF)
//   T cpuN <ticks as printed>              every Nth sample: /proc/stat's CPU lines
//   <B> C <cpu ticks>                      every Nth sample: the sampler's own CPU so far
//   <B> E

// The sysfs counters that /proc/net/dev does not print alone: it sums
// rx_dropped with rx_missed_errors (RING evidence on most NICs), the four
// receive error kinds, and the four carrier-side transmit errors
// (net-procfs.c dev_seq_printf_stats()). Every other sysfs counter is a
// column of /proc/net/dev, under the same name once parsed. The first two
// are read every sample (rx_missed_errors is the RING evidence, rx_dropped
// the stack's), the others, rare error kinds, at the slow rate.
export const SUMMED_COUNTERS = [
  'rx_dropped',
  'rx_missed_errors',
  'rx_length_errors',
  'rx_over_errors',
  'rx_crc_errors',
  'rx_frame_errors',
  'rx_nohandler',
  'tx_aborted_errors',
  'tx_carrier_errors',
  'tx_heartbeat_errors',
  'tx_window_errors',
];

// Interfaces that join the watched ones because their loss columns moved,
// at most: each costs about 0.08 ms a sample (2 sysfs reads), 0.35 ms a second.
const MAX_MOVED = 8;

export interface SamplerOptions {
  intervalMs: number;
  // The slow rate: every this many samples, ethtool -S of the data interface
  // and of its VF, TcpExt, and /proc/stat's CPU lines.
  ethtoolEvery: number;
  dataIface?: string;
  // More interfaces to watch from the first sample: the pod's host-side veth
  // of `repro run --pod`. Interface names, which hold no blank.
  watch?: readonly string[];
  maxSeconds: number;
  // The frame marker (newBoundary() in collectors/snapshot/script.ts).
  boundary: string;
  // Force the POSIX variant (tests).
  posixOnly?: boolean;
}

// The part both variants share: one sample's body, after `printf 'S …'`.
// `pd` prints /proc/net/dev (every interface's counters in one read, the
// loss columns among them), framed; `ws` the given sysfs counters of each
// watched interface: those that /proc/net/dev sums (SUMMED_COUNTERS), the
// two that tell a ring's loss from the stack's every sample, the rest at the
// slow rate.
const BODY = `
  sn
  pd
  ws $FC
  [ $((seq % pe)) -eq 0 ] && pu
  if [ $((seq % every)) -eq 0 ]; then
    ws $SC
    px
    # ethtool -S of the data interface, then of its device-backed lower
    # devices: the VF. Found again at each slow sample (Azure removes the VF
    # during host servicing and adds it back, maybe renamed), and watched
    # from then on.
    if [ -n "$di" ]; then
      # A software data interface (a veth, a bridge) has little in ethtool
      # -S, and the fork is 8 ms: as in the snapshot, only one backed by a device.
      [ -n "$E" ] && [ -e "/sys/class/net/$di/device" ] && xs "$di"
      k=0
      for l in /sys/class/net/"$di"/lower_*; do
        [ $k -lt 4 ] && [ -e "$l/device" ] || continue
        k=$((k + 1)); l=\${l##*/lower_}; wa "$l"
        [ -n "$E" ] && xs "$l"
      done
    fi
    mv
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
declare -A wm pv; wl=(); nw=0
wa() { [ -n "$1" ] && [ -z "\${wm[$1]-}" ] && { wm[$1]=1; wl+=("$1"); }; }
sn() { _s=(); mapfile _s 2>/dev/null </proc/net/softnet_stat; local IFS=; printf %s "\${_s[*]}"; }
# One write for the whole file: printf's format reused per line cost 0.3 ms
# for 100 pods.
pd() {
  _d=(); mapfile _d 2>/dev/null </proc/net/dev
  local IFS=
  printf '%s D<\\n%s%s D>\\n' "$B" "\${_d[*]}" "$B"
}
ws() {
  for i in "\${wl[@]}"; do for c in "$@"; do
    read -r v 2>/dev/null <"/sys/class/net/$i/statistics/$c" && printf 'N %s/%s %s\\n' "$i" "$c" "$v"
  done; done
}
# Once a second: an interface whose loss columns moved since the last time
# joins the watched ones (at most ${MAX_MOVED}), for the rest of the run. The
# columns: rx errs drop fifo frame, tx errs drop fifo colls carrier. A long
# interface name or a large byte count runs into the colon (eth0:123).
mv() {
  set -f
  # An idle interface's line is the same as last time: skipped before it is
  # split (100 idle veths cost 2.3 ms to split).
  for ((_k = 2; _k < \${#_d[@]}; _k++)); do
    l=\${_d[_k]}
    [ "$l" = "\${_q[_k]-}" ] && continue
    n=\${l%%:*}; n=\${n##* }; set -- \${l#*:}
    v="$3 $4 $5 $6 \${11} \${12} \${13} \${14} \${15}"
    if [ -n "\${pv[$n]+x}" ] && [ "\${pv[$n]}" != "$v" ] && [ -z "\${wm[$n]-}" ] && [ $nw -lt ${MAX_MOVED} ]; then
      nw=$((nw + 1)); wa "$n"
    fi
    pv[$n]=$v
  done
  _q=("\${_d[@]}")
  set +f
}
wa "$di"
for x in $WX; do wa "$x"; done
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
# No arrays here: the watched interfaces are the data interface and its VF
# only, and /proc/net/dev is copied by sed (dash and busybox read a file one
# byte per read(2): 14 KB on a node with 100 pods): cat copies it.
wl=''
wa() { case " $wl " in *" $1 "*) ;; *) wl="$wl $1" ;; esac; }
pd() { printf '%s D<\\n' "$B"; cat /proc/net/dev 2>/dev/null; printf '%s D>\\n' "$B"; }
sn() { while read -r l; do printf '%s\\n' "$l"; done < /proc/net/softnet_stat; }
ws() {
  set -f
  for i in $wl; do for c in "$@"; do
    read -r v 2>/dev/null <"/sys/class/net/$i/statistics/$c" && printf 'N %s/%s %s\\n' "$i" "$c" "$v"
  done; done
  set +f
}
mv() { :; }
[ -n "$di" ] && wa "$di"
for x in $WX; do wa "$x"; done
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
  const vars = `B=${shellQuote(o.boundary)}; iv=${Math.round(o.intervalMs * 1e6)}; every=${Math.max(1, Math.round(o.ethtoolEvery))}; di=${o.dataIface ? shellQuote(o.dataIface) : "''"}; max=${Math.round(o.maxSeconds)}; WX=${shellQuote((o.watch ?? []).filter((w) => /^[^\s/:]{1,15}$/.test(w)).join(' '))}; FC='${SUMMED_COUNTERS.slice(0, 2).join(' ')}'; SC='${SUMMED_COUNTERS.slice(2).join(' ')}'`;
  const bash = `${vars}${SHARED}\n${bashVariant()}`;
  const pick = o.posixOnly
    ? ''
    : execBashLine(bash, 'dropkit-sampler', ` && bash -c '[ -n "$EPOCHREALTIME" ]' 2>/dev/null`);
  return `${pick}${vars}${SHARED}\n${posixVariant()}`;
}
