import type { AdviceFor } from '../context.js';
import { packets } from '../numbers.js';
import { byDeltaDesc } from '../observation.js';
import { portBufferAdvice } from './port-buffer.js';
import { findIface, ifaceTitle, topCounters, when } from './text.js';

// OTHER: errors, allocation failures, ambiguous rx_dropped alone. Reported so the evidence is
// complete; not a capacity limit dropkit can tune. The NIC port buffer has advice of its own.
export const otherAdvice: AdviceFor = (ctx, g, f) => {
  if (g.cause === 'port-buffer') return portBufferAdvice(ctx, g, f);
  const name = g.iface ?? ctx.host;
  const top = [...g.members].sort(byDeltaDesc)[0];
  const sentences = [
    `${ifaceTitle(findIface(ctx, g.iface), name)} counted ${topCounters(g.members)} ${when(ctx, f)}${top ? `: ${top.rule.meaning}` : ''}.`,
  ];
  if (g.ambiguousOnly && g.members.some((o) => o.rule.kind === 'ambiguous')) {
    sentences.push(
      'rx_dropped alone is ambiguous: it also counts unknown protocols and bad VLANs, and softnet_stat shows no backlog drop; run with the drop trace to tell.',
    );
  } else {
    sentences.push(
      'This is not a capacity limit a setting can fix; the raw counters are evidence for the vendor.',
    );
  }
  return {
    title: `${packets(f.packets)} dropped or errored (${[...new Set(g.members.map((o) => o.key))].slice(0, 3).join(', ')})`,
    explanation: sentences.join(' '),
    mitigation: {
      summary:
        'Send the raw counters to the vendor; look for allocation failures (memory pressure) or link errors.',
      commands: [],
      ...(g.iface ? { checks: [`ethtool -S ${g.iface}`] } : {}),
      persistent: [],
    },
    config: [],
  };
};
