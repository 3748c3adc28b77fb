import { type DriverTable, rule } from './rule.js';

// hv_netvsc: the Hyper-V / Azure synthetic NIC (COUNTERS.md, K-NETVSC). With accelerated
// networking it is the master of an mlx5/mana VF; `vf_*` counters tell whether the VF carried
// the traffic (read by azure.ts, not classified here).
export const hvNetvsc: DriverTable = {
  drivers: ['hv_netvsc'],
  // netvsc_drv.c netvsc_stats[], vf_stats[] and pcpu_stats[]. Not `tx_busy` (ice prints it),
  // not `stop_queue`/`wake_queue` (mana), not `rx_queue_N_*` (virtio_net, ice).
  markers: [
    'tx_no_space',
    'tx_send_full',
    'rx_comp_busy',
    /^vf_(?:rx|tx)_(?:packets|bytes)$/,
    'vf_tx_dropped',
    /^cpu\d+_vf_(?:rx|tx)_(?:packets|bytes)$/,
  ],
  // biome-ignore format: one counter per rule() call reads as a table
  ethtool: [
    // netvsc_send() returned -ENOSPC: the VMBus channel ring to the host was full with no send
    // pending, the packet was freed and net->stats.tx_dropped incremented.
    rule('tx_no_space', 'tx_no_space', 'TXQ', 'loss', 'tx', 'high',
      'VMBus send ring full: packet dropped', 'K-NETVSC', { feeds: ['tx_dropped'] }),
    // -EAGAIN: NETDEV_TX_BUSY, the stack requeues the packet. Pressure, not loss.
    rule('tx_busy', 'tx_busy', 'TXQ', 'event', 'tx', 'high',
      'send returned busy: packet requeued', 'K-NETVSC'),
    rule('tx_send_full', 'tx_send_full', 'TXQ', 'event', 'tx', 'high',
      'no free send-buffer section (fell back to page buffers)', 'K-NETVSC'),
    rule('stop_queue', 'stop_queue', 'TXQ', 'event', 'tx', 'high', 'TX queue stopped', 'K-NETVSC'),
    rule('wake_queue', 'wake_queue', 'TXQ', 'event', 'tx', 'high', 'TX queue woken', 'K-NETVSC'),
    rule('vf_tx_dropped', 'vf_tx_dropped', 'TXQ', 'loss', 'tx', 'medium',
      'transmit drops on the accelerated-networking VF', 'K-NETVSC'),
    rule('tx_no_memory', 'tx_no_memory', 'OTHER', 'loss', 'tx', 'high',
      'allocation failure on transmit', 'K-NETVSC'),
    rule('tx_too_big', 'tx_too_big', 'OTHER', 'loss', 'tx', 'low', '(name) packet too big',
      'K-NETVSC'),
    // skb allocation failed in netvsc_recv_callback: dropped (COUNTERS.md: OTHER, RING-like).
    rule('rx_no_memory', 'rx_no_memory', 'OTHER', 'loss', 'rx', 'high',
      'skb allocation failed on receive: packet dropped', 'K-NETVSC'),
    rule('rx_comp_busy', 'rx_comp_busy', 'OTHER', 'event', 'rx', 'medium',
      'RX completion not sent: VMBus channel busy', 'K-NETVSC'),
    rule('vlan_error', 'vlan_error', 'OTHER', 'loss', 'rx', 'low', '(name) VLAN error',
      'K-NETVSC'),
    rule(/^rx_queue_(\d+)_xdp_drop$/, 'rx_queue_N_xdp_drop', 'OTHER', 'policy', 'rx', 'high',
      'XDP_DROP verdicts on the synthetic path', 'K-NETVSC'),
  ],
};
