// A setting a mitigation changes on a host, and how to reach it. Pure data:
// the scripts that read and write settings (host-script.ts) take these.

// A file under /proc/sys or /sys, written with one line. `ns` is the PID whose
// network namespace it is reached through (nsenter -t PID -n), when it is not
// visible in the login's own: init-namespace-only sysctls in a container or
// on a lab host.
export interface FileTarget {
  kind: 'file';
  path: string;
  ns?: 1 | 2;
}

// An interface's RX ring (ethtool -g / -G).
export interface RingTarget {
  kind: 'ring';
  iface: string;
}

export type Target = FileTarget | RingTarget;

// One setting with the value to give it: the new one when applying, the
// original when restoring. `label` names it in the plan, the readback and the
// bundle: `net.core.netdev_max_backlog`, `eth0 rx ring`, `eth0 rx-0 rps_cpus`.
export interface SettingValue {
  label: string;
  target: Target;
  value: string;
}

// The sysctls the mitigations touch, all under net.core.
export const SYSCTLS = [
  'netdev_max_backlog',
  'rmem_max',
  'rmem_default',
  'netdev_budget',
  'netdev_budget_usecs',
] as const;
export type SysctlName = (typeof SYSCTLS)[number];

export function sysctlLabel(name: SysctlName): string {
  return `net.core.${name}`;
}

export function sysctlPath(name: SysctlName): string {
  return `/proc/sys/net/core/${name}`;
}

// How the plan says a setting is reached, when not directly.
export function viaText(t: Target): string | undefined {
  if (t.kind !== 'file' || !t.ns) return undefined;
  return t.ns === 1
    ? 'the initial network namespace (nsenter -t 1 -n)'
    : "the initial network namespace (nsenter -t 2 -n, kthreadd's: PID 1's is not accessible)";
}

// Values a host sent, before they go into a script or the plan: a sysctl or
// ring size is digits, an RPS mask is the kernel's hex groups. Anything else
// is refused (a compromised host could send shell).
export function isPlainNumber(v: string): boolean {
  return /^\d{1,10}$/.test(v);
}

export function isCpuMask(v: string): boolean {
  return /^[0-9a-f]{1,8}(,[0-9a-f]{8}){0,127}$/.test(v);
}
