import {
  BACKLOG_FLOOR,
  backlogTarget,
  budgetTarget,
  budgetUsecsTarget,
  RMEM_FLOOR,
  rmemTarget,
} from '../../collectors/diagnosis/sysctl-values.js';
import { maskLike } from '../../kit/cpu-mask.js';
import type { HostState } from './host-state.js';
import {
  type SettingValue,
  type SysctlName,
  sysctlLabel,
  sysctlPath,
  type Target,
} from './settings.js';
import type { MitigationName } from './types.js';

// What each mitigation changes on one host, from that host's current state:
// the settings with their new values, or why it cannot apply there. The
// default values are the diagnosis's own advice (collectors/diagnosis). Pure.

export interface Expanded {
  settings: Array<SettingValue & { from: string }>;
  problem?: string;
}

type Expand = (s: HostState, value: number | undefined, iface: string) => Expanded;

export const CATALOG: Record<MitigationName, { what: string; expand: Expand }> = {
  backlog: {
    what: "net.core.netdev_max_backlog (default: the BACKLOG finding's advice, 32768 or 4× a larger one)",
    expand: (s, v) => {
      const cur = num(s.sysctls.netdev_max_backlog?.value);
      // Never lower it: a host already past the cap keeps its value.
      return sysctls(s, [['netdev_max_backlog', v ?? backlogTarget(cur) ?? cur ?? BACKLOG_FLOOR]]);
    },
  },
  rmem: {
    what: "net.core.rmem_max (default: the SOCKET finding's advice, at least 16 MiB) and rmem_default (the same, at most 16 MiB)",
    expand: (s, v) => {
      const cur = num(s.sysctls.rmem_max?.value);
      const to = v ?? rmemTarget(cur) ?? cur ?? 0;
      // The default is every socket's buffer that does not set SO_RCVBUF:
      // raised with the max for apps that never ask, but not past the floor
      // the advice considers enough (16 MiB), nor ever lowered.
      const def = num(s.sysctls.rmem_default?.value) ?? 0;
      return sysctls(s, [
        ['rmem_max', to],
        ['rmem_default', Math.max(def, Math.min(to, RMEM_FLOOR))],
      ]);
    },
  },
  budget: {
    what: "net.core.netdev_budget and netdev_budget_usecs (default: the SQUEEZE finding's advice)",
    expand: (s, v) => {
      const b = num(s.sysctls.netdev_budget?.value);
      const u = num(s.sysctls.netdev_budget_usecs?.value);
      return sysctls(s, [
        ['netdev_budget', v ?? budgetTarget(b) ?? b ?? 0],
        ['netdev_budget_usecs', budgetUsecsTarget(u) ?? u ?? 0],
      ]);
    },
  },
  ring: {
    what: "the data interface's RX ring, ethtool -G IFACE rx N (default: the preset maximum)",
    expand: ring,
  },
  rps: {
    what: "RPS on every RX queue of the data interface, spread over all the receiver's CPUs",
    expand: rps,
  },
};

function num(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}

function sysctls(s: HostState, wanted: Array<[SysctlName, number]>): Expanded {
  const settings: Expanded['settings'] = [];
  for (const [name, to] of wanted) {
    const cur = s.sysctls[name];
    if (!cur)
      return {
        settings: [],
        problem: `${sysctlLabel(name)} is not visible here${s.initNs ? '' : ', and the initial network namespace cannot be entered (nsenter -t 1 -n needs root and a visible PID 1 or kthreadd)'}`,
      };
    const target: Target = {
      kind: 'file',
      path: sysctlPath(name),
      ...(cur.viaInit && s.initNs ? { ns: s.initNs } : {}),
    };
    settings.push({ label: sysctlLabel(name), target, value: String(to), from: cur.value });
  }
  return { settings };
}

function ring(s: HostState, v: number | undefined, iface: string): Expanded {
  const max = s.ring?.max.rx;
  const cur = s.ring?.current.rx;
  if (typeof max !== 'number' || typeof cur !== 'number')
    return {
      settings: [],
      problem: `${iface} has no RX ring to resize (ethtool -g ${iface}: ${s.ringError ?? 'no RX values'}); virtual devices such as veth have none`,
    };
  const to = v ?? max;
  if (to > max)
    return {
      settings: [],
      problem: `rx ${to} is above ${iface}'s preset maximum of ${max} (ethtool -g ${iface})`,
    };
  return {
    settings: [
      {
        label: `${iface} rx ring`,
        target: { kind: 'ring', iface },
        value: String(to),
        from: String(cur),
      },
    ],
  };
}

function rps(s: HostState, _v: number | undefined, iface: string): Expanded {
  if (!s.rps.length)
    return { settings: [], problem: `${iface} shows no RX queue with rps_cpus (no CONFIG_RPS?)` };
  // The online CPUs, which need not be 0 to n-1; else the count.
  const bits = s.online ?? (s.cpus ? (1n << BigInt(s.cpus)) - 1n : undefined);
  if (!bits) return { settings: [], problem: 'the online CPUs could not be read' };
  return {
    settings: s.rps.map((q) => ({
      label: `${iface} ${q.queue} rps_cpus`,
      target: { kind: 'file', path: `/sys/class/net/${iface}/queues/${q.queue}/rps_cpus` },
      value: maskLike(bits, q.mask),
      from: q.mask,
    })),
  };
}
