import { type DriverTable, rule } from './rule.js';

// virtio_net (COUNTERS.md, VIRTIO). Driver stats are per queue (`rx_queue_N_drops`); device
// ("hw") stats came with the 2024 patch, and names longer than 31 characters are cut
// (`rx_hw_packets_allowance_exceede`), so the allowance patterns accept any truncation.
export const virtioNet: DriverTable = {
  drivers: ['virtio_net'],
  // virtio_net.c: host notifications (`kicks`), the plural XDP names (veth says
  // `xdp_redirect`, hv_netvsc `xdp_drop`), and the device stats (`*_queue_hw_N_*`). Old
  // kernels print only `rx_queue_N_packets/bytes`, as hv_netvsc and ice do: no marker.
  markers: [
    /^[rt]x_queue_\d+_kicks$/,
    /^rx_queue_\d+_xdp_redirects$/,
    /^tx_queue_\d+_xdp_tx_drops$/,
    /^[rt]x_queue_hw_\d+_\w+$/,
  ],
  // biome-ignore format: one counter per rule() call reads as a table
  ethtool: [
    rule(/^rx_hw_drop(?:s|_overruns)$/, 'rx_hw_drops', 'RING', 'loss', 'rx', 'medium',
      'device-side RX drops / overruns', 'VIRTIO'),
    rule(/^rx_queue_hw_(\d+)_drop(?:s|_overruns)$/, 'rx_queue_hw_N_drops', 'RING', 'loss', 'rx',
      'medium', 'device-side RX drops / overruns (per queue)', 'VIRTIO'),
    rule(/^rx_(?:queue_hw_(\d+)_|hw_)(?:packets|bytes)_allowance_exc/, 'rx_hw_allowance', 'CLOUD',
      'loss', 'rx', 'medium', 'device-side RX rate limit (allowance)', 'VIRTIO'),
    rule(/^tx_(?:queue_hw_(\d+)_|hw_)(?:packets|bytes)_allowance_exc/, 'tx_hw_allowance', 'CLOUD',
      'loss', 'tx', 'medium', 'device-side TX rate limit (allowance)', 'VIRTIO'),
    rule(/^tx_hw_drop(?:s|_malformed)$/, 'tx_hw_drops', 'OTHER', 'loss', 'tx', 'medium',
      'device-side TX drops', 'VIRTIO'),
    rule(/^rx_queue_(\d+)_drops$/, 'rx_queue_N_drops', 'OTHER', 'loss', 'rx', 'medium',
      '(name) driver-side RX drops', 'VIRTIO'),
    rule('rx_drops', 'rx_drops', 'OTHER', 'loss', 'rx', 'medium', '(name) driver-side RX drops',
      'VIRTIO'),
    // virtnet_tx_timeout(): the host stopped consuming the TX virtqueue.
    rule(/^tx_queue_(\d+)_(?:tx_)?timeouts$/, 'tx_queue_N_timeouts', 'TXQ', 'stall', 'tx',
      'medium', 'TX watchdog timeout: the queue stalled', 'VIRTIO'),
    rule('tx_timeouts', 'tx_timeouts', 'TXQ', 'stall', 'tx', 'medium',
      'TX watchdog timeout: a queue stalled', 'VIRTIO'),
    rule(/^rx_queue_(\d+)_xdp_drops$/, 'rx_queue_N_xdp_drops', 'OTHER', 'policy', 'rx', 'high',
      'XDP_DROP verdicts', 'VIRTIO'),
    rule(/^tx_queue_(\d+)_xdp_tx_drops$/, 'tx_queue_N_xdp_tx_drops', 'OTHER', 'loss', 'tx', 'low',
      'XDP_TX frames dropped', 'VIRTIO'),
  ],
};
