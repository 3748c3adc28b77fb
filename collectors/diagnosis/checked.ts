import { baseName } from './drivers/index.js';
import type { DiagnosisInput } from './input.js';
import { seconds } from './numbers.js';
import type { Observation } from './observation.js';
import { observe } from './observe.js';

// Every counter the engine judged, per-queue and per-CPU instances folded into one name:
// `softnet dropped (4 CPUs)`, `ethtool ens5 queue_N_rx_empty_rx_ring (4 queues)`.
export function checkedCounters(input: DiagnosisInput): string[] {
  const { observations } = observe(input);
  const folded = new Map<string, Set<string>>();
  for (const o of observations) {
    // Sums (rx_errors) and gauges are never judged: their parts or nothing are.
    if (o.rule.kind === 'aggregate' || o.rule.kind === 'gauge') continue;
    const [name, instance] = foldedName(o);
    const set = folded.get(name) ?? new Set<string>();
    folded.set(name, set);
    set.add(instance);
  }
  return [...folded.entries()].map(([name, inst]) => {
    if (name.startsWith('softnet '))
      return `${name} (${inst.size} CPU${inst.size === 1 ? '' : 's'})`;
    if (name.startsWith('kfree_skb ')) return name;
    if (name.startsWith('qdisc ')) return inst.size > 1 ? `${name} (${inst.size} qdiscs)` : name;
    return inst.size > 1 ? `${name} (${inst.size} queues)` : name;
  });
}

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
