import type { AdviceFor } from '../context.js';
import { packets } from '../numbers.js';
import { topCounters, when } from './text.js';

// QDISC: only the trace sees these (QDISC_DROP and friends); the snapshot has no `tc -s`.
export const qdiscAdvice: AdviceFor = (ctx, g, f) => ({
  title: `${packets(f.packets)} dropped by the qdisc`,
  explanation: `The queueing discipline on ${ctx.host} refused at least ${packets(f.packets)} on transmit ${when(ctx, f)}: ${topCounters(g.members)}. The sender was faster than the interface could drain.`,
  mitigation: {
    summary:
      'Find the interface whose qdisc drops (tc -s qdisc show), then raise its limit (e.g. tc qdisc replace dev <if> root fq limit 20000) or its txqueuelen (ip link set dev <if> txqueuelen 10000), or pace the sender.',
    commands: [],
    checks: ['tc -s qdisc show'],
    persistent: [],
  },
  config: [],
});
