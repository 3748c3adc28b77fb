import type { InterfaceSnapshot } from '../model.js';
import { classifyEthtool, classifyKernel, classifySnmp, type RuleMatch } from './drivers/index.js';

// "Does this counter indicate lost packets?", answered from the driver
// tables (COUNTERS.md), for the places that show counters to a human: the
// summary's loss table and the snapshot/analyze tables. The findings engine
// uses the same tables with more nuance.

// Loss, loss of an unknown class (rx_dropped), a name that says drop, and
// the kernel's error totals; not events, policy drops or gauges.
function indicatesLoss(m: RuleMatch | undefined): boolean {
  const k = m?.rule.kind;
  return k === 'loss' || k === 'ambiguous' || k === 'guess' || k === 'aggregate';
}

type Iface = Pick<InterfaceSnapshot, 'driver' | 'kind'>;

export function isKernelLossCounter(iface: Iface, name: string): boolean {
  return indicatesLoss(classifyKernel(iface, name));
}

export function isDriverLossCounter(iface: Iface, key: string): boolean {
  return indicatesLoss(classifyEthtool(iface, key));
}

export function isSnmpLossCounter(group: string, name: string): boolean {
  const m = classifySnmp(group, name);
  // Protocol counters without a rule (InErrors is an aggregate) still count
  // when their name says so: a support engineer wants to see them move.
  return m ? indicatesLoss(m) : /Err|Drop|Overflow|Prune/.test(name);
}
