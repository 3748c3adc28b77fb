import type { InterfaceKind } from '../model.js';
import type { CounterRule } from './drivers/index.js';

// Where a number came from. Two different areas that agree (kernel rx_missed_errors and
// ethtool rx_out_of_buffer, softnet dropped and the trace) make a finding high-confidence.
// `qdisc` is tc -s qdisc.
export type ObservationArea = 'kernel' | 'ethtool' | 'softnet' | 'snmp' | 'trace' | 'qdisc';

// The qdisc a `qdisc` observation counts for, as tc printed it (its device is `iface`).
export interface QdiscRef {
  kind: string;
  handle: string;
  parent?: string;
}

// One classified counter (or trace entry) of one host: the unit the grouping works on.
export interface Observation {
  area: ObservationArea;
  // The counter as stored: ethtool key (maybe `key#2`), sysfs name, `Group.Counter`, softnet
  // column, the trace reason, or a qdisc's counter with its place (`tbf 8002: parent 1:4 drops`:
  // one key per qdisc, so the qdiscs of a device add up).
  key: string;
  rule: CounterRule;
  iface?: string;
  // The interface's kind and driver, when the counter belongs to one.
  ifaceKind?: InterfaceKind;
  driver?: string;
  cpu?: number;
  queue?: number;
  // Evidence name: `eth0 rx_dropped`, `ethtool enP1s1 rx_out_of_buffer`, ...
  name: string;
  delta: bigint;
  reset: boolean;
  sinceBoot: boolean;
  ratePerSec?: number;
  // Key into DiagnosisInput.series, and how its counter wraps.
  seriesKey?: string;
  wrapBits?: 32 | 64;
  // Trace only: the tracer stopped counting early.
  capped?: boolean;
  qdisc?: QdiscRef;
}

// Biggest delta first (bigint-safe comparator).
export function byDeltaDesc(a: Observation, b: Observation): number {
  return a.delta === b.delta ? 0 : a.delta < b.delta ? 1 : -1;
}

// Evidence order: counters that only count loss first (they carry the diagnosis), then the
// ambiguous ones that corroborate it; biggest first within each.
export function byEvidenceOrder(a: Observation, b: Observation): number {
  const weak = (o: Observation) => (o.rule.kind === 'ambiguous' || o.rule.kind === 'guess' ? 1 : 0);
  return weak(a) - weak(b) || byDeltaDesc(a, b);
}
