import type { Confidence, Direction, DropClass } from '../classes.js';

// What one increment of a counter means. Only `loss` (and `ambiguous`/`guess` above a noise
// floor) can raise a finding on its own; the other kinds are context.
export type CounterKind =
  // One lost packet per increment (rx_missed_errors, softnet dropped, tx_no_space).
  | 'loss'
  // Lost packets whose class the counter alone cannot tell: rx_dropped also counts unknown
  // protocols and bad VLANs (COUNTERS.md, K-IFLINK; RH-KB via netdata#988).
  | 'ambiguous'
  // An unknown counter whose name says drop/discard/miss/err: OTHER, low confidence.
  | 'guess'
  // An event that comes with loss or precedes it (queue stopped, ring found empty, pause sent,
  // time_squeeze). Supporting evidence; SQUEEZE is the one class made of events.
  | 'event'
  // A fault that is a finding by itself although it counts no packets: the netdev TX watchdog
  // found a queue stopped for longer than its timeout (tx_timeout). Opens a group of its class.
  | 'stall'
  // A deliberate drop (XDP_DROP verdict, frame not for this host): checked, never a finding.
  | 'policy'
  // A sum of other counters (rx_errors) or a gauge (conntrack_allowance_available,
  // peer_ifindex): never differenced.
  | 'aggregate'
  | 'gauge';

export interface CounterRule {
  // Exact name, or an anchored pattern for per-queue / per-priority names. A pattern's first
  // capture group, when there is one, is the queue number.
  match: string | RegExp;
  // One name for all instances of a counter (`queue_N_rx_empty_rx_ring`): per-queue values
  // of one family add up, different families that count the same packets do not.
  family: string;
  class: DropClass;
  kind: CounterKind;
  direction: Direction;
  confidence: Confidence;
  // Short meaning, for the evidence list.
  meaning: string;
  // COUNTERS.md citation key (K-MLX5, AWS-PERF, ...), or the code it was read from.
  cite: string;
  // Kernel counters (rtnl_link_stats64 names) the driver adds this counter into: mlx5
  // rx_out_of_buffer is rx_missed_errors (MLX5-MISSED), rx_discards_phy goes into rx_dropped.
  // Those kernel counters show the same loss and join this counter's finding.
  feeds?: readonly string[];
  // The class whose finding this counter belongs to when one is open on the same interface
  // (mlx5 rx_discards_phy is RING only while rx_out_of_buffer rises too).
  joins?: DropClass;
  // A cause of its own inside the class, with its own finding and advice (the accept queue is
  // not the socket receive buffer; the NIC port buffer is not an allocation failure).
  cause?: string;
}

export type RuleExtra = Pick<CounterRule, 'feeds' | 'joins' | 'cause'>;

// An `ethtool -S` name, exact or an anchored pattern (per-queue names).
export type Marker = string | RegExp;

export interface DriverTable {
  // `ethtool -i` driver names this table applies to; the first is the one an inference gives.
  drivers: readonly string[];
  // Names no other Linux driver prints, checked against the drivers' string tables: they name
  // this driver when `ethtool -i` gave none (infer.ts). A name two drivers share would name the
  // wrong one, so a driver without a name of its own has none.
  markers?: readonly Marker[];
  // `ethtool -S` keys.
  ethtool: readonly CounterRule[];
  // Overrides for the kernel's sysfs counters on this driver (veth tx_dropped).
  kernel?: readonly CounterRule[];
}

// Builders keep the tables one line per counter.
export function rule(
  match: string | RegExp,
  family: string,
  cls: DropClass,
  kind: CounterKind,
  direction: Direction,
  confidence: Confidence,
  meaning: string,
  cite: string,
  extra: RuleExtra = {},
): CounterRule {
  return { match, family, class: cls, kind, direction, confidence, meaning, cite, ...extra };
}
