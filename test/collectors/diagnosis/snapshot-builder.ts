import { parseEthtoolChannels } from '../../../collectors/ethtool-channels.js';
import { parseEthtoolDriver } from '../../../collectors/ethtool-driver.js';
import { parseEthtoolRing } from '../../../collectors/ethtool-ring.js';
import { parseEthtoolStats } from '../../../collectors/ethtool-stats.js';
import { parseIpLink } from '../../../collectors/ip-link.js';
import { parseSysctl } from '../../../collectors/kv-sysctl.js';
import type { InterfaceKind, InterfaceSnapshot, Snapshot } from '../../../collectors/model.js';
import { parseProcNetSnmp } from '../../../collectors/proc-net-snmp.js';
import { parseSoftnetStat } from '../../../collectors/softnet-stat.js';

// Assembles a Snapshot from capture text with the project's own parsers, the way the snapshot
// builder does from a host's sections, so the engine is tested on what real hosts print.

export interface IfaceSpec {
  name: string;
  kind: InterfaceKind;
  // `ethtool -i` text; `driver` when there is no capture of it for this driver.
  ethtoolI?: string;
  driver?: string;
  ethtoolS?: string;
  ethtoolG?: string;
  ethtoolL?: string;
  // Kernel counters: the named interface of an `ip -s -s link` capture.
  ipLink: { text: string; name: string };
  master?: string;
  acceleratedNetworking?: { role: 'synthetic' | 'vf'; peer: string };
}

export interface SnapshotSpec {
  host: string;
  takenAt: string;
  ifaces: IfaceSpec[];
  softnet?: string;
  sysctl?: string;
  snmp?: string;
}

export function snapshotFrom(spec: SnapshotSpec): Snapshot {
  return {
    schema: 'dropkit.snapshot/1',
    host: spec.host,
    takenAt: spec.takenAt,
    durationMs: 120,
    facts: { hostname: spec.host },
    interfaces: spec.ifaces.map(ifaceFrom),
    softnet: spec.softnet === undefined ? [] : parseSoftnetStat(spec.softnet).value.rows,
    sysctls: spec.sysctl === undefined ? {} : parseSysctl(spec.sysctl).value,
    snmp: spec.snmp === undefined ? {} : parseProcNetSnmp(spec.snmp).value,
    sources: [],
    warnings: [],
  };
}

function ifaceFrom(spec: IfaceSpec): InterfaceSnapshot {
  const link = parseIpLink(spec.ipLink.text).value.interfaces.find(
    (i) => i.name === spec.ipLink.name,
  );
  if (!link) throw new Error(`${spec.ipLink.name} is not in the ip link capture`);
  const driver = spec.ethtoolI ? parseEthtoolDriver(spec.ethtoolI).value.driver : spec.driver;
  const iface: InterfaceSnapshot = {
    name: spec.name,
    kind: spec.kind,
    slaves: [],
    kernel: { ...link.stats },
  };
  if (driver) iface.driver = driver;
  if (spec.master) iface.master = spec.master;
  if (spec.acceleratedNetworking) iface.acceleratedNetworking = spec.acceleratedNetworking;
  if (spec.ethtoolS) iface.ethtool = parseEthtoolStats(spec.ethtoolS).value.stats;
  if (spec.ethtoolG) {
    const ring = parseEthtoolRing(spec.ethtoolG).value;
    iface.ring = {
      rx: ring.current.rx ?? null,
      rxMax: ring.max.rx ?? null,
      tx: ring.current.tx ?? null,
      txMax: ring.max.tx ?? null,
    };
  }
  if (spec.ethtoolL) iface.channels = parseEthtoolChannels(spec.ethtoolL).value;
  return iface;
}

export interface Raise {
  seconds: number;
  kernel?: Record<string, Record<string, bigint>>;
  ethtool?: Record<string, Record<string, bigint>>;
  softnet?: Record<number, { dropped?: bigint; timeSqueeze?: bigint; flowLimitCount?: bigint }>;
  snmp?: Record<string, Record<string, bigint>>;
}

// The "after" copy: `seconds` later, with the named counters raised by the given amounts.
// Raising a counter the "before" lacks is an error: the delta would skip it as new.
export function later(before: Snapshot, raise: Raise): Snapshot {
  const after = structuredClone(before);
  after.takenAt = new Date(Date.parse(before.takenAt) + raise.seconds * 1000).toISOString();
  for (const [name, counters] of Object.entries(raise.kernel ?? {})) {
    bump(iface(after, name).kernel, counters, `${name} kernel`);
  }
  for (const [name, counters] of Object.entries(raise.ethtool ?? {})) {
    const stats = iface(after, name).ethtool;
    if (!stats) throw new Error(`${name} has no ethtool stats`);
    bump(stats, counters, `${name} ethtool`);
  }
  for (const [cpu, cols] of Object.entries(raise.softnet ?? {})) {
    const row = after.softnet.find((r) => r.cpu === Number(cpu));
    if (!row) throw new Error(`no softnet row for cpu${cpu}`);
    row.dropped += cols.dropped ?? 0n;
    row.timeSqueeze += cols.timeSqueeze ?? 0n;
    if (cols.flowLimitCount !== undefined) {
      row.flowLimitCount = (row.flowLimitCount ?? 0n) + cols.flowLimitCount;
    }
  }
  for (const [group, counters] of Object.entries(raise.snmp ?? {})) {
    const values = after.snmp[group];
    if (!values) throw new Error(`no snmp group ${group}`);
    bump(values, counters, group);
  }
  return after;
}

function iface(s: Snapshot, name: string): InterfaceSnapshot {
  const found = s.interfaces.find((i) => i.name === name);
  if (!found) throw new Error(`no interface ${name}`);
  return found;
}

function bump(values: Record<string, bigint>, by: Record<string, bigint>, where: string): void {
  for (const [key, add] of Object.entries(by)) {
    const v = values[key];
    if (v === undefined) throw new Error(`${where}: no counter ${key}`);
    values[key] = v + add;
  }
}
