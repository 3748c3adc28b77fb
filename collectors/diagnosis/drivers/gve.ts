import { type DriverTable, rule } from './rule.js';

// gve: Google gVNIC (COUNTERS.md, K-GVE: names only, no prose docs, hence medium/low).
// Per-queue keys carry the queue in brackets: `rx_no_buffers_posted[3]`. The NIC-reported
// ones are filled only with the `report-stats` private flag.
export const gve: DriverTable = {
  drivers: ['gve'],
  // gve_ethtool.c: per-queue names end in `[N]` (bnxt's start with `[N]: `), and its admin
  // queue and stats report counters.
  markers: [
    /^rx_(?:posted_desc|no_buffers_posted|queue_drop_cnt)\[\d+\]$/,
    /^tx_event_counter\[\d+\]$/,
    'stats_report_trigger_cnt',
    'adminq_describe_device_cnt',
  ],
  // biome-ignore format: one counter per rule() call reads as a table
  ethtool: [
    rule(/^rx_no_buffers_posted\[(\d+)\]$/, 'rx_no_buffers_posted[N]', 'RING', 'loss', 'rx',
      'medium', 'NIC-reported: packets with no RX buffer posted', 'K-GVE'),
    rule(/^rx_queue_drop_cnt\[(\d+)\]$/, 'rx_queue_drop_cnt[N]', 'RING', 'loss', 'rx', 'medium',
      'NIC-reported queue drops', 'K-GVE'),
    rule(/^rx_drops_(?:packet_over_mru|invalid_checksum)\[(\d+)\]$/, 'rx_drops_nic[N]', 'OTHER',
      'loss', 'rx', 'medium', 'NIC-reported drops (over MRU, bad checksum)', 'K-GVE'),
    rule(/^tx_stop\[(\d+)\]$/, 'tx_stop[N]', 'TXQ', 'event', 'tx', 'medium', 'TX queue stopped',
      'K-GVE'),
    rule(/^tx_wake\[(\d+)\]$/, 'tx_wake[N]', 'TXQ', 'event', 'tx', 'medium', 'TX queue woken',
      'K-GVE'),
    rule('tx_timeouts', 'tx_timeouts', 'TXQ', 'stall', 'tx', 'medium',
      'netdev TX watchdog fired: a TX queue stalled', 'K-GVE'),
    rule(/^(?:rx_buf_alloc_fail|rx_skb_alloc_fail|page_alloc_fail|dma_mapping_error)(?:\[(\d+)\])?$/,
      'gve_alloc_fail', 'OTHER', 'loss', 'rx', 'low', 'allocation / DMA failure', 'K-GVE'),
    rule(/^tx_dma_mapping_error\[(\d+)\]$/, 'tx_dma_mapping_error[N]', 'OTHER', 'loss', 'tx',
      'low', 'DMA mapping failure on TX', 'K-GVE'),
    rule(/^(?:rx_dropped|rx_desc_err_dropped_pkt)$/, 'gve_rx_dropped', 'OTHER', 'loss', 'rx',
      'low', 'driver RX drops', 'K-GVE'),
    rule(/^rx_dropped_pkt\[(\d+)\]$/, 'rx_dropped_pkt[N]', 'OTHER', 'loss', 'rx', 'low',
      'driver RX drops', 'K-GVE'),
    rule('tx_dropped', 'gve_tx_dropped', 'OTHER', 'loss', 'tx', 'low', 'driver TX drops', 'K-GVE'),
  ],
};
