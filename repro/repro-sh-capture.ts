import { sh } from './sh-template.js';

// The counter snapshot repro.sh takes before and after the traffic. Read-only:
// procfs, sysfs, `ip -s -s link` and `ethtool -S/-g` when they exist, each
// into its own file, so a support engineer reads the raw output as printed.
export const CAPTURE_SH = sh`
SYSCTLS='net.core.netdev_max_backlog net.core.netdev_budget net.core.netdev_budget_usecs net.core.rmem_max net.core.rmem_default net.core.dev_weight'

have() { command -v "$1" >/dev/null 2>&1; }

# Interface names cannot hold "/" or white space (dev_valid_name), so a plain
# word list is safe.
ifaces() {
  for _net in /sys/class/net/*; do
    [ -e "$_net" ] && printf '%s\n' "$\{_net##*/}"
  done
}

snap() {
  d=$1
  mkdir -p "$d" || die "cannot create $d"
  { date -u '+%Y-%m-%dT%H:%M:%SZ'; cat /proc/uptime; } >"$d/time.txt" 2>/dev/null
  for f in softnet_stat snmp netstat dev; do
    cat "/proc/net/$f" >"$d/proc_net_$f.txt" 2>/dev/null
  done
  if have ip; then ip -s -s link >"$d/ip-s-s-link.txt" 2>&1; fi
  # One awk for every counter file: a node with hundreds of veths stays fast.
  awk '{ print FILENAME, $0 }' /sys/class/net/*/statistics/* >"$d/sys_class_net_statistics.txt" 2>/dev/null
  awk '{ print FILENAME, $0 }' /sys/class/net/*/queues/rx-*/rps_cpus >"$d/rps_cpus.txt" 2>/dev/null
  for k in $SYSCTLS; do
    f=/proc/sys/$(printf '%s' "$k" | tr . /)
    if [ -r "$f" ]; then printf '%s = %s\n' "$k" "$(cat "$f")"; fi
  done >"$d/sysctl.txt"
  if have ethtool; then
    for i in $(ifaces); do
      ethtool -S "$i" >"$d/ethtool-S-$i.txt" 2>&1
      ethtool -g "$i" >"$d/ethtool-g-$i.txt" 2>&1
    done
  fi
}
`;
