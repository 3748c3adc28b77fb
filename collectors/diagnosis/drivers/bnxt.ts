import { type DriverTable, rule } from './rule.js';

// bnxt_en: Broadcom NetXtreme-C/E (bare metal, OCI, some AWS/GCP hosts). Not in COUNTERS.md: the
// names are bnxt_ethtool.c's, the kernel mapping bnxt_get_ring_stats()/bnxt_get_stats64()
// (drivers/net/ethernet/broadcom/bnxt). Per-ring keys print as `[3]: rx_discards`; the
// `rx_total_*` globals are their sums and the port counters (`rx_*_frames`, `*_cosN`) count
// at the MAC, so families are never added together.
const CITE = 'bnxt_ethtool.c (name), bnxt_get_ring_stats()';

export const bnxt: DriverTable = {
  drivers: ['bnxt_en'],
  // Only the pre-6.2 totals: bng_en (bnge_ethtool.c, Broadcom's next driver) prints the same
  // ring, port and `*_total_*` names as bnxt_en does now, so those cannot tell the two apart.
  markers: ['rx_total_discard_pkts', 'tx_total_discard_pkts'],
  // biome-ignore format: one counter per rule() call reads as a table
  ethtool: [
    // rx_discard_pkts: the completion ring had no buffer for the packet. bnxt_get_ring_stats()
    // adds it to rx_missed_errors (ip -s link `missed`): one ring loss, three counters.
    rule(/^\[(\d+)\]: rx_discards$/, '[N]: rx_discards', 'RING', 'loss', 'rx', 'medium',
      'RX ring had no buffer: packet discarded (per ring)', CITE, { feeds: ['rx_missed_errors'] }),
    rule('rx_total_ring_discards', 'rx_total_ring_discards', 'RING', 'loss', 'rx', 'medium',
      'RX ring had no buffer: packets discarded (all rings)', CITE,
      { feeds: ['rx_missed_errors'] }),
    rule(/^\[(\d+)\]: tx_discards$/, '[N]: tx_discards', 'TXQ', 'loss', 'tx', 'low',
      'TX ring discards (per ring)', CITE),
    rule('tx_total_ring_discards', 'tx_total_ring_discards', 'TXQ', 'loss', 'tx', 'low',
      'TX ring discards (all rings)', CITE),
    rule(/^\[(\d+)\]: tx_errors$/, '[N]: tx_errors', 'OTHER', 'loss', 'tx', 'low',
      'TX error packets (per ring)', CITE, { feeds: ['tx_dropped'] }),
    rule(/^\[(\d+)\]: rx_errors$/, '[N]: rx_errors', 'OTHER', 'loss', 'rx', 'low',
      'RX error packets (per ring)', CITE),
    // Software drops the driver adds to rx_dropped.
    rule(/^(?:\[(\d+)\]: rx_oom_discards|rx_total_oom_discards)$/, 'rx_oom_discards', 'OTHER',
      'loss', 'rx', 'medium', 'no memory for a new RX buffer: packet dropped', CITE,
      { feeds: ['rx_dropped'] }),
    rule(/^(?:\[(\d+)\]: rx_netpoll_discards|rx_total_netpoll_discards)$/, 'rx_netpoll_discards',
      'OTHER', 'loss', 'rx', 'low', 'dropped in netpoll mode', CITE, { feeds: ['rx_dropped'] }),
    // Bad L4 checksums are delivered (the stack checks again); buffer errors and resets are
    // ring recoveries, missed IRQs a recovered interrupt: context, not loss.
    rule(/^(?:\[(\d+)\]: rx_l4_csum_errors|rx_total_l4_csum_errors)$/, 'rx_l4_csum_errors',
      'OTHER', 'event', 'rx', 'low', 'bad L4 checksum reported by the NIC (packet delivered)',
      CITE),
    rule(/^(?:\[(\d+)\]: rx_buf_errors|rx_total_buf_errors)$/, 'rx_buf_errors', 'OTHER', 'event',
      'rx', 'low', 'RX buffer error (the ring is reset)', CITE),
    rule(/^(?:\[(\d+)\]: rx_resets|rx_total_resets|tx_total_resets)$/, 'ring_resets', 'OTHER',
      'event', 'rx', 'low', 'ring reset', CITE),
    rule(/^(?:\[(\d+)\]: missed_irqs|total_missed_irqs)$/, 'missed_irqs', 'OTHER', 'event', 'rx',
      'low', 'missed interrupt recovered by the driver', CITE),
    // Port (MAC) counters: discarded in the port buffer before any ring, per class of service.
    rule(/^rx_discard_packets_cos(\d+)$/, 'rx_discard_packets_cosN', 'OTHER', 'loss', 'rx',
      'medium', 'dropped in the NIC port buffer, before any RX ring (per CoS)', CITE,
      { joins: 'RING', cause: 'port-buffer' }),
    rule('rx_stat_discard', 'rx_stat_discard', 'OTHER', 'loss', 'rx', 'low',
      'discarded at the port, before any RX ring', CITE, { joins: 'RING', cause: 'port-buffer' }),
    rule('rx_stat_err', 'rx_stat_err', 'OTHER', 'loss', 'rx', 'low', 'receive errors at the port',
      CITE),
    rule(/^rx_(?:fcs_err|align_err|mtu_err|ovrsz|jbr|undrsz|runt)_frames$/, 'rx_bad_frames',
      'OTHER', 'loss', 'rx', 'high', 'bad frames at the port (FCS, alignment, size)', CITE),
    rule('rx_pcs_symbol_err', 'rx_pcs_symbol_err', 'OTHER', 'loss', 'rx', 'high',
      'PCS symbol errors (link / PHY)', CITE),
    rule('tx_stat_discard', 'tx_stat_discard', 'TXQ', 'loss', 'tx', 'low',
      'discarded at the port on transmit', CITE),
    rule(/^(?:tx_err|tx_stat_error|tx_fifo_underruns|tx_fcs_err_frames|tx_jabber_frames)$/,
      'tx_port_errors', 'OTHER', 'loss', 'tx', 'medium', 'transmit errors at the port', CITE),
  ],
};
