import type { EthtoolChannels } from './ethtool-channels.js';
import type { SoftnetRow } from './softnet-stat.js';

// The typed, timestamped view of one host at one moment. Raw outputs stay
// byte-exact beside it (RawFile); this is our interpretation of them.

export type InterfaceKind =
  | 'physical'
  | 'sriov-vf'
  | 'veth'
  | 'bridge'
  | 'bond'
  | 'loopback'
  | 'virtual'
  | 'other';

export interface RingInfo {
  rx: number | null;
  rxMax: number | null;
  tx: number | null;
  txMax: number | null;
}

export interface InterfaceSnapshot {
  name: string;
  ifindex?: number;
  driver?: string;
  driverVersion?: string;
  firmware?: string;
  busInfo?: string;
  kind: InterfaceKind;
  master?: string;
  slaves: string[];
  mtu?: number;
  state?: string;
  mac?: string;
  speedMbps?: number;
  // The device's transmit queue length (ip link's `qlen`): pfifo_fast's limit per TX queue.
  txqueuelen?: number;
  // Kernel counters by sysfs name (rx_dropped, rx_missed_errors, ...). From /proc/net/dev
  // alone, its three summed columns have names of their own (proc-net-dev.ts).
  kernel: Record<string, bigint>;
  // `ethtool -S` name → value, as the driver names them.
  ethtool?: Record<string, bigint>;
  ring?: RingInfo;
  channels?: EthtoolChannels;
  // Azure accelerated networking: the hv_netvsc synthetic interface and its
  // SR-IOV VF (enP*, mlx5/mana) whose master it is.
  acceleratedNetworking?: { role: 'synthetic' | 'vf'; peer: string };
}

// Azure names a VF after its PCI domain (`enP30832s1`), so the name alone hints at a VF. Here,
// beside the model, so the snapshot builder and the diagnosis share it.
export function isAzureVfName(name: string): boolean {
  return /^enP\d/.test(name);
}

export interface CloudIdentity {
  provider: 'azure' | 'aws' | 'gcp' | 'unknown';
  vmSize?: string;
  location?: string;
  zone?: string;
}

export interface HostFacts {
  hostname?: string;
  kernelRelease?: string;
  uname?: string;
  os?: string;
  cpus?: number;
  cpuModel?: string;
  uptimeSec?: number;
  bootId?: string;
  cloud?: CloudIdentity;
}

export interface SourceRecord {
  id: string;
  iface?: string;
  rawPath: string;
  // What ran on the host: the command line or the file read.
  source: string;
  exitCode: number | null;
  durationMs?: number;
  stderr?: string;
  ok: boolean;
  // Why it failed, in words: "tool missing", "permission denied", ...
  reason?: string;
  bytes: number;
}

// A collector that adds a field of its own declares it in its file
// (`declare module './model.js' { interface Snapshot { … } }`, tc-qdisc.ts),
// optional: a snapshot without that source has none.
export interface Snapshot {
  schema: 'dropkit.snapshot/1';
  host: string;
  // Operator clock (UTC) when the snapshot script started and ended.
  takenAt: string;
  durationMs: number;
  // Set when takenAt is not the operator's clock (`collect analyze` input):
  // 'sos-manifest' is the host's local time, zone unknown, as its sos report
  // recorded it; 'file-mtime' is a file's time, not when the counters were
  // read, so no interval (and no rate) is measured from it.
  timeBase?: 'sos-manifest' | 'file-mtime';
  // Host clock at the start of the script, nanoseconds since the epoch.
  hostClockNs?: string;
  facts: HostFacts;
  interfaces: InterfaceSnapshot[];
  softnet: SoftnetRow[];
  sysctls: Record<string, string>;
  // /proc/net/snmp and /proc/net/netstat: group → counter → value
  // (Udp.RcvbufErrors, TcpExt.TCPBacklogDrop, ...).
  snmp: Record<string, Record<string, bigint>>;
  sources: SourceRecord[];
  // Sources not run on some interfaces by design (spec.ts
  // softwareOnlyWithDrops): absent when none were skipped.
  skipped?: SkippedSource[];
  warnings: string[];
}

export interface SkippedSource {
  id: string;
  reason: string;
  ifaces: string[];
}

export interface RawFile {
  path: string;
  bytes: Buffer;
  record: SourceRecord;
}
