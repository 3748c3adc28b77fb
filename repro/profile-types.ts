// The typed form of a profile YAML file (see repro/README.md for the schema).
// Values here are already validated: rates are parsed, defaults are filled in.

export type Protocol = 'udp' | 'tcp';

export interface Phase {
  name: string;
  protocol: Protocol;
  // -P: parallel streams (iperf3 3.12 drives them all from one thread).
  streams: number;
  // -b: per-stream target rate as written in the YAML ("2G"), and in bits/s.
  // null only for TCP: congestion control bounds it (iperf3's default, unlimited).
  bitrate: string | null;
  bitsPerSecond: number | null;
  // -b RATE/BURST: packets sent back to back before the rate throttle is checked.
  burst: number | null;
  // -l: bytes per write (one UDP datagram's payload).
  length: number | null;
  // -t: seconds of traffic.
  duration: number;
  reverse: boolean;
  bidir: boolean;
  // -w: socket buffer size as written ("4M").
  window: string | null;
  // Extra iperf3 client flags, checked against an allow-list.
  extraArgs: string[];
}

export interface Profile {
  name: string;
  description: string;
  // Where it came from: the YAML path, for messages.
  source: string;
  phases: Phase[];
}

// Limits that keep a reproduction from hurting a production host. They are not
// part of a profile on purpose: a profile someone mailed you must not be able
// to raise them; only the operator can, explicitly.
export interface Caps {
  // Total traffic time: the sum of every phase's duration, in seconds.
  maxTotalDurationS: number;
  // The highest aggregate rate of one phase, per direction: streams x bitrate.
  maxAggregateBitsPerSecond: number;
}

export const DEFAULT_CAPS: Readonly<Caps> = Object.freeze({
  maxTotalDurationS: 300,
  maxAggregateBitsPerSecond: 25e9,
});
