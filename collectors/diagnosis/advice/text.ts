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

// udev runs RUN+= programs with a minimal environment: ethtool by absolute
// path. /sbin/ethtool is on every distribution: the file itself on Debian 10
// and Ubuntu 18.04, a link into /usr/sbin where /usr is merged.
export const ETHTOOL_BIN = '/sbin/ethtool';

// Which NICs a udev rule for an RX-ring fix matches (udev(7),
// https://www.freedesktop.org/software/systemd/man/latest/udev.html):
// - An Azure VF by its driver under Hyper-V's PCI bridge, never by its name:
//   Azure re-adds the VF after host servicing, possibly as another enP name.
//   All parent keys of one rule (DRIVERS, ATTRS...) must match one and the
//   same parent, and hv_pci and mlx5_core/mana are bound to different ones,
//   so the VF's own driver is matched through ENV{ID_NET_DRIVER}, which
//   systemd's 80-net-setup-link.rules sets before a 90- rule runs.
//   DRIVERS=="hv_pci" is what Azure's own 68-azure-sriov-nm-unmanaged.rules
//   matches.
// - Another NIC by its driver: KERNEL is the name before any rename (ens5 is
//   eth0 when the add event is matched), so a name match misses renamed NICs.
// - By the kernel name only when the driver is unknown.
export function udevNicMatch(n: { name: string; driver?: string; azureVf: boolean }): string {
  if (n.driver && n.azureVf) return `DRIVERS=="hv_pci", ENV{ID_NET_DRIVER}=="${n.driver}"`;
  if (n.driver) return `DRIVERS=="${n.driver}"`;
  return `KERNEL=="${n.name}"`;
}

// $name is the interface's name after any rename: the one ethtool needs.
export function udevRule(iface: InterfaceSnapshot, ethtoolArgs: string): string {
  const match = udevNicMatch({
    name: iface.name,
    ...(iface.driver ? { driver: iface.driver } : {}),
    azureVf: iface.acceleratedNetworking?.role === 'vf' || isAzureVfName(iface.name),
  });
  return `ACTION=="add", SUBSYSTEM=="net", ${match}, RUN+="${ETHTOOL_BIN} ${ethtoolArgs.replace('{if}', '$name')}"`;
}
