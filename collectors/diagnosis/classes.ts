// The vocabulary of a diagnosis: where a packet died (class), how bad it is (severity) and how
// sure we are (confidence). Classes follow /work/shared/COUNTERS.md, plus SOCKET and QDISC,
// which live above the driver (snmp counters and the kfree_skb trace).
export type DropClass =
  // NIC RX ring / device buffer overflow: the host did not post RX buffers fast enough.
  | 'RING'
  // Per-CPU backlog full (net.core.netdev_max_backlog, softnet_stat column 2).
  | 'BACKLOG'
  // NAPI budget or time exhausted with work left (softnet_stat column 3); not itself a drop.
  | 'SQUEEZE'
  // Socket receive buffer full (Udp RcvbufErrors, kfree_skb SOCKET_RCVBUFF).
  | 'SOCKET'
  // Provider allowance or shaping (ENA *_allowance_exceeded, virtio device allowance).
  | 'CLOUD'
  // TX queue or ring full (hv_netvsc tx_no_space, mlx5 tx_discards_phy).
  | 'TXQ'
  // Queueing discipline drops on transmit (kfree_skb QDISC_DROP).
  | 'QDISC'
  // Errors, allocation failures, policy drops: not a capacity problem dropkit can tune.
  | 'OTHER';

export type Severity = 'critical' | 'warning' | 'info';
export type Confidence = 'high' | 'medium' | 'low';
// `both` is for counters the provider keeps over both directions (ENA pps_allowance_exceeded).
export type Direction = 'rx' | 'tx' | 'both';

// Report order when severities tie: the classes a vendor or an SRE can act on first.
export const CLASS_ORDER: readonly DropClass[] = [
  'RING',
  'CLOUD',
  'BACKLOG',
  'SOCKET',
  'TXQ',
  'QDISC',
  'SQUEEZE',
  'OTHER',
];

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
export const CONFIDENCE_RANK: Record<Confidence, number> = { high: 2, medium: 1, low: 0 };

export function maxConfidence(a: Confidence, b: Confidence): Confidence {
  return CONFIDENCE_RANK[a] >= CONFIDENCE_RANK[b] ? a : b;
}
