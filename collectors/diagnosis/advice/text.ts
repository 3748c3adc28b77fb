import { type InterfaceSnapshot, isAzureVfName } from '../../model.js';
import type { DiagnosisContext, GroupFacts } from '../context.js';
import type { Evidence } from '../finding.js';
import { count, perSecond, seconds } from '../numbers.js';
import { byDeltaDesc, type Observation } from '../observation.js';

// `during the run (10 s, 1,823/s, peak 9,000/s)` or `since boot`.
export function when(ctx: DiagnosisContext, f: GroupFacts): string {
  if (f.sinceBoot) return 'since boot';
  const parts: string[] = [];
  if (ctx.intervalSec !== undefined && ctx.intervalSec > 0) parts.push(seconds(ctx.intervalSec));
  if (f.ratePerSec !== undefined) parts.push(perSecond(f.ratePerSec));
  if (f.peakRatePerSec !== undefined) parts.push(`peak ${perSecond(f.peakRatePerSec)}`);
  return parts.length ? `during the run (${parts.join(', ')})` : 'during the run';
}

// The counter as a person says it: `rx_out_of_buffer`, `dropped on cpu1`, `Udp RcvbufErrors`.
export function label(o: Observation): string {
  if (o.area === 'softnet') return `${o.key} on cpu${o.cpu}`;
  if (o.area === 'snmp') return o.name;
  if (o.area === 'trace') return o.name;
  if (o.area === 'qdisc') return o.name;
  return o.key;
}

// The biggest few, `rx_out_of_buffer +52,311, rx_missed_errors +52,311`.
export function topCounters(members: readonly Observation[], n = 3): string {
  const sorted = [...members].sort(byDeltaDesc);
  const shown = sorted
    .slice(0, n)
    .map((o) => `${label(o)} ${o.sinceBoot ? '' : '+'}${count(o.delta)}`);
  const more = sorted.length > n ? ` and ${sorted.length - n} more` : '';
  return shown.join(', ') + more;
}

// `enP1s1 (mlx5_core)`.
export function ifaceTitle(iface: InterfaceSnapshot | undefined, name: string): string {
  return iface?.driver ? `${name} (${iface.driver})` : name;
}

export function findIface(ctx: DiagnosisContext, name: string | undefined) {
  return name === undefined ? undefined : ctx.after.interfaces.find((i) => i.name === name);
}

export function configEvidence(name: string, value: string | number): Evidence {
  return { source: 'config', name, delta: String(value) };
}

// `/etc/sysctl.d/90-dropkit.conf` keeps sysctls across reboots; `sysctl --system` reloads.
export const SYSCTL_FILE = '/etc/sysctl.d/90-dropkit.conf';
// udev runs RUN+= on every `add`: at boot and when Azure re-adds a VF after host servicing.
export const UDEV_FILE = '/etc/udev/rules.d/90-dropkit.rules';

// Azure VF names carry the PCI domain (`enP12345s1`), which can change when the VF is re-added,
// so the rule matches `enP*` of that driver. Other names are matched exactly.
export function udevRule(iface: InterfaceSnapshot, ethtoolArgs: string): string {
  const match =
    isAzureVfName(iface.name) && iface.driver
      ? `DRIVERS=="${iface.driver}", KERNEL=="enP*"`
      : `KERNEL=="${iface.name}"`;
  return `ACTION=="add", SUBSYSTEM=="net", ${match}, RUN+="/sbin/ethtool ${ethtoolArgs.replace('{if}', '$name')}"`;
}
