import { type DriverTable, rule } from './rule.js';

// mana: Microsoft Azure Network Adapter VF (COUNTERS.md, K-MANA). The key set changed with
// almost every kernel (COUNTERS.md "Version note"): per-queue names are `rx_N_...`/`tx_N_...`,
// the hardware (GDMA) counters `hc_...`. Nothing here assumes a key is present.
export const mana: DriverTable = {
  drivers: ['mana'],
  // mana_ethtool.c: the GDMA `hc_*` counters (2023+) and the per-queue DMA map error. The first
  // driver had only `stop_queue`/`wake_queue` (hv_netvsc's too) and `rx_N_packets`: no marker.
  markers: [
    'hc_rx_discards_no_wqe',
    /^hc_(?:rx|tx)_(?:bytes|(?:ucast|bcast|mcast)_(?:pkts|bytes))$/,
    /^hc_(?:rx|tx)_err_\w+$/,
    /^hc_(?:rx|tx)_pkt_drop_phy$/,
    /^tx_\d+_mana_map_err$/,
  ],
  // biome-ignore format: one counter per rule() call reads as a table
  ethtool: [
    // `resp.rx_discards_nowqe`: the hardware found no posted receive WQE, i.e. the ring was
    // empty. The mana twin of mlx5 rx_out_of_buffer.
    rule('hc_rx_discards_no_wqe', 'hc_rx_discards_no_wqe', 'RING', 'loss', 'rx', 'high',
      'hardware RX discards: no receive WQE/buffer posted', 'K-MANA'),
    // "aggregate RX/TX drop counters from GDMA phy stats", reason unspecified.
    rule('hc_rx_pkt_drop_phy', 'hc_rx_pkt_drop_phy', 'RING', 'loss', 'rx', 'medium',
      'aggregate RX drops in the hardware (reason unspecified)', 'K-MANA'),
    rule('hc_tx_pkt_drop_phy', 'hc_tx_pkt_drop_phy', 'OTHER', 'loss', 'tx', 'medium',
      'aggregate TX drops in the hardware (reason unspecified)', 'K-MANA'),
    rule(/^hc_(?:rx|tx)_err_(?:vport|gf)_disabled$/, 'hc_err_disabled', 'OTHER', 'loss', 'rx',
      'medium', 'vPort/GF disabled', 'K-MANA'),
    // Covers the policy-enforcement family, including the early spelling
    // `hc_tx_err_sqpdid_enforecement` of the Nov-2023 patch.
    rule(/^hc_tx_err_\w+$/, 'hc_tx_err', 'OTHER', 'loss', 'tx', 'medium',
      'TX policy-enforcement / descriptor error', 'K-MANA'),
    rule(/^hc_tc(\d+)_(?:rx|tx)_pause_phy$/, 'hc_tcN_pause_phy', 'OTHER', 'event', 'rx', 'medium',
      'per-TC pause frames', 'K-MANA'),
    rule('stop_queue', 'stop_queue', 'TXQ', 'event', 'tx', 'high', 'TX queue stopped', 'K-MANA'),
    rule('wake_queue', 'wake_queue', 'TXQ', 'event', 'tx', 'high', 'TX queue woken', 'K-MANA'),
    rule(/^tx_(\d+)_mana_map_err$/, 'tx_N_mana_map_err', 'OTHER', 'loss', 'tx', 'low',
      'DMA mapping error on TX', 'K-MANA'),
    rule(/^(?:tx_cq_err|tx_cqe_unknown_type|rx_cqe_unknown_type|rx_coalesced_err)$/,
      'mana_cq_errors', 'OTHER', 'loss', 'rx', 'low', 'completion error', 'K-MANA'),
    rule(/^rx_(\d+)_pkt_len0_err$/, 'rx_N_pkt_len0_err', 'OTHER', 'loss', 'rx', 'low',
      'zero-length packet error', 'K-MANA'),
    rule(/^rx_(\d+)_xdp_drop$/, 'rx_N_xdp_drop', 'OTHER', 'policy', 'rx', 'high',
      'XDP_DROP verdicts', 'K-MANA'),
  ],
};
