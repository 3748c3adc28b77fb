import type { InterfaceKind } from '../model.js';
import { baseName } from './drivers/index.js';
import type { DiagnosisInput } from './input.js';
import { seconds } from './numbers.js';
import type { Observation } from './observation.js';
import { observe } from './observe.js';

// Every counter the engine judged, per-queue and per-CPU instances folded into one name:
// `softnet dropped (4 CPUs)`, `ethtool ens5 queue_N_rx_empty_rx_ring (4 queues)`. The same
// counter on more than FOLD_IFACES software interfaces of one kind folds too, into
// `rx_dropped on 101 veths (lxc0195…, lxc030f…, lxc035b…, …)`: a Kubernetes node has a veth
// per pod, and with 100 pods the list held 1,600 names, 100 KB on one line of summary.md.
// Device-backed interfaces (the NIC, its VF) are always named one by one.
const FOLD_IFACES = 4;
const NAMED_KINDS: ReadonlySet<InterfaceKind | undefined> = new Set([
  'physical',
  'sriov-vf',
  undefined,
]);

export function checkedCounters(input: DiagnosisInput): string[] {
  const { observations } = observe(input);
  const folded = new Map<string, { inst: Set<string>; o: Observation }>();
  for (const o of observations) {
    // Sums (rx_errors) and gauges are never judged: their parts or nothing are.
    if (o.rule.kind === 'aggregate' || o.rule.kind === 'gauge') continue;
    const [name, instance] = foldedName(o);
    const entry = folded.get(name) ?? { inst: new Set<string>(), o };
    folded.set(name, entry);
    entry.inst.add(instance);
  }
  const named = [...folded.entries()].map(([name, { inst, o }]) => ({
    text: withInstances(name, inst),
    o,
  }));
  // A qdisc's observation names its device, not the device's kind.
  const kinds = new Map(input.after.interfaces.map((i) => [i.name, i.kind]));
  return foldInterfaces(named, (o) => o.ifaceKind ?? kinds.get(o.iface ?? ''));
}

function withInstances(name: string, inst: ReadonlySet<string>): string {
  if (name.startsWith('softnet ')) return `${name} (${inst.size} CPU${inst.size === 1 ? '' : 's'})`;
  if (name.startsWith('kfree_skb ')) return name;
  if (name.startsWith('qdisc ')) return inst.size > 1 ? `${name} (${inst.size} qdiscs)` : name;
  return inst.size > 1 ? `${name} (${inst.size} queues)` : name;
}

// One entry per counter and kind of software interface once more than
// FOLD_IFACES share it; in the order the counters were first seen.
function foldInterfaces(
  named: ReadonlyArray<{ text: string; o: Observation }>,
  kindOf: (o: Observation) => InterfaceKind | undefined,
): string[] {
  const groups = new Map<string, { template: string; kind: InterfaceKind; ifaces: string[] }>();
  const keyOf = ({ text, o }: { text: string; o: Observation }) => {
    const kind = kindOf(o);
    if (o.iface === undefined || NAMED_KINDS.has(kind)) return undefined;
    const template = text.replace(` dev ${o.iface} `, ' ').replace(`${o.iface} `, '');
    return template === text ? undefined : { key: `${kind}\0${template}`, template, kind: kind! };
  };
  const keyed = named.map((n) => ({ ...n, k: keyOf(n) }));
  for (const { k, o } of keyed) {
    if (!k) continue;
    const g = groups.get(k.key) ?? { template: k.template, kind: k.kind, ifaces: [] };
    groups.set(k.key, g);
    g.ifaces.push(o.iface!);
  }
  const out: string[] = [];
  const done = new Set<string>();
  for (const n of keyed) {
    const { k } = n;
    const g = k && groups.get(k.key);
    if (!k || !g || g.ifaces.length <= FOLD_IFACES) out.push(n.text);
    else if (!done.has(k.key)) {
      done.add(k.key);
      const some = g.ifaces.slice(0, 3).join(', ');
      out.push(`${g.template} on ${g.ifaces.length} ${KIND_PLURAL[g.kind]} (${some}, …)`);
    }
  }
  return out;
}

const KIND_PLURAL: Record<InterfaceKind, string> = {
  physical: 'interfaces',
  'sriov-vf': 'VFs',
  veth: 'veths',
  bridge: 'bridges',
  bond: 'bonds',
  loopback: 'loopbacks',
  virtual: 'virtual interfaces',
  other: 'interfaces',
};

function foldedName(o: Observation): [string, string] {
  if (o.area === 'softnet') return [`softnet ${o.key}`, String(o.cpu)];
  if (o.area === 'trace') return ['kfree_skb drop reasons', o.key];
  // The qdiscs of one kind on one device fold into one line (a default mq has one per queue).
  if (o.area === 'qdisc') {
    const dev = o.iface === undefined ? '' : ` dev ${o.iface}`;
    const counter = typeof o.rule.match === 'string' ? o.rule.match : o.key;
    return [`qdisc ${o.qdisc?.kind ?? ''}${dev} ${counter}`, o.key];
  }
  const key = baseName(o.key);
  if (o.queue === undefined) return [o.name.replace(o.key, key), key];
  return [o.name.replace(o.key, o.rule.family), key];
}

// What the caller prints when diagnose() returned nothing.
export function summarizeNoFindings(input: DiagnosisInput): string {
  const { ctx } = observe(input);
  const names = checkedCounters(input);
  const span = ctx.sinceBoot
    ? 'since boot'
    : `during the run${ctx.intervalSec ? ` (${seconds(ctx.intervalSec)})` : ''}`;
  const head = `no drops on ${ctx.host} ${span}: checked ${names.length} counters`;
  return names.length ? `${head}:\n  ${names.join('\n  ')}` : head;
}
