import type { Confidence, DropClass, Severity } from './classes.js';

export interface TimeWindow {
  // ISO 8601, operator clock.
  from: string;
  to: string;
}

export interface Evidence {
  source: 'counter' | 'trace' | 'config';
  // `softnet dropped (cpu1)`, `eth0 rx_dropped`, `ethtool enP1s1 rx_out_of_buffer`,
  // `Udp RcvbufErrors`, `kfree_skb CPU_BACKLOG at enqueue_to_backlog`,
  // `net.core.netdev_max_backlog`.
  name: string;
  // Counters and trace: the increase (bigint, exact beyond 2^53). Config: the current value.
  delta: bigint | string;
  ratePerSec?: number;
  peakRatePerSec?: number;
  // First and last sample where the counter moved (from `series`).
  window?: TimeWindow;
  // The value is the count since boot (single snapshot), not during the run.
  sinceBoot?: boolean;
  // The counter went backwards (interface re-created): delta counts since the reset.
  reset?: boolean;
  meaning?: string;
  // COUNTERS.md citation key.
  cite?: string;
}

export interface Mitigation {
  summary: string;
  // Exact commands that apply the fix on this host (runtime only). Empty when no guest
  // setting fixes it (CLOUD) or a value must be read first (see `checks`).
  commands: string[];
  // Read-only commands to run first or to watch the effect (`ethtool -g enP1s1`).
  checks?: string[];
  // Lines that make the change survive a reboot or a VF re-add; `persistentPath` says where.
  persistent: string[];
  persistentPath?: string;
  caveats?: string[];
}

export interface Finding {
  class: DropClass;
  severity: Severity;
  confidence: Confidence;
  host: string;
  iface?: string;
  cpus?: number[];
  // Lower bound of packets lost (events for SQUEEZE): counters that count the same packets
  // (rx_missed_errors and rx_out_of_buffer) are not added together.
  packets: bigint;
  sinceBoot: boolean;
  // One short phrase, used by findingLine().
  title: string;
  explanation: string;
  evidence: Evidence[];
  mitigation: Mitigation;
  // Settings the fix depends on that could not be read (`net.core.netdev_max_backlog`): the
  // fix never assumes them, it says to read them first.
  unknown?: string[];
  window?: TimeWindow;
  ratePerSec?: number;
  peakRatePerSec?: number;
}
