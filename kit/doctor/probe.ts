// The doctor's on-host probe: one POSIX sh script, one round trip, printing
// `key<TAB>value` lines. Parsing is pure and tolerant of missing keys.
//
// It runs before every `repro run`, and a fork plus an exec costs 3 to 5 ms
// on a small VM: the first line of an output is cut by the shell, not piped
// to head, and one uname and one id give what three of each did.

export const PROBE_SCRIPT = `
p() { printf '%s\\t%s\\n' "$1" "$2"; }
nl='
'
# KEY and the first line of what the command prints (stderr too).
first() { _k=$1; shift; _o=$("$@" 2>&1); p "$_k" "\${_o%%"$nl"*}"; }
p user "$(id -un 2>/dev/null)"
u=$(id -u 2>/dev/null)
p uid "$u"
if [ "$u" = 0 ]; then p sudo root
elif command -v sudo >/dev/null 2>&1; then
  if sudo -n true >/dev/null 2>&1; then p sudo passwordless; else p sudo password; fi
else p sudo absent; fi
# nodename, release, machine: uname prints them in that order, whatever the
# order of the options.
set -- $(uname -n -r -m 2>/dev/null)
p kernel "\${2:-}"
p arch "\${3:-}"
p hostname "\${1:-}"
p distro "$( (. /etc/os-release 2>/dev/null; echo "\${PRETTY_NAME:-unknown}") )"
p cpus "$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null)"
for t in iperf3 ethtool ip tc; do
  if command -v "$t" >/dev/null 2>&1; then
    case "$t" in
      iperf3) first tool.iperf3 iperf3 --version ;;
      ethtool) first tool.ethtool ethtool --version ;;
      ip) first tool.ip ip -V ;;
      tc) first tool.tc tc -V ;;
    esac
  else p "tool.$t" "-"; fi
done
if { read -r _v < /proc/net/softnet_stat; } 2>/dev/null; then p softnet ok; else p softnet no; fi
# The shell's own read, not a cat per interface: 100 pods' veths made that
# 100 forks, 0.7 s of the preflight.
n=0; for f in /sys/class/net/*/statistics/rx_packets; do [ -r "$f" ] && { read -r _v < "$f"; } 2>/dev/null && n=$((n+1)); done
p sysfs_ifaces "$n"
tf=''
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
  if [ -e "$d/events" ]; then tf=$d; break; fi
done
if [ -n "$tf" ]; then
  p tracefs "$tf"
  if [ -e "$tf/events/skb/kfree_skb/format" ]; then
    if grep -q 'reason' "$tf/events/skb/kfree_skb/format" 2>/dev/null; then p kfree_skb reason; else p kfree_skb location; fi
  elif [ -e "$tf/events/skb/kfree_skb" ]; then p kfree_skb unreadable
  else p kfree_skb absent; fi
else
  if [ -d /sys/kernel/tracing ]; then p tracefs unmounted; else p tracefs absent; fi
fi
ip -o addr show scope global 2>/dev/null | while read -r idx ifname fam addr rest; do p addr "$ifname $fam $addr"; done
_o=$(ip route show default 2>/dev/null)
p route_default "\${_o%%"$nl"*}"
n=$(readlink /proc/self/ns/net 2>/dev/null); n=\${n#net:\\[}; n=\${n%\\]}
for f in /run/dropkit/restore/*-"$n".sh; do [ -e "$f" ] && p restore_pending "\${f##*/}"; done
exit 0
`;

export interface ProbeFacts {
  user: string;
  uid: number | undefined;
  sudo: 'root' | 'passwordless' | 'password' | 'absent' | 'unknown';
  kernel: string;
  arch: string;
  hostname: string;
  distro: string;
  cpus: number | undefined;
  tools: Record<'iperf3' | 'ethtool' | 'ip' | 'tc', string | undefined>;
  softnetReadable: boolean;
  sysfsInterfaces: number;
  tracefs: string;
  kfreeSkb: 'reason' | 'location' | 'unreadable' | 'absent' | 'unknown';
  addresses: Array<{ ifname: string; family: 'inet' | 'inet6'; cidr: string }>;
  defaultRoute: string;
  // Restore scripts left by a comparison that could not finish restoring
  // (repro/mitigations/restore-paths.ts), for this host's network namespace.
  restorePending: string[];
}

export function parseProbe(text: string): ProbeFacts {
  const kv = new Map<string, string>();
  const addresses: ProbeFacts['addresses'] = [];
  const restorePending: string[] = [];
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const k = line.slice(0, tab);
    const v = line.slice(tab + 1).trim();
    if (k === 'addr') {
      const [ifname, family, cidr] = v.split(/\s+/);
      if (ifname && cidr && (family === 'inet' || family === 'inet6'))
        addresses.push({ ifname, family, cidr });
    } else if (k === 'restore_pending') {
      if (/^[0-9a-f]{1,32}-\d{1,20}\.sh$/.test(v)) restorePending.push(v);
    } else kv.set(k, v);
  }
  const tool = (t: string) => {
    const v = kv.get(`tool.${t}`);
    return v && v !== '-' ? v : undefined;
  };
  const num = (k: string) => {
    const n = Number.parseInt(kv.get(k) ?? '', 10);
    return Number.isFinite(n) ? n : undefined;
  };
  const sudo = kv.get('sudo');
  const kfree = kv.get('kfree_skb');
  return {
    user: kv.get('user') ?? '',
    uid: num('uid'),
    sudo:
      sudo === 'root' || sudo === 'passwordless' || sudo === 'password' || sudo === 'absent'
        ? sudo
        : 'unknown',
    kernel: kv.get('kernel') ?? '',
    arch: kv.get('arch') ?? '',
    hostname: kv.get('hostname') ?? '',
    distro: kv.get('distro') ?? '',
    cpus: num('cpus'),
    tools: { iperf3: tool('iperf3'), ethtool: tool('ethtool'), ip: tool('ip'), tc: tool('tc') },
    softnetReadable: kv.get('softnet') === 'ok',
    sysfsInterfaces: num('sysfs_ifaces') ?? 0,
    tracefs: kv.get('tracefs') ?? 'absent',
    kfreeSkb:
      kfree === 'reason' || kfree === 'location' || kfree === 'unreadable' || kfree === 'absent'
        ? kfree
        : 'unknown',
    addresses,
    defaultRoute: kv.get('route_default') ?? '',
    restorePending,
  };
}

// Shortens `iperf 3.12 (cJSON 1.7.15)` / `ip utility, iproute2-6.1.0, libbpf 1.1.0`
// to the version that matters.
export function toolVersion(banner: string | undefined): string | undefined {
  if (!banner) return undefined;
  const m = banner.match(/iproute2-([\w.]+)|iperf (\d[\w.]*)|version (\d[\w.]*)/);
  return m ? (m[1] ?? m[2] ?? m[3]) : banner.slice(0, 40);
}
