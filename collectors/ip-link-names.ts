import { getOwn } from './own-record.js';

// Column names of `ip -s link` (text) and keys of `ip -s -j link` (JSON) mapped to the kernel's
// sysfs statistics names, so every layout yields the same keys (COUNTERS.md, IPROUTE2 row).
//
// Text history: before iproute2 5.10 the RX row was `bytes packets errors dropped overrun mcast`
// and `-s -s` put `missed` in the `RX errors:` row (aws ena 5.5 fixture); from 5.10 the RX row
// has `missed` and `overrun` moved to `RX errors:` (proxmox fixture). Mapping by column NAME
// rather than position is what keeps `missed` right in both. `nohandler` and `otherhost` only
// appear in `RX errors:` when not zero. `heartbeat` became `heartbt` with dynamic columns.
export type Direction = 'rx' | 'tx';

export const TEXT_COLUMNS: Record<Direction, Record<string, string>> = {
  rx: {
    bytes: 'rx_bytes',
    packets: 'rx_packets',
    errors: 'rx_errors',
    dropped: 'rx_dropped',
    overrun: 'rx_over_errors',
    missed: 'rx_missed_errors',
    mcast: 'multicast',
    compressed: 'rx_compressed',
    length: 'rx_length_errors',
    crc: 'rx_crc_errors',
    frame: 'rx_frame_errors',
    fifo: 'rx_fifo_errors',
    nohandler: 'rx_nohandler',
    otherhost: 'rx_otherhost_dropped',
    otherhost_dropped: 'rx_otherhost_dropped',
  },
  tx: {
    bytes: 'tx_bytes',
    packets: 'tx_packets',
    errors: 'tx_errors',
    dropped: 'tx_dropped',
    carrier: 'tx_carrier_errors',
    collsns: 'collisions',
    compressed: 'tx_compressed',
    aborted: 'tx_aborted_errors',
    fifo: 'tx_fifo_errors',
    window: 'tx_window_errors',
    heartbeat: 'tx_heartbeat_errors',
    heartbt: 'tx_heartbeat_errors',
    // Carrier transitions: /sys/class/net/<if>/carrier_changes (not under statistics/).
    transns: 'carrier_changes',
  },
};

// JSON keys never changed across iproute2 versions (`stats64.rx.missed_errors`, ...).
export const JSON_KEYS: Record<Direction, Record<string, string>> = {
  rx: {
    bytes: 'rx_bytes',
    packets: 'rx_packets',
    errors: 'rx_errors',
    dropped: 'rx_dropped',
    over_errors: 'rx_over_errors',
    multicast: 'multicast',
    compressed: 'rx_compressed',
    length_errors: 'rx_length_errors',
    crc_errors: 'rx_crc_errors',
    frame_errors: 'rx_frame_errors',
    fifo_errors: 'rx_fifo_errors',
    missed_errors: 'rx_missed_errors',
    nohandler: 'rx_nohandler',
    otherhost: 'rx_otherhost_dropped',
    otherhost_dropped: 'rx_otherhost_dropped',
  },
  tx: {
    bytes: 'tx_bytes',
    packets: 'tx_packets',
    errors: 'tx_errors',
    dropped: 'tx_dropped',
    carrier_errors: 'tx_carrier_errors',
    collisions: 'collisions',
    compressed: 'tx_compressed',
    aborted_errors: 'tx_aborted_errors',
    fifo_errors: 'tx_fifo_errors',
    window_errors: 'tx_window_errors',
    heartbeat_errors: 'tx_heartbeat_errors',
    carrier_changes: 'carrier_changes',
  },
};

// Unknown names keep a direction prefix so a future column is still recorded, not dropped.
export function statName(table: Record<string, string>, dir: Direction, name: string): string {
  return getOwn(table, name) ?? `${dir}_${name}`;
}

export function isKnown(table: Record<string, string>, name: string): boolean {
  return Object.hasOwn(table, name);
}
