import { type EthtoolRing, parseEthtoolRing } from '../../collectors/ethtool-ring.js';
import { FIND_INIT_NETNS_SH, IN_INIT_NETNS } from '../../collectors/init-netns.js';
import { cpuListBits } from '../../kit/cpu-mask.js';
import { shellQuote } from '../../kit/shell-quote.js';
import { RESTORE_DIR } from './restore-paths.js';
import { isCpuMask, isPlainNumber, SYSCTLS, type SysctlName } from './settings.js';

// What a host's settings are before a comparison changes any: one POSIX sh
// script, one round trip, `key<TAB>value` lines; the parser is pure and keeps
// only values of the expected shape.

export interface HostState {
  // The network namespace this login sees (`net:[4026531840]`): restore
  // scripts are bound to it, since lab hosts and containers share /run.
  netns: string;
  // Hosts with one boot_id share a kernel (the lab, containers): their
  // init-namespace sysctls are one and the same.
  bootId: string;
  cpus: number | undefined;
  // The online CPUs (`0-3,6`), as a mask: RPS spreads over these.
  online: bigint | undefined;
  // The PID whose network namespace is the initial one, when it can be
  // entered: 1, else kthreadd (2); undefined when neither (not root, or a
  // PID namespace of its own).
  initNs: 1 | 2 | undefined;
  // Each sysctl as seen directly, or through initNs when not visible here.
  sysctls: Partial<Record<SysctlName, { value: string; viaInit: boolean }>>;
  // The data interface's RX queues and their rps_cpus masks.
  rps: Array<{ queue: string; mask: string }>;
  ring: EthtoolRing | undefined;
  ringError?: string;
  // Restore scripts of earlier runs still on this host (file names).
  pending: string[];
}

export function hostStateScript(iface: string): string {
  return `p() { printf '%s\\t%s\\n' "$1" "$2"; }
n=$(readlink /proc/self/ns/net 2>/dev/null)
p netns "$n"
p boot "$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)"
p cpus "$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null)"
p online "$(cat /sys/devices/system/cpu/online 2>/dev/null)"
${FIND_INIT_NETNS_SH}
p initns "$ns"
for s in ${SYSCTLS.join(' ')}; do
  f=/proc/sys/net/core/$s
  if [ -e "$f" ]; then p "sysctl.$s" "$(cat "$f" 2>/dev/null)"
  elif [ -n "$ns" ] && v=$(${IN_INIT_NETNS} cat "$f" 2>/dev/null); then p "init.$s" "$v"
  fi
done
i=${shellQuote(iface)}
for q in /sys/class/net/"$i"/queues/rx-*/rps_cpus; do
  [ -e "$q" ] || continue
  d=\${q%/rps_cpus}
  p "rps.\${d##*/}" "$(cat "$q" 2>/dev/null)"
done
o=$(ethtool -g "$i" 2>&1); p ring.rc "$?"
printf '%s\\n' "$o" | while IFS= read -r l; do p ring "$l"; done
id=$(printf '%s' "$n" | tr -cd 0-9)
for f in ${RESTORE_DIR}/*-"$id".sh; do [ -e "$f" ] && p pending "\${f##*/}"; done
exit 0
`;
}

export function parseHostState(text: string): HostState {
  const state: HostState = {
    netns: '',
    bootId: '',
    cpus: undefined,
    online: undefined,
    initNs: undefined,
    sysctls: {},
    rps: [],
    ring: undefined,
    pending: [],
  };
  const ring: string[] = [];
  let ringRc = '';
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const [k, v] = [line.slice(0, tab), line.slice(tab + 1)];
    if (k === 'ring') ring.push(v);
    else if (k === 'ring.rc') ringRc = v.trim();
    else take(state, k, v.trim());
  }
  const parsed = parseEthtoolRing(`${ring.join('\n')}\n`).value;
  if (ringRc === '0' && parsed.supported && typeof parsed.max.rx === 'number') state.ring = parsed;
  else state.ringError = ring.join(' ').trim().slice(0, 200) || 'ethtool -g printed nothing';
  return state;
}

function take(state: HostState, k: string, v: string): void {
  if (k === 'netns' && /^net:\[\d+\]$/.test(v)) state.netns = v;
  else if (k === 'boot' && /^[0-9a-f-]{36}$/.test(v)) state.bootId = v;
  else if (k === 'cpus' && /^\d{1,4}$/.test(v)) state.cpus = Number(v);
  else if (k === 'online') state.online = cpuListBits(v);
  else if (k === 'initns' && (v === '1' || v === '2')) state.initNs = Number(v) as 1 | 2;
  else if (k.startsWith('sysctl.') || k.startsWith('init.')) {
    const name = k.slice(k.indexOf('.') + 1) as SysctlName;
    if (SYSCTLS.includes(name) && isPlainNumber(v))
      state.sysctls[name] = { value: v, viaInit: k.startsWith('init.') };
  } else if (k.startsWith('rps.')) {
    const queue = k.slice(4);
    if (/^rx-\d{1,5}$/.test(queue) && isCpuMask(v)) state.rps.push({ queue, mask: v });
  } else if (k === 'pending' && /^[0-9a-f]{1,32}-\d{1,20}\.sh$/.test(v)) state.pending.push(v);
}

// The network namespace's inode: restore scripts are named after it.
export function netnsId(netns: string): string {
  return netns.replace(/\D/g, '');
}
