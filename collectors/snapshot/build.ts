import { parseCloudIdentity } from '../cloud-identity.js';
import { parseEthtoolChannels } from '../ethtool-channels.js';
import { parseEthtoolDriver } from '../ethtool-driver.js';
import { parseEthtoolRing } from '../ethtool-ring.js';
import { parseEthtoolStats } from '../ethtool-stats.js';
import { parseHostFacts } from '../host-info.js';
import { shownName } from '../iface-name.js';
import { parseIpLink, parseIpLinkJson } from '../ip-link.js';
import type { IpLinkInterface } from '../ip-link-types.js';
import { parseSysctl } from '../kv-sysctl.js';
import {
  type HostFacts,
  type InterfaceKind,
  type InterfaceSnapshot,
  isAzureVfName,
  type RawFile,
  type Snapshot,
} from '../model.js';
import { getOwn } from '../own-record.js';
import { parseProcNetDev } from '../proc-net-dev.js';
import { parseProcNetSnmp } from '../proc-net-snmp.js';
import { parseSoftnetStat } from '../softnet-stat.js';
import type { CollectorSpec } from '../spec.js';
import { parseSysfsStats, type SysfsInterface } from '../sysfs-stats.js';
import { acceptSections, isValidHostName, listedInterfaces, sectionName } from './accept.js';
import type { Section } from './frames.js';
import { SourceTable } from './source-table.js';

// Pure: raw sections in, a typed snapshot plus the byte-exact raw files out.
// Only the sections accept.ts keeps are used, and a per-interface one only for
// an interface the host listed: every name a host sends may be forged.

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

export interface BuildInput {
  host: string;
  takenAt: string;
  durationMs: number;
  sections: Section[];
  specs: readonly CollectorSpec[];
}

export function buildSnapshot(input: BuildInput): { snapshot: Snapshot; raw: RawFile[] } {
  const warnings: string[] = [];
  const { hostWide, perIface, rank } = acceptSections(input.sections, input.specs, warnings);
  const table = new SourceTable(input.specs, warnings);
  for (const s of hostWide) table.add(s);

  const softnet = table.parsed('softnet_stat', parseSoftnetStat)?.rows ?? [];
  const sysfs = table.parsed('sysfs_net', parseSysfsStats) ?? {};
  const linkJson = table.parsed('ip_link_json', parseIpLinkJson)?.interfaces ?? [];
  const linkText = table.parsed('ip_link', parseIpLink)?.interfaces ?? [];
  const procDev = table.parsed('proc_net_dev', parseProcNetDev)?.interfaces ?? [];
  const snmp = {
    ...(table.parsed('snmp', parseProcNetSnmp) ?? {}),
    ...(table.parsed('netstat', parseProcNetSnmp) ?? {}),
  };
  const sysctls = table.parsed('sysctl', parseSysctl) ?? {};
  const facts = hostFacts(table, warnings);

  const links = new Map<string, IpLinkInterface>();
  for (const l of [...linkText, ...linkJson]) links.set(l.name, l);
  const listed = listedInterfaces(
    new Set([...Object.keys(sysfs), ...links.keys(), ...procDev.map((p) => p.name)]),
    warnings,
  );
  // A per-interface section counts only for an interface the host listed:
  // its name goes into a path (ethtool/<iface>/…).
  for (const s of perIface) {
    if (listed.has(s.iface!)) table.add(s);
    else
      warnings.push(`${sectionName(s.id, s.iface)} dropped: the host did not list this interface`);
  }
  const interfaces = [...listed].map((name) =>
    interfaceOf(name, table, {
      fs: getOwn(sysfs, name),
      link: links.get(name),
      dev: procDev.find((p) => p.name === name)?.counters,
    }),
  );
  pairInterfaces(interfaces);

  const { sources, raw } = table.ordered(rank);
  const start = firstStart(input.sections);
  const snapshot: Snapshot = {
    schema: 'dropkit.snapshot/1',
    host: input.host,
    takenAt: input.takenAt,
    durationMs: Math.round(input.durationMs),
    ...(start !== undefined ? { hostClockNs: start.toString() } : {}),
    facts,
    interfaces,
    softnet,
    sysctls,
    snmp,
    sources,
    warnings,
  };
  return { snapshot, raw };
}

function hostFacts(table: SourceTable, warnings: string[]): HostFacts {
  const facts = parseHostFacts({
    uname: table.textOf('uname'),
    osRelease: table.textOf('os_release'),
    hostname: table.textOf('hostname'),
    cpu: table.textOf('cpu'),
    uptime: table.textOf('uptime'),
    bootId: table.textOf('boot_id'),
  });
  // The host's name labels its folder in a bundle (hosts/<name>/): one that
  // is no host name is not used; the name the operator typed stands in.
  if (facts.hostname !== undefined && !isValidHostName(facts.hostname)) {
    warnings.push(`host name ${shownName(facts.hostname)} ignored: not a valid host name`);
    delete facts.hostname;
  }
  const cloud = table.parsed('cloud_identity', parseCloudIdentity);
  if (cloud) facts.cloud = cloud;
  return facts;
}

function interfaceOf(
  name: string,
  table: SourceTable,
  from: {
    fs: SysfsInterface | undefined;
    link: IpLinkInterface | undefined;
    dev: Record<string, bigint> | undefined;
  },
): InterfaceSnapshot {
  const { fs, link } = from;
  const drv = table.parsed('ethtool_i', parseEthtoolDriver, name);
  const stats = table.parsed('ethtool_S', parseEthtoolStats, name);
  const ring = table.parsed('ethtool_g', parseEthtoolRing, name);
  const channels = table.parsed('ethtool_l', parseEthtoolChannels, name);
  // sysfs is the kernel's own truth; ip link and /proc/net/dev are
  // fallbacks for sos-style captures that have no sysfs dump. Both
  // parsers key by sysfs name where the value is the same counter.
  const kernel =
    fs && Object.keys(fs.counters).length
      ? fs.counters
      : link && Object.keys(link.stats).length
        ? link.stats
        : (from.dev ?? {});
  const attrs = fs?.attrs ?? {};
  const driver = drv?.driver || attrs['driver'] || undefined;
  const iface: InterfaceSnapshot = { name, kind: 'other', slaves: [], kernel };
  const ifindex = Number(attrs['ifindex'] ?? link?.ifindex);
  if (Number.isFinite(ifindex) && ifindex > 0) iface.ifindex = ifindex;
  if (driver) iface.driver = driver;
  if (drv?.version) iface.driverVersion = drv.version;
  if (drv?.firmwareVersion) iface.firmware = drv.firmwareVersion;
  if (drv?.busInfo) iface.busInfo = drv.busInfo;
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
  if (stats?.supported && Object.keys(stats.stats).length) iface.ethtool = stats.stats;
  if (ring?.supported) {
    iface.ring = {
      rx: ring.current.rx ?? null,
      rxMax: ring.max.rx ?? null,
      tx: ring.current.tx ?? null,
      txMax: ring.max.tx ?? null,
    };
  }
  if (channels?.supported) iface.channels = channels;
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

// The host's clock when the snapshot began: its earliest section start.
function firstStart(sections: Section[]): bigint | undefined {
  let first: bigint | undefined;
  for (const s of sections)
    if (s.startNs !== undefined && (first === undefined || s.startNs < first)) first = s.startNs;
  return first;
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
