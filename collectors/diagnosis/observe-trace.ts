import type { DropTrace } from './input.js';
import type { Observation } from './observation.js';
import { classifyTraceEntry } from './trace-reasons.js';

// Trace entries of this host that mean "out of capacity", as observations. Entries of one
// class and location add up (the same location can come with and without a reason).
export function observeTrace(trace: DropTrace | undefined, host: string): Observation[] {
  if (trace === undefined || trace.host !== host) return [];
  const out: Observation[] = [];
  for (const e of trace.entries) {
    if (!(e.count > 0) || !Number.isFinite(e.count)) continue;
    const cls = classifyTraceEntry(e.reason, e.location);
    if (cls === undefined) continue;
    const label = e.reason ?? 'no reason';
    out.push({
      area: 'trace',
      key: `${label}@${e.location}`,
      rule: {
        match: label,
        family: `trace:${cls.class}`,
        class: cls.class,
        kind: 'loss',
        direction: 'rx',
        confidence: cls.confidence,
        meaning: trace.capped ? `${cls.meaning} (tracer capped: lower bound)` : cls.meaning,
        cite: cls.byReason ? 'skb:kfree_skb reason' : 'skb:kfree_skb location',
      },
      name: `kfree_skb ${label} at ${e.location}`,
      delta: BigInt(Math.trunc(e.count)),
      reset: false,
      sinceBoot: false,
      capped: trace.capped,
    });
  }
  return out;
}
