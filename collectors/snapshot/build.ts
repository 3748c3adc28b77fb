import { shellQuote } from '../../kit/shell-quote.js';
import { parseCloudIdentity } from '../cloud-identity.js';
import { parseEthtoolChannels } from '../ethtool-channels.js';
import { parseEthtoolDriver } from '../ethtool-driver.js';
import { parseEthtoolRing } from '../ethtool-ring.js';
import { parseEthtoolStats } from '../ethtool-stats.js';
import { parseHostFacts } from '../host-info.js';
import { parseIpLink, parseIpLinkJson } from '../ip-link.js';
import type { IpLinkInterface } from '../ip-link-types.js';
import { parseSysctl } from '../kv-sysctl.js';
import {
  type InterfaceKind,
  type InterfaceSnapshot,
  isAzureVfName,
  type RawFile,
  type Snapshot,
  type SourceRecord,
} from '../model.js';
import { getOwn } from '../own-record.js';
import { parseProcNetDev } from '../proc-net-dev.js';
import { parseProcNetSnmp } from '../proc-net-snmp.js';
import { parseSoftnetStat } from '../softnet-stat.js';
import { type CollectorSpec, renderSource, timeoutOf } from '../spec.js';
import { parseSysfsStats } from '../sysfs-stats.js';
import { type Section, stderrKey } from './frames.js';
import { failureReason } from './source-status.js';

// Pure: raw sections in, a typed snapshot plus the byte-exact raw files out.

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

function sourceText(spec: CollectorSpec, iface?: string): string {
  return renderSource(spec, (a) => shellQuote(iface ? a.replaceAll('{iface}', iface) : a));
}

export function buildSnapshot(input: BuildInput): { snapshot: Snapshot; raw: RawFile[] } {
  const warnings: string[] = [];
  const specById = new Map(input.specs.map((s) => [s.id, s]));
  const raw: RawFile[] = [];
  const sources: SourceRecord[] = [];
  // Keyed as the stderr frames are (stderrKey): the id, and the interface if any.
  const text = new Map<string, string>();
  const failed = new Set<string>();

  // Registry order, whatever order the host's lanes finished in (stable:
  // one source's interfaces keep the host's order).
  const rank = new Map(input.specs.map((s, i) => [s.id, i]));
  const sections = [...input.sections].sort(
    (a, b) => (rank.get(a.id) ?? rank.size) - (rank.get(b.id) ?? rank.size),
  );
  for (const s of sections) {
    const spec = specById.get(s.id);
    if (!spec) {
      warnings.push(`unknown section ${s.id}`);
      continue;
    }
    const reason = failureReason(s, timeoutOf(spec));
    const record: SourceRecord = {
      id: s.id,
      ...(s.iface ? { iface: s.iface } : {}),
      rawPath: s.iface ? spec.rawPath.replaceAll('{iface}', s.iface) : spec.rawPath,
      source: sourceText(spec, s.iface),
      exitCode: s.exitCode,
      ...(s.durationMs !== undefined ? { durationMs: Math.round(s.durationMs * 100) / 100 } : {}),
      ...(s.stderr ? { stderr: s.stderr.slice(0, 500) } : {}),
      ok: reason === undefined,
      ...(reason ? { reason } : {}),
      bytes: s.stdout.length,
    };
    sources.push(record);
    raw.push({ path: record.rawPath, bytes: s.stdout, record });
    text.set(stderrKey(s.id, s.iface), s.stdout.toString('utf8'));
    if (!record.ok) failed.add(stderrKey(s.id, s.iface));
  }

  const parsed = <T>(
    id: string,
    parse: (t: string) => { value: T; warnings: string[] },
    iface?: string,
  ): T | undefined => {
    const t = text.get(stderrKey(id, iface));
    // A failed source with no output has nothing to parse (ethtool -g on veth).
    if (t === undefined || (t === '' && failed.has(stderrKey(id, iface)))) return undefined;
    const r = parse(t);
    for (const w of r.warnings.slice(0, 5)) warnings.push(`${id}${iface ? ` ${iface}` : ''}: ${w}`);
    return r.value;
  };

  const softnet = parsed('softnet_stat', parseSoftnetStat)?.rows ?? [];
  const sysfs = parsed('sysfs_net', parseSysfsStats) ?? {};
  const linkJson = parsed('ip_link_json', parseIpLinkJson)?.interfaces ?? [];
  const linkText = parsed('ip_link', parseIpLink)?.interfaces ?? [];
  const procDev = parsed('proc_net_dev', parseProcNetDev)?.interfaces ?? [];
  const snmp = {
    ...(parsed('snmp', parseProcNetSnmp) ?? {}),
    ...(parsed('netstat', parseProcNetSnmp) ?? {}),
  };
  const sysctls = parsed('sysctl', parseSysctl) ?? {};
  const facts = parseHostFacts({
    uname: text.get('uname'),
    osRelease: text.get('os_release'),
    hostname: text.get('hostname'),
    cpu: text.get('cpu'),
    uptime: text.get('uptime'),
    bootId: text.get('boot_id'),
  });
  const cloud = parsed('cloud_identity', parseCloudIdentity);
  if (cloud) facts.cloud = cloud;

  const links = new Map<string, IpLinkInterface>();
  for (const l of [...linkText, ...linkJson]) links.set(l.name, l);
  const names = [
    ...new Set([...Object.keys(sysfs), ...links.keys(), ...procDev.map((p) => p.name)]),
  ];
  const interfaces: InterfaceSnapshot[] = names.map((name) => {
    const fs = getOwn(sysfs, name);
    const link = links.get(name);
    const drv = parsed('ethtool_i', parseEthtoolDriver, name);
    const stats = parsed('ethtool_S', parseEthtoolStats, name);
    const ring = parsed('ethtool_g', parseEthtoolRing, name);
    const channels = parsed('ethtool_l', parseEthtoolChannels, name);
    // sysfs is the kernel's own truth; ip link and /proc/net/dev are
    // fallbacks for sos-style captures that have no sysfs dump. Both
    // parsers key by sysfs name where the value is the same counter.
    const kernel =
      fs && Object.keys(fs.counters).length
        ? fs.counters
        : link && Object.keys(link.stats).length
          ? link.stats
          : (procDev.find((p) => p.name === name)?.counters ?? {});
    const attrs = fs?.attrs ?? {};
    const driver = drv?.driver || attrs['driver'] || undefined;
    const iface: InterfaceSnapshot = {
      name,
      kind: 'other',
      slaves: [],
      kernel,
    };
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
  });

  // Masters and slaves, and the Azure accelerated-networking pair.
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

  const snapshot: Snapshot = {
    schema: 'dropkit.snapshot/1',
    host: input.host,
    takenAt: input.takenAt,
    durationMs: Math.round(input.durationMs),
    ...(firstStart(input.sections) !== undefined
      ? { hostClockNs: firstStart(input.sections)!.toString() }
      : {}),
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
