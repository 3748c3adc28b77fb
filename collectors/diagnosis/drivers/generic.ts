import { type CounterRule, rule } from './rule.js';

// Counters every Linux interface has: the kernel's struct rtnl_link_stats64 by sysfs name
// (COUNTERS.md "Generic": K-IFLINK, K-ABI), whatever the driver.
// biome-ignore format: one counter per rule() call reads as a table
export const KERNEL_RULES: readonly CounterRule[] = [
  // "dropped by the device due to lack of buffer space"; hardware events only. Equal to mlx5
  // rx_out_of_buffer on a ConnectX VF (MLX5-MISSED).
  rule('rx_missed_errors', 'rx_missed_errors', 'RING', 'loss', 'rx', 'high',
    'dropped by the device: no buffer space (host not keeping up)', 'K-IFLINK, K-ABI'),
  rule('rx_fifo_errors', 'rx_fifo_errors', 'RING', 'loss', 'rx', 'medium',
    'RX overflow events (legacy, driver-specific)', 'K-IFLINK'),
  // Since 2.6.37 the core also counts backlog-full, bad-VLAN and unknown-protocol drops here:
  // ambiguous until softnet `dropped` or the trace says which.
  rule('rx_dropped', 'rx_dropped', 'BACKLOG', 'ambiguous', 'rx', 'low',
    'received but not processed (backlog full, unknown protocol, bad VLAN...)',
    'K-IFLINK; RH-KB via netdata#988'),
  rule('tx_dropped', 'tx_dropped', 'TXQ', 'ambiguous', 'tx', 'low',
    'dropped on the way to transmission (lack of resources)', 'K-IFLINK'),
  rule('rx_over_errors', 'rx_over_errors', 'OTHER', 'loss', 'rx', 'medium',
    'oversized compared to what the device accepts', 'K-ABI'),
  rule(/^rx_(?:crc|frame|length)_errors$/, 'rx_frame_errors', 'OTHER', 'loss', 'rx', 'high',
    'bad frames (CRC, framing, length)', 'K-IFLINK, K-PROCFS'),
  rule(/^tx_(?:carrier|aborted|fifo|heartbeat|window)_errors$/, 'tx_link_errors', 'OTHER', 'loss',
    'tx', 'high', 'link / medium errors on transmit', 'K-IFLINK, K-PROCFS'),
  rule('rx_nohandler', 'rx_nohandler', 'OTHER', 'policy', 'rx', 'high',
    'no protocol handler (e.g. inactive bond slave)', 'IPROUTE2'),
  rule('rx_otherhost_dropped', 'rx_otherhost_dropped', 'OTHER', 'policy', 'rx', 'medium',
    'not addressed to this host', 'COUNTERS.md generic'),
  // Sums of the counters above: checking them again would count the same packets twice. Shown
  // as context next to a finding of their direction (tx_errors with a TX timeout).
  rule('rx_errors', 'errors_total', 'OTHER', 'aggregate', 'rx', 'high',
    'sum of the receive error counters', 'K-IFLINK'),
  rule('tx_errors', 'errors_total', 'OTHER', 'aggregate', 'tx', 'high',
    'sum of the transmit error counters', 'K-IFLINK'),
];

// `ethtool -S` names many drivers share (ixgbe, igb, i40e print the kernel names again).
// biome-ignore format: one counter per rule() call reads as a table
export const GENERIC_ETHTOOL_RULES: readonly CounterRule[] = [
  rule('rx_missed_errors', 'ethtool_rx_missed_errors', 'RING', 'loss', 'rx', 'high',
    'dropped by the device: no buffer space', 'K-IFLINK'),
  rule('rx_fifo_errors', 'ethtool_rx_fifo_errors', 'RING', 'loss', 'rx', 'medium',
    'RX overflow events (legacy, driver-specific)', 'K-IFLINK'),
  rule('rx_dropped', 'ethtool_rx_dropped', 'BACKLOG', 'ambiguous', 'rx', 'low',
    'received but not processed', 'K-IFLINK'),
  rule('tx_dropped', 'ethtool_tx_dropped', 'TXQ', 'ambiguous', 'tx', 'low',
    'dropped on the way to transmission', 'K-IFLINK'),
  rule(/^(?:rx|tx)_errors$/, 'ethtool_errors_total', 'OTHER', 'aggregate', 'rx', 'high',
    'sum of the error counters', 'K-IFLINK'),
  // The netdev TX watchdog (dev_watchdog -> ndo_tx_timeout) as drivers print it: `tx_timeout`
  // (ena), `tx_timeouts` (gve, virtio_net), `port.tx_timeout` (i40e), `tx_timeout.nic` (ice),
  // `tx timeout count` (vmxnet3). A queue stalled: a finding by itself.
  rule(/^(?:port\.)?tx[ _]timeouts?(?:\.nic| count)?$/, 'tx_timeout', 'TXQ', 'stall', 'tx',
    'medium', 'netdev TX watchdog fired: a TX queue stalled', 'COUNTERS.md (ena, gve, virtio_net)'),
];

// /proc/net/softnet_stat, per CPU (COUNTERS.md, SOFTNET). Names are the SoftnetRow fields.
// biome-ignore format: one counter per rule() call reads as a table
export const SOFTNET_RULES: Readonly<Record<'dropped' | 'time_squeeze' | 'flow_limit_count', CounterRule>> = {
  dropped: rule('dropped', 'softnet_dropped', 'BACKLOG', 'loss', 'rx', 'high',
    'per-CPU backlog full (netdev_max_backlog)', 'SOFTNET'),
  // net_rx_action ran out of netdev_budget / netdev_budget_usecs with work left. Not a drop.
  time_squeeze: rule('time_squeeze', 'softnet_time_squeeze', 'SQUEEZE', 'event', 'rx', 'high',
    'NAPI ran out of budget or time with packets left', 'SOFTNET'),
  // enqueue_to_backlog() drops flow-limited packets through the same path, so they are also
  // in `dropped`: a subset, kept as context.
  flow_limit_count: rule('flow_limit_count', 'softnet_flow_limit', 'BACKLOG', 'event', 'rx',
    'high', 'flow limiter triggered (subset of dropped)', 'SOFTNET'),
};

// /proc/net/snmp and /proc/net/netstat, keyed `Group.Counter`. Not in COUNTERS.md: the
// meanings are the kernel's (include/uapi/linux/snmp.h, net/ipv4/udp.c, tcp_ipv4.c).
// biome-ignore format: one counter per rule() call reads as a table
export const SNMP_RULES: readonly CounterRule[] = [
  // __udp_enqueue_schedule_skb() found sk_rcvbuf full (also counted in InErrors).
  rule(/^(?:Udp|Udp6|UdpLite|UdpLite6)\.RcvbufErrors$/, 'RcvbufErrors', 'SOCKET', 'loss', 'rx',
    'high', 'datagram dropped: socket receive buffer full', 'snmp.h UDP_MIB_RCVBUFERRORS'),
  // udp_mem (protocol-wide memory) exceeded.
  rule(/^(?:Udp|Udp6)\.MemErrors$/, 'UdpMemErrors', 'SOCKET', 'loss', 'rx', 'medium',
    'datagram dropped: UDP memory limit (udp_mem) reached', 'snmp.h UDP_MIB_MEMERRORS'),
  rule('TcpExt.TCPRcvQDrop', 'TCPRcvQDrop', 'SOCKET', 'loss', 'rx', 'medium',
    'segment dropped: receive queue full and could not be pruned', 'snmp.h LINUX_MIB_TCPRCVQDROP'),
  rule('TcpExt.TCPBacklogDrop', 'TCPBacklogDrop', 'SOCKET', 'loss', 'rx', 'medium',
    'segment dropped: socket backlog full while the socket was owned by the user',
    'snmp.h LINUX_MIB_TCPBACKLOGDROP'),
  // The accept queue of a listening socket was full (sk_acceptq_is_full in tcp_v4_syn_recv_sock /
  // tcp_conn_request): the SYN or the handshake's last ACK was dropped. ListenDrops counts every
  // drop on the listen path (tcp_listendrop), overflows included: the same loss, seen twice.
  rule('TcpExt.ListenOverflows', 'ListenOverflows', 'SOCKET', 'loss', 'rx', 'high',
    'connection attempt dropped: listen (accept) queue full', 'snmp.h LINUX_MIB_LISTENOVERFLOWS',
    { cause: 'listen' }),
  rule('TcpExt.ListenDrops', 'ListenDrops', 'SOCKET', 'loss', 'rx', 'medium',
    'connection attempt dropped on the listen path (overflows included)',
    'snmp.h LINUX_MIB_LISTENDROPS', { cause: 'listen' }),
  // InErrors includes RcvbufErrors and checksum errors: an aggregate.
  rule(/^(?:Udp|Udp6)\.InErrors$/, 'UdpInErrors', 'SOCKET', 'aggregate', 'rx', 'high',
    'sum of UDP receive errors', 'snmp.h UDP_MIB_INERRORS'),
];

// An unknown counter is ignored, unless one word of its name says it counts loss or errors.
// Byte counters are skipped: they would double the packet counters they go with.
const LOSS_WORDS = new Set([
  'drop',
  'drops',
  'dropped',
  'discard',
  'discards',
  'discarded',
  'miss',
  'missed',
  'misses',
  'err',
  'errs',
  'error',
  'errors',
]);

export function guessRule(name: string): CounterRule | undefined {
  const words = name
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w !== '');
  if (words.includes('bytes') || !words.some((w) => LOSS_WORDS.has(w))) return undefined;
  return rule(
    name,
    name,
    'OTHER',
    'guess',
    'rx',
    'low',
    'unknown counter; its name says drop/discard/miss/error',
    'name only',
  );
}
