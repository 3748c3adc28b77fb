import { type DriverTable, rule } from './rule.js';

// veth (COUNTERS.md "veth"): pod/container pairs. Without XDP/GRO a packet sent into one end
// reaches the other through netif_rx() → enqueue_to_backlog(), so a full per-CPU backlog
// shows up as `dropped` on the veth (DESIGN.md, the backlog story).
export const veth: DriverTable = {
  drivers: ['veth'],
  // veth.c's XDP error names. Not `peer_ifindex`: netkit prints it too; observe-counters.ts
  // still takes it, on a software interface, as a veth's sign.
  markers: [/^rx_queue_\d+_xdp_tx_errors$/, /^tx_queue_\d+_xdp_xmit_errors$/],
  // biome-ignore format: one counter per rule() call reads as a table
  ethtool: [
    rule('peer_ifindex', 'peer_ifindex', 'OTHER', 'gauge', 'rx', 'high',
      'ifindex of the peer (not a counter)', 'COUNTERS.md veth'),
    // NAPI/XDP mode: the peer's ptr_ring was full. COUNTERS.md: "BACKLOG-like / OTHER".
    rule(/^rx_queue_(\d+)_drops$/, 'rx_queue_N_drops', 'BACKLOG', 'loss', 'rx', 'low',
      '(name) drops on the veth RX queue (XDP/NAPI mode)', 'COUNTERS.md veth'),
    rule(/^rx_queue_(\d+)_xdp_drops$/, 'rx_queue_N_xdp_drops', 'OTHER', 'policy', 'rx', 'high',
      'XDP_DROP verdicts', 'COUNTERS.md veth'),
    rule(/^rx_queue_(\d+)_xdp_tx_errors$/, 'rx_queue_N_xdp_tx_errors', 'OTHER', 'loss', 'tx',
      'low', 'XDP_TX errors', 'COUNTERS.md veth'),
    rule(/^tx_queue_(\d+)_xdp_xmit_errors$/, 'tx_queue_N_xdp_xmit_errors', 'OTHER', 'loss', 'tx',
      'low', 'XDP transmit errors', 'COUNTERS.md veth'),
  ],
  // biome-ignore format: one counter per rule() call reads as a table
  kernel: [
    // veth_xmit() counts a packet its peer refused (peer backlog full, peer down, ring full)
    // as tx_dropped of the sending end (drivers/net/veth.c, not in COUNTERS.md): ambiguous
    // like rx_dropped, and backlog-like only when softnet `dropped` moved too.
    rule('tx_dropped', 'veth_tx_dropped', 'BACKLOG', 'ambiguous', 'tx', 'low',
      'the peer refused the packet (backlog full, peer down)', 'veth_xmit (drivers/net/veth.c)'),
  ],
};
