import type { CounterDelta, MapDelta } from '../counter-delta.js';
import type { InterfaceKind, Snapshot } from '../model.js';
import { hasOwn } from '../own-record.js';
import type { SnapshotDelta } from '../snapshot-delta.js';
import {
  type CounterRule,
  classifyEthtool,
  classifyKernel,
  classifySnmp,
  knownDriver,
  type RuleMatch,
  SOFTNET_RULES,
} from './drivers/index.js';
import type { Observation } from './observation.js';

type SoftnetColumn = keyof typeof SOFTNET_RULES;
const SOFTNET_FIELDS: ReadonlyArray<[SoftnetColumn, 'dropped' | 'timeSqueeze' | 'flowLimitCount']> =
  [
    ['dropped', 'dropped'],
    ['time_squeeze', 'timeSqueeze'],
    ['flow_limit_count', 'flowLimitCount'],
  ];

// Every counter the knowledge base knows, with how much it moved during the run. Interfaces
// and keys that exist in only one snapshot (`presence`, MapDelta.added) are skipped: without
// a "before" value their count may predate the run.
export function observeDelta(delta: SnapshotDelta, after: Snapshot): Observation[] {
  const out: Observation[] = [];
  const byName = new Map(after.interfaces.map((i) => [i.name, i]));
  for (const d of delta.interfaces) {
    if (d.presence !== undefined) continue;
    const found = byName.get(d.name);
    const ethtool = found?.ethtool ?? d.ethtool?.deltas;
    const iface = ifaceMeta(d.name, found?.kind ?? 'other', found?.driver ?? d.driver, ethtool);
    pushMap(out, d.kernel, (k) => classifyKernel(iface, k), kernelNaming(d.name, iface));
    if (d.ethtool) {
      pushMap(out, d.ethtool, (k) => classifyEthtool(iface, k), ethtoolNaming(d.name, iface));
    }
  }
  for (const row of delta.softnet.rows) {
    for (const [column, field] of SOFTNET_FIELDS) {
      const cd = row[field];
      if (cd) out.push(softnetObservation(row.cpu, column, cd.delta, false, cd));
    }
  }
  for (const [group, map] of Object.entries(delta.snmp)) {
    pushMap(out, map, (k) => classifySnmp(group, k), snmpNaming(group));
  }
  return out;
}

// Single snapshot: every value is a count since boot (or since the driver loaded).
export function observeSinceBoot(after: Snapshot): Observation[] {
  const out: Observation[] = [];
  for (const found of after.interfaces) {
    const iface = ifaceMeta(found.name, found.kind, found.driver, found.ethtool);
    const naming = kernelNaming(found.name, iface);
    pushValues(out, found.kernel, (k) => classifyKernel(iface, k), naming);
    if (found.ethtool) {
      const e = ethtoolNaming(found.name, iface);
      pushValues(out, found.ethtool, (k) => classifyEthtool(iface, k), e);
    }
  }
  for (const row of after.softnet) {
    for (const [column, field] of SOFTNET_FIELDS) {
      const v = row[field];
      if (v !== undefined) out.push(softnetObservation(row.cpu, column, v, true));
    }
  }
  for (const [group, values] of Object.entries(after.snmp)) {
    pushValues(out, values, (k) => classifySnmp(group, k), snmpNaming(group));
  }
  return out;
}

// Host-side pod interfaces of the usual CNIs are veths: Cilium lxc*, Calico cali*, Azure CNI
// azv*, GKE gke*, the bridge plugin's veth*.
const CNI_VETH = /^(?:lxc|cali|azv|gke|veth)/;

// The driver is the host's (ethtool -i, sysfs), else the one the ethtool -S names give
// (drivers/infer.ts). A veth is known by its driver; without one by `peer_ifindex` in its
// ethtool -S, or by a CNI's name on a software interface. Its tx_dropped is then read as
// veth_xmit()'s (the peer refused the packet), not a TX ring's.
function ifaceMeta(
  name: string,
  kind: InterfaceKind,
  reported: string | undefined,
  ethtool: Readonly<Record<string, unknown>> | undefined,
): IfaceMeta {
  const known = knownDriver(reported, ethtool);
  const driver = known?.name;
  const software = kind === 'virtual' || kind === 'other';
  const veth =
    kind === 'veth' ||
    driver === 'veth' ||
    (driver === undefined &&
      software &&
      ((ethtool !== undefined && hasOwn(ethtool, 'peer_ifindex')) || CNI_VETH.test(name)));
  return {
    kind: veth ? 'veth' : kind,
    driver,
    ...(known?.source === 'counter names' ? { inferred: true } : {}),
  };
}

interface Naming {
  area: 'kernel' | 'ethtool' | 'snmp';
  iface?: string;
  meta?: IfaceMeta;
  name: (key: string) => string;
  seriesKey: (key: string) => string;
}

interface IfaceMeta {
  kind: InterfaceKind;
  driver?: string | undefined;
  // The driver was inferred from the counter names: ethtool -i gave none.
  inferred?: true;
}

const kernelNaming = (iface: string, meta: IfaceMeta): Naming => ({
  area: 'kernel',
  iface,
  meta,
  name: (k) => `${iface} ${k}`,
  seriesKey: (k) => `iface.${iface}.${k}`,
});
const ethtoolNaming = (iface: string, meta: IfaceMeta): Naming => ({
  area: 'ethtool',
  iface,
  meta,
  name: (k) => `ethtool ${iface} ${k}`,
  seriesKey: (k) => `ethtool.${iface}.${k}`,
});
const snmpNaming = (group: string): Naming => ({
  area: 'snmp',
  name: (k) => `${group} ${k}`,
  seriesKey: (k) => `snmp.${group}.${k}`,
});

function pushMap(
  out: Observation[],
  map: MapDelta,
  classify: (key: string) => RuleMatch | undefined,
  naming: Naming,
): void {
  for (const [key, cd] of Object.entries(map.deltas)) {
    const hit = classify(key);
    if (hit) out.push(observation(hit, key, naming, cd.delta, false, cd));
  }
}

function pushValues(
  out: Observation[],
  values: Record<string, bigint>,
  classify: (key: string) => RuleMatch | undefined,
  naming: Naming,
): void {
  for (const [key, value] of Object.entries(values)) {
    const hit = classify(key);
    if (hit) out.push(observation(hit, key, naming, value, true));
  }
}

function observation(
  hit: RuleMatch,
  key: string,
  naming: Naming,
  delta: bigint,
  sinceBoot: boolean,
  cd?: CounterDelta,
): Observation {
  return {
    area: naming.area,
    key,
    rule:
      naming.meta?.inferred && hit.table ? inferredRule(hit.rule, naming.meta.driver) : hit.rule,
    ...(naming.iface === undefined ? {} : { iface: naming.iface }),
    ...(naming.meta === undefined ? {} : { ifaceKind: naming.meta.kind }),
    ...(naming.meta?.driver === undefined ? {} : { driver: naming.meta.driver }),
    ...(hit.queue === undefined ? {} : { queue: hit.queue }),
    name: naming.name(key),
    delta,
    reset: cd?.reset ?? false,
    sinceBoot,
    ...(cd?.ratePerSec === undefined ? {} : { ratePerSec: cd.ratePerSec }),
    seriesKey: naming.seriesKey(key),
    wrapBits: 64,
  };
}

// The rule is the inferred driver's: the evidence says so, in one clause. Confidence stays the
// rule's own: the inference chose the table, it adds nothing to what a counter means.
function inferredRule(rule: CounterRule, driver: string | undefined): CounterRule {
  return {
    ...rule,
    meaning: `${rule.meaning} (${driver} rule; driver inferred from counter names)`,
  };
}

// softnet_stat counters are 32-bit and wrap (SOFTNET_STAT_COLUMNS.md).
function softnetObservation(
  cpu: number,
  column: SoftnetColumn,
  delta: bigint,
  sinceBoot: boolean,
  cd?: CounterDelta,
): Observation {
  return {
    area: 'softnet',
    key: column,
    rule: SOFTNET_RULES[column],
    cpu,
    name: `softnet ${column} (cpu${cpu})`,
    delta,
    reset: cd?.reset ?? false,
    sinceBoot,
    ...(cd?.ratePerSec === undefined ? {} : { ratePerSec: cd.ratePerSec }),
    seriesKey: `softnet.cpu${cpu}.${column}`,
    wrapBits: 32,
  };
}
