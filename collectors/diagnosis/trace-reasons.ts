import { getOwn } from '../own-record.js';
import type { Confidence, DropClass } from './classes.js';

export interface TraceClass {
  class: DropClass;
  meaning: string;
  confidence: Confidence;
}

// skb:kfree_skb drop reasons (include/net/dropreason-core.h) that mean "out of capacity".
// Every other reason is ignored on purpose: NO_SOCKET (closed port), SOCKET_FILTER, NETFILTER_DROP,
// OTHERHOST, PKT_TOO_SMALL, TCP_* (protocol state), TC_* and XDP verdicts are policy or normal
// protocol behaviour, and NOT_SPECIFIED is every plain kfree_skb() — its location decides.
// NIC ring drops never reach kfree_skb (no skb is built for a packet the NIC discarded), so
// FULL_RING is a software ring (tun/tap, veth ptr_ring), not the NIC's.
const REASONS: Record<string, TraceClass> = {
  CPU_BACKLOG: { class: 'BACKLOG', meaning: 'per-CPU backlog full', confidence: 'high' },
  SOCKET_RCVBUFF: {
    class: 'SOCKET',
    meaning: 'socket receive buffer full',
    confidence: 'high',
  },
  SOCKET_BACKLOG: { class: 'SOCKET', meaning: 'socket backlog full', confidence: 'high' },
  PROTO_MEM: {
    class: 'SOCKET',
    meaning: 'protocol memory limit (udp_mem / tcp_mem)',
    confidence: 'high',
  },
  QDISC_DROP: { class: 'QDISC', meaning: 'qdisc refused the packet', confidence: 'high' },
  QDISC_OVERLIMIT: { class: 'QDISC', meaning: 'qdisc over its limit', confidence: 'high' },
  QDISC_CONGESTED: { class: 'QDISC', meaning: 'qdisc congestion drop', confidence: 'high' },
  FULL_RING: {
    class: 'RING',
    meaning: 'software ring full (tun/tap or veth)',
    confidence: 'medium',
  },
  NOMEM: { class: 'OTHER', meaning: 'out of memory', confidence: 'medium' },
};

// Kernels without drop reasons (< 5.17), and plain kfree_skb() (NOT_SPECIFIED, e.g.
// enqueue_to_backlog before it got CPU_BACKLOG): the caller decides. Only callers whose drop
// has one cause are listed; qdisc drops are freed through kfree_skb_list() and cannot be told
// apart by location.
const LOCATIONS: Record<string, TraceClass> = {
  enqueue_to_backlog: {
    class: 'BACKLOG',
    meaning: 'dropped in enqueue_to_backlog (backlog full)',
    confidence: 'medium',
  },
  __udp_enqueue_schedule_skb: {
    class: 'SOCKET',
    meaning: 'UDP socket receive buffer full',
    confidence: 'medium',
  },
  __udp_queue_rcv_skb: { class: 'SOCKET', meaning: 'UDP enqueue failed', confidence: 'medium' },
  __udpv6_queue_rcv_skb: { class: 'SOCKET', meaning: 'UDP enqueue failed', confidence: 'medium' },
  sock_queue_rcv_skb: {
    class: 'SOCKET',
    meaning: 'socket receive queue full',
    confidence: 'medium',
  },
  sock_queue_rcv_skb_reason: {
    class: 'SOCKET',
    meaning: 'socket receive queue full',
    confidence: 'medium',
  },
  __sock_queue_rcv_skb: {
    class: 'SOCKET',
    meaning: 'socket receive queue full',
    confidence: 'medium',
  },
  tcp_add_backlog: { class: 'SOCKET', meaning: 'TCP socket backlog full', confidence: 'medium' },
};

// `SKB_DROP_REASON_CPU_BACKLOG` and `CPU_BACKLOG` are the same; `enqueue_to_backlog+0x1c/0x90`
// is `enqueue_to_backlog`.
export function classifyTraceEntry(
  reason: string | null,
  location: string,
): (TraceClass & { byReason: boolean }) | undefined {
  const r = reason?.replace(/^SKB_DROP_REASON_/, '').toUpperCase() ?? null;
  if (r !== null && r !== 'NOT_SPECIFIED') {
    const hit = getOwn(REASONS, r);
    return hit ? { ...hit, byReason: true } : undefined;
  }
  const loc = location.replace(/\+0x[0-9a-f]+(?:\/0x[0-9a-f]+)?$/i, '').trim();
  const hit = getOwn(LOCATIONS, loc);
  return hit ? { ...hit, byReason: false } : undefined;
}
