import type { Snapshot } from '../model.js';
import type { SnapshotDelta } from '../snapshot-delta.js';

// Sampled counters of one host on one aligned time axis (operator clock, ms since the epoch).
// Keys: `softnet.cpu1.dropped`, `softnet.cpu1.time_squeeze`, `iface.eth0.rx_dropped`,
// `ethtool.enP1s1.rx_out_of_buffer`, `snmp.Udp.RcvbufErrors` (see seriesKey in observe.ts).
export interface CounterSeries {
  host: string;
  key: string;
  points: Array<[tMs: number, value: bigint]>;
}

// Aggregated skb:kfree_skb drops: one entry per (reason, location). `location` is the caller
// symbol with its +0x offset stripped. `reason` is null on kernels without drop reasons
// (< 5.17); `capped` means the tracer stopped counting early, so counts are lower bounds.
export interface DropTrace {
  host: string;
  kernelHasReasons: boolean;
  capped: boolean;
  entries: Array<{ reason: string | null; location: string; count: number }>;
}

// A socket the test itself received on (iperf3's), as the kernel sized it: the SOCKET advice
// then speaks of that socket's buffer rather than of a value it would have to assume.
export interface TestSocket {
  // Who owned it: `iperf3 server (phase burst)`.
  owner: string;
  // SO_RCVBUF as the kernel set it (iperf3 start.rcvbuf_actual): twice what was asked, capped
  // at twice rmem_max, or rmem_default when nothing was asked.
  rcvbufBytes: number;
  // What the application asked for (iperf3 -w, start.sock_bufsize); 0: nothing.
  askedBytes?: number;
}

// One host. With `before` (or `delta`) the engine reports what moved during the run; with
// `after` alone it reports counters "since boot".
export interface DiagnosisInput {
  before?: Snapshot;
  after: Snapshot;
  delta?: SnapshotDelta;
  series?: CounterSeries[];
  trace?: DropTrace;
  // The test's receiving sockets on this host (repro runs).
  sockets?: TestSocket[];
}
