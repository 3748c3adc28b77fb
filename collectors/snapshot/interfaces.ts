import type { InterfaceListing } from '../contribution.js';
import type { IpLinkInterface } from '../ip-link-types.js';
import { type InterfaceKind, type InterfaceSnapshot, isAzureVfName } from '../model.js';
import { getOwn } from '../own-record.js';

// The interfaces of a snapshot, from what the sources that list them said
// (sysfs, ip link, /proc/net/dev) and the fields per-interface sources set
// (ethtool). Pure.

// Drivers of SR-IOV virtual functions as seen in clouds (Azure mlx5/mana VFs,
// Intel VFs elsewhere). A VF is recognised by driver AND a master or physfn.
const VF_DRIVERS = new Set([
  'mlx5_core',
  'mlx4_core',
  'mlx4_en',
  'mana',
  'ixgbevf',
  'iavf',
  'i40evf',
]);

// Every name a listing source gave, once, in the order they gave them
// (build.ts adds the names of per-interface sections after these).
export function listedNames(l: InterfaceListing): Set<string> {
  return new Set([...Object.keys(l.sysfs), ...l.links.keys(), ...l.procDev.map((p) => p.name)]);
}

export function assembleInterfaces(
  names: Iterable<string>,
  listing: InterfaceListing,
  added: (name: string) => Partial<InterfaceSnapshot>,
): InterfaceSnapshot[] {
  const interfaces = [...names].map((name) => interfaceOf(name, listing, added(name)));
  pairInterfaces(interfaces);
  return interfaces;
}

function interfaceOf(
  name: string,
  l: InterfaceListing,
  added: Partial<InterfaceSnapshot>,
): InterfaceSnapshot {
  const fs = getOwn(l.sysfs, name);
  const link = l.links.get(name);
  const dev = l.procDev.find((p) => p.name === name)?.counters;
  // sysfs is the kernel's own truth; ip link and /proc/net/dev are
  // fallbacks for sos-style captures that have no sysfs dump. Both
  // parsers key by sysfs name where the value is the same counter.
  // The live snapshot reads sysfs statistics for device-backed interfaces
  // only (sysfs-stats.ts): a software one has its attributes there and its
  // counters from ip link (carrier_changes, an attribute file, stays).
  const fsCounters = fs?.counters ?? {};
  const kernel =
    'rx_packets' in fsCounters || (!link && !dev && Object.keys(fsCounters).length)
      ? fsCounters
      : link && Object.keys(link.stats).length
        ? { ...link.stats, ...fsCounters }
        : { ...(dev ?? {}), ...fsCounters };
  const attrs = fs?.attrs ?? {};
  // The driver's identity (ethtool -i) comes first and decides the kind; the
  // other fields collectors set follow, in registry order.
  const { driver: ethtoolDriver, driverVersion, firmware, busInfo, ...rest } = added;
  // A software interface's driver is its link kind (veth, bridge): ethtool -i
  // is not run on an idle one (spec.ts softwareOnlyWithDrops).
  const driver =
    ethtoolDriver || attrs['driver'] || (attrs['virtual'] === '1' ? link?.kind : undefined);
  const iface: InterfaceSnapshot = { name, kind: 'other', slaves: [], kernel };
  const ifindex = Number(attrs['ifindex'] ?? link?.ifindex);
  if (Number.isFinite(ifindex) && ifindex > 0) iface.ifindex = ifindex;
  if (driver) iface.driver = driver;
  if (driverVersion) iface.driverVersion = driverVersion;
  if (firmware) iface.firmware = firmware;
  if (busInfo) iface.busInfo = busInfo;
  const master = attrs['master'] ?? link?.master;
  if (master) iface.master = master;
  const mtu = Number(attrs['mtu'] ?? link?.mtu);
  if (Number.isFinite(mtu) && mtu > 0) iface.mtu = mtu;
  const state = attrs['operstate'] ?? link?.state;
  if (state) iface.state = state;
  const mac = attrs['address'] ?? link?.mac;
  if (mac) iface.mac = mac;
  const speed = Number(attrs['speed']);
  if (Number.isFinite(speed) && speed > 0) iface.speedMbps = speed;
  const qlen = link?.attrs['qlen'];
  if (qlen !== undefined && /^\d{1,10}$/.test(qlen)) iface.txqueuelen = Number(qlen);
  Object.assign(iface, rest);
  iface.kind = kindOf(name, driver, attrs, link);
  return iface;
}

// Masters and slaves, and the Azure accelerated-networking pair.
function pairInterfaces(interfaces: InterfaceSnapshot[]): void {
  const byName = new Map(interfaces.map((i) => [i.name, i]));
  for (const i of interfaces) {
    if (!i.master) continue;
    const m = byName.get(i.master);
    if (!m) continue;
    m.slaves.push(i.name);
    if (m.driver === 'hv_netvsc' && i.driver && VF_DRIVERS.has(i.driver)) {
      i.kind = 'sriov-vf';
      i.acceleratedNetworking = { role: 'vf', peer: m.name };
      m.acceleratedNetworking = { role: 'synthetic', peer: i.name };
    }
  }
}

function kindOf(
  name: string,
  driver: string | undefined,
  attrs: Record<string, string>,
  link: IpLinkInterface | undefined,
): InterfaceKind {
  if (name === 'lo' || link?.linkType === 'loopback') return 'loopback';
  if (driver === 'veth') return 'veth';
  if (attrs['kind'] === 'bridge' || driver === 'bridge') return 'bridge';
  if (attrs['kind'] === 'bond' || driver === 'bonding') return 'bond';
  if (attrs['physfn'] || (driver && VF_DRIVERS.has(driver) && isAzureVfName(name)))
    return 'sriov-vf';
  if (attrs['virtual'] === '1') return 'virtual';
  if (driver || attrs['driver']) return 'physical';
  return 'other';
}
