import {
  isDriverLossCounter,
  isKernelLossCounter,
  isSnmpLossCounter,
} from '../../collectors/diagnosis/loss-counters.js';
import type { InterfaceKind } from '../../collectors/model.js';

// What a key of series.csv measures (bundles/README.md, "Time series"), and
// whether it counts lost packets, judged by the same driver tables as the
// summary's loss table. Pure.

export type SeriesKey =
  | { kind: 'softnet'; cpu: number; counter: string }
  | { kind: 'iface'; iface: string; counter: string }
  | { kind: 'ethtool'; iface: string; counter: string }
  | { kind: 'snmp'; group: string; counter: string }
  | { kind: 'other' };

export interface Nic {
  name: string;
  kind?: string;
  driver?: string;
}

const SOFTNET = /^softnet\.cpu(\d{1,6})\.([a-z_]+)$/;
const SNMP = /^snmp\.([A-Za-z]+)\.([A-Za-z0-9]+)$/;

// `<prefix>.<iface>.<counter>`: interface names may hold dots (eth0.100),
// and ethtool counters too (port.rx_dropped). A known interface of the host
// decides; without one, sysfs counters never hold a dot, so the last dot
// splits them, and an ethtool key splits at its first dot.
function splitIface(rest: string, nics: readonly Nic[], lastDot: boolean) {
  const known = nics
    .map((n) => n.name)
    .filter((n) => rest.startsWith(`${n}.`) && rest.length > n.length + 1)
    .sort((a, b) => b.length - a.length)[0];
  if (known !== undefined) return { iface: known, counter: rest.slice(known.length + 1) };
  const at = lastDot ? rest.lastIndexOf('.') : rest.indexOf('.');
  return at > 0 && at < rest.length - 1
    ? { iface: rest.slice(0, at), counter: rest.slice(at + 1) }
    : undefined;
}

export function parseSeriesKey(key: string, nics: readonly Nic[]): SeriesKey {
  const s = SOFTNET.exec(key);
  if (s) return { kind: 'softnet', cpu: Number(s[1]), counter: s[2]! };
  const p = SNMP.exec(key);
  if (p) return { kind: 'snmp', group: p[1]!, counter: p[2]! };
  for (const kind of ['iface', 'ethtool'] as const) {
    if (!key.startsWith(`${kind}.`)) continue;
    const split = splitIface(key.slice(kind.length + 1), nics, kind === 'iface');
    if (split) return { kind, ...split };
  }
  return { kind: 'other' };
}

const KINDS: readonly string[] = [
  'physical',
  'sriov-vf',
  'veth',
  'bridge',
  'bond',
  'loopback',
  'virtual',
  'other',
];

function ifaceOf(nics: readonly Nic[], name: string) {
  const n = nics.find((x) => x.name === name);
  const kind = (n?.kind && KINDS.includes(n.kind) ? n.kind : 'other') as InterfaceKind;
  return { kind, ...(n?.driver ? { driver: n.driver } : {}) };
}

// softnet dropped, an interface's dropped/missed/errors, a driver's loss
// counters, and the protocol counters of socket and listen-queue drops.
export function isLossKey(k: SeriesKey, nics: readonly Nic[]): boolean {
  switch (k.kind) {
    case 'softnet':
      return k.counter === 'dropped';
    case 'iface':
      return isKernelLossCounter(ifaceOf(nics, k.iface), k.counter);
    case 'ethtool':
      return isDriverLossCounter(ifaceOf(nics, k.iface), k.counter);
    case 'snmp':
      return isSnmpLossCounter(k.group, k.counter);
    default:
      return false;
  }
}

// How a chart's legend names the counter.
export function keyLabel(k: SeriesKey, key: string): string {
  switch (k.kind) {
    case 'softnet':
      return `softnet ${k.counter} cpu${k.cpu}`;
    case 'iface':
      return `${k.iface} ${k.counter}`;
    case 'ethtool':
      return `${k.iface} ethtool ${k.counter}`;
    case 'snmp':
      return `${k.group} ${k.counter}`;
    default:
      return key;
  }
}
