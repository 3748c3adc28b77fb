import { type DriverTable, rule } from './rule.js';

// ena: AWS Elastic Network Adapter (COUNTERS.md: AWS-PERF, AWS-TS, K-ENA). Per-queue names
// are `queue_N_rx_...` / `queue_N_tx_...`. The ENI allowance counters exist only when the
// device supports them (old drivers, e.g. the ethq fixture, lack them entirely); they count
// from driver load, so a single snapshot shows them "since boot".
export const ena: DriverTable = {
  drivers: ['ena'],
  // ena_ethtool.c: the ENI allowances (newer devices only), the admin queue (`ena_admin_q_*`)
  // and two per-queue names of its own (`refil` is the driver's spelling).
  markers: [
    /^(?:bw_in|bw_out|pps|conntrack|linklocal)_allowance_exceeded$/,
    /^ena_admin_q_\w+$/,
    /^queue_\d+_rx_refil_partial$/,
    /^queue_\d+_rx_empty_rx_ring$/,
  ],
  // biome-ignore format: one counter per rule() call reads as a table
  ethtool: [
    rule('bw_in_allowance_exceeded', 'bw_in_allowance_exceeded', 'CLOUD', 'loss', 'rx', 'high',
      'queued or dropped: inbound bandwidth above the instance maximum', 'AWS-PERF, AWS-TS'),
    rule('bw_out_allowance_exceeded', 'bw_out_allowance_exceeded', 'CLOUD', 'loss', 'tx', 'high',
      'queued or dropped: outbound bandwidth above the instance maximum', 'AWS-PERF, AWS-TS'),
    rule('pps_allowance_exceeded', 'pps_allowance_exceeded', 'CLOUD', 'loss', 'both', 'high',
      'queued or dropped: packets per second above the instance maximum', 'AWS-PERF'),
    rule('conntrack_allowance_exceeded', 'conntrack_allowance_exceeded', 'CLOUD', 'loss', 'both',
      'high', 'connection tracking full: new connections could not be established', 'AWS-PERF'),
    rule('linklocal_allowance_exceeded', 'linklocal_allowance_exceeded', 'CLOUD', 'loss', 'both',
      'high', 'PPS to link-local services (DNS, IMDS, NTP) above the per-ENI maximum',
      'AWS-PERF'),
    rule('conntrack_allowance_available', 'conntrack_allowance_available', 'CLOUD', 'gauge',
      'both', 'high', 'tracked connections still available (gauge)', 'AWS-PERF'),
    rule(/^queue_(\d+)_tx_queue_stop$/, 'queue_N_tx_queue_stop', 'TXQ', 'event', 'tx', 'high',
      'TX queue was full and stopped', 'AWS-TS'),
    rule(/^queue_(\d+)_tx_queue_wakeup$/, 'queue_N_tx_queue_wakeup', 'TXQ', 'event', 'tx', 'high',
      'TX queue resumed after a stop', 'AWS-TS'),
    // "times that the Netdev watchdog was activated": a TX queue stalled; ENA then resets the
    // device. A finding by itself.
    rule('tx_timeout', 'tx_timeout', 'TXQ', 'stall', 'tx', 'high',
      'netdev TX watchdog fired: a TX queue stalled', 'AWS-TS'),
    // The timer found the ring empty (nothing refilled): the device had no buffer to receive
    // into. ENA has no per-ring drop counter, so this is pressure, not a count of packets.
    rule(/^queue_(\d+)_rx_empty_rx_ring$/, 'queue_N_rx_empty_rx_ring', 'RING', 'event', 'rx',
      'high', 'RX queue found empty', 'AWS-TS'),
    rule(/^queue_(\d+)_rx_refil_partial$/, 'queue_N_rx_refil_partial', 'RING', 'event', 'rx',
      'high', 'could not refill the RX queue (low memory)', 'AWS-TS'),
    rule(/^queue_(\d+)_rx_(?:page|skb)_alloc_fail$/, 'queue_N_rx_alloc_fail', 'OTHER', 'loss',
      'rx', 'medium', 'buffer allocation failed (low memory)', 'AWS-TS'),
    rule(/^queue_(\d+)_(?:rx|tx)_dma_mapping_err$/, 'queue_N_dma_mapping_err', 'OTHER', 'loss',
      'rx', 'medium', 'DMA mapping failed', 'AWS-TS'),
    rule(/^queue_(\d+)_tx_missed_tx$/, 'queue_N_tx_missed_tx', 'OTHER', 'event', 'tx', 'medium',
      'packets left uncompleted', 'AWS-TS'),
    rule(/^queue_(\d+)_rx_xdp_drop$/, 'queue_N_rx_xdp_drop', 'OTHER', 'policy', 'rx', 'high',
      'XDP_DROP verdicts', 'AWS-TS'),
    rule('wd_expired', 'wd_expired', 'OTHER', 'event', 'both', 'high',
      'device keep-alive missed', 'AWS-TS'),
    rule(/^ena_admin_q_\w+$/, 'ena_admin_q', 'OTHER', 'event', 'both', 'medium',
      'admin queue health', 'AWS-TS'),
  ],
};
