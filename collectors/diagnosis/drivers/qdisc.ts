import { matchRule, type RuleMatch } from './match.js';
import { type CounterRule, rule } from './rule.js';

// `tc -s qdisc show` counters (struct gnet_stats_queue), by where the qdisc sits
// (collectors/qdisc-tree.ts). One dropped packet is counted by its qdisc and again by every
// classful qdisc above it, so only one place of the tree counts it as loss: the qdisc with no
// qdisc under it, or the part of a parent's drops its children do not account for.
export type QdiscRole =
  // No qdisc under it: its drops are its own.
  | 'leaf'
  // A classful qdisc with qdiscs under it (htb, tbf with a child): its drops include theirs.
  | 'parent'
  // mq, mqprio: every count is the sum of its children's (mq_dump).
  | 'sum'
  // ingress, clsact: drops are tc filter verdicts.
  | 'ingress';

const CITE = 'tc -s qdisc (gnet_stats_queue)';

// biome-ignore format: one counter per rule() call reads as a table
const OWN: readonly CounterRule[] = [
  rule('drops', 'qdisc_drops', 'QDISC', 'loss', 'tx', 'high',
    'dropped by this qdisc: its limit was reached, its AQM or shaper dropped it, or a filter did',
    CITE),
  // A parent's drops less its children's: its own queue (htb's direct queue) or a filter verdict.
  rule('own drops', 'qdisc_drops', 'QDISC', 'loss', 'tx', 'high',
    'dropped by this qdisc itself: its drops less those of the qdiscs under it', CITE),
  // Shapers (tbf, htb) count every dequeue the rate held back; fq_codel and pfifo none. A
  // packet held back is delayed, not lost.
  rule('overlimits', 'qdisc_overlimits', 'QDISC', 'event', 'tx', 'high',
    'packets held back over its rate or limit (delayed, not lost)', CITE),
  // dev_requeue_skb(): the driver returned NETDEV_TX_BUSY or its TX queue was stopped (ring
  // full, or BQL's byte limit). The packet goes back to the qdisc; nothing is lost.
  rule('requeues', 'qdisc_requeues', 'TXQ', 'event', 'tx', 'medium',
    'handed back by the driver: its TX queue was stopped or busy (requeued, not lost)', CITE),
];

// biome-ignore format: one counter per rule() call reads as a table
const TOTALS: readonly CounterRule[] = [
  rule('drops', 'qdisc_drops_total', 'QDISC', 'aggregate', 'tx', 'high',
    'drops of the qdiscs under it, counted again (and its own)',
    'net/sched/sch_api.c qdisc_tree_reduce_backlog'),
];

// biome-ignore format: one counter per rule() call reads as a table
const SUMS: readonly CounterRule[] = [
  rule(/^(?:drops|overlimits|requeues)$/, 'qdisc_sum', 'QDISC', 'aggregate', 'tx', 'high',
    'the sum of its children\'s counters (one per TX queue)', 'net/sched/sch_mq.c mq_dump'),
];

// biome-ignore format: one counter per rule() call reads as a table
const INGRESS: readonly CounterRule[] = [
  rule('drops', 'qdisc_ingress_drops', 'QDISC', 'policy', 'rx', 'high',
    'dropped by a tc filter on ingress (TC_ACT_SHOT)', CITE),
];

// `drops` of a parent is its total (aggregate); its own share is the `own drops` counter that
// observe-qdisc.ts computes.
export function classifyQdisc(role: QdiscRole, counter: string): RuleMatch | undefined {
  if (role === 'sum') return matchRule(SUMS, counter);
  if (role === 'ingress') return matchRule(INGRESS, counter);
  if (role === 'parent' && counter === 'drops') return matchRule(TOTALS, counter);
  if (role === 'leaf' && counter === 'own drops') return undefined;
  return matchRule(OWN, counter);
}
