import { type DriverSource, knownDriver } from '../collectors/diagnosis/drivers/index.js';
import { isDriverLossCounter, isKernelLossCounter } from '../collectors/diagnosis/loss-counters.js';
import type { InterfaceSnapshot, Snapshot } from '../collectors/model.js';
import type { BundleKind } from './manifest.js';

// summary.json: what a support engineer needs first, for machines. The
// markdown (summary-md.ts) renders exactly this object. Pure.

export interface LossCounter {
  iface: string;
  source: 'kernel' | 'ethtool';
  counter: string;
  value: bigint;
}

export interface HostSummary {
  host: string;
  status: 'complete' | 'partial' | 'failed';
  error?: string;
  system?: {
    kernel?: string;
    os?: string;
    cpus?: number;
    cpuModel?: string;
    vmSize?: string;
    location?: string;
    zone?: string;
    uptimeSec?: number;
  };
  nics: Array<{
    name: string;
    kind: string;
    driver?: string;
    // `reported` by the host (ethtool -i, sysfs), or inferred from its `counter names`.
    driverSource?: DriverSource;
    firmware?: string;
    busInfo?: string;
    mtu?: number;
    state?: string;
    master?: string;
    pairing?: string;
    ring?: { rx: number | null; rxMax: number | null; tx: number | null; txMax: number | null };
  }>;
  sysctls: Record<string, string>;
  // Non-zero counters that indicate loss, since boot (or since the counter reset).
  loss: LossCounter[];
  softnet: Array<{
    cpu: number;
    processed: bigint;
    dropped: bigint;
    timeSqueeze: bigint;
    flowLimitCount?: bigint;
  }>;
  notCollected: Array<{ source: string; reason: string; ifaces: string[] }>;
  // Sources left out on purpose on some interfaces (idle software ones).
  skipped?: Array<{ source: string; reason: string; ifaces: string[] }>;
}

// A finding as the summary shows it: one line first, details after.
export interface SummaryFinding {
  class: string;
  severity: string;
  host: string;
  line: string;
  explanation: string;
  confidence: string;
  // Settings the fix depends on that could not be read: the bundle is partial.
  unknown: string[];
  evidence: string[];
  fix: string[];
  persistent: string[];
}

export interface Summary {
  schema: 'dropkit.summary/1';
  kind: BundleKind;
  caseId: string | null;
  createdAt: string;
  note?: string;
  status: 'complete' | 'partial';
  // Whether addresses, names and secrets were pseudonymised (--no-redact).
  redacted: boolean;
  // --keep: redaction categories the operator left readable.
  kept?: string[];
  // Causes found, most severe first; empty when nothing moved.
  findings: SummaryFinding[];
  // What the diagnosis looked at, printed when there is no finding.
  checked: string[];
  hosts: HostSummary[];
  // --share-identity: what identity.json holds in clear, by field name; never
  // the values, which stay pseudonymised here like everywhere but there.
  shared?: SharedNote;
}

export interface SharedNote {
  file: string;
  fields: string[];
}

// What a bundle of hosts without traffic (node, scan) says of itself first:
// complete only when every host is.
export function hostsSummaryHead(
  kind: BundleKind,
  hosts: ReadonlyArray<{ status: string }>,
  meta: {
    caseId?: string;
    note?: string;
    createdAt: Date;
    redacted: boolean;
    kept?: readonly string[];
  },
): Pick<
  Summary,
  'schema' | 'kind' | 'caseId' | 'createdAt' | 'note' | 'status' | 'redacted' | 'kept'
> {
  return {
    schema: 'dropkit.summary/1',
    kind,
    caseId: meta.caseId ?? null,
    createdAt: meta.createdAt.toISOString(),
    ...(meta.note ? { note: meta.note } : {}),
    status: hosts.every((h) => h.status === 'complete') ? 'complete' : 'partial',
    redacted: meta.redacted,
    ...(meta.kept?.length ? { kept: [...meta.kept] } : {}),
  };
}

export const KEY_SYSCTLS = [
  'net.core.netdev_max_backlog',
  'net.core.netdev_budget',
  'net.core.netdev_budget_usecs',
  'net.core.rmem_max',
  'net.core.rmem_default',
  'net.ipv4.udp_mem',
  'net.ipv4.tcp_rmem',
  'net.core.flow_limit_cpu_bitmap',
];

// Non-zero counters that indicate loss, judged by the driver tables.
export function lossCounters(i: InterfaceSnapshot): LossCounter[] {
  const out: LossCounter[] = [];
  const read = { kind: i.kind, driver: knownDriver(i.driver, i.ethtool)?.name };
  for (const [c, v] of Object.entries(i.kernel)) {
    if (v > 0n && isKernelLossCounter(read, c))
      out.push({ iface: i.name, source: 'kernel', counter: c, value: v });
  }
  for (const [c, v] of Object.entries(i.ethtool ?? {})) {
    if (v > 0n && isDriverLossCounter(read, c))
      out.push({ iface: i.name, source: 'ethtool', counter: c, value: v });
  }
  return out;
}

export function hostSummary(host: string, snap: Snapshot | undefined, error?: string): HostSummary {
  if (!snap)
    return {
      host,
      status: 'failed',
      ...(error ? { error } : {}),
      nics: [],
      sysctls: {},
      loss: [],
      softnet: [],
      notCollected: [],
    };
  const f = snap.facts;
  const failed = snap.sources.filter((s) => !s.ok);
  const groups = new Map<string, { source: string; reason: string; ifaces: string[] }>();
  for (const s of failed) {
    const k = `${s.id}\u0000${s.reason}`;
    const g = groups.get(k) ?? { source: s.id, reason: s.reason ?? 'failed', ifaces: [] };
    if (s.iface) g.ifaces.push(s.iface);
    groups.set(k, g);
  }
  const byName = new Map(snap.interfaces.map((i) => [i.name, i]));
  return {
    host,
    status: error ? 'partial' : 'complete',
    ...(error ? { error } : {}),
    system: {
      ...(f.kernelRelease ? { kernel: f.kernelRelease } : {}),
      ...(f.os ? { os: f.os } : {}),
      ...(f.cpus !== undefined ? { cpus: f.cpus } : {}),
      ...(f.cpuModel ? { cpuModel: f.cpuModel } : {}),
      ...(f.cloud?.vmSize ? { vmSize: f.cloud.vmSize } : {}),
      ...(f.cloud?.location ? { location: f.cloud.location } : {}),
      ...(f.cloud?.zone ? { zone: f.cloud.zone } : {}),
      ...(f.uptimeSec !== undefined ? { uptimeSec: f.uptimeSec } : {}),
    },
    nics: snap.interfaces
      .filter((i) => i.kind !== 'loopback')
      .map((i) => {
        const peer = i.acceleratedNetworking ? byName.get(i.acceleratedNetworking.peer) : undefined;
        const pairing = i.acceleratedNetworking
          ? i.acceleratedNetworking.role === 'vf'
            ? `SR-IOV VF of ${i.acceleratedNetworking.peer} (accelerated networking)`
            : `synthetic; its VF is ${i.acceleratedNetworking.peer}${peer?.driver ? ` (${peer.driver})` : ''}`
          : undefined;
        const driver = knownDriver(i.driver, i.ethtool);
        return {
          name: i.name,
          kind: i.kind,
          ...(driver ? { driver: driver.name, driverSource: driver.source } : {}),
          ...(i.firmware ? { firmware: i.firmware } : {}),
          ...(i.busInfo ? { busInfo: i.busInfo } : {}),
          ...(i.mtu ? { mtu: i.mtu } : {}),
          ...(i.state ? { state: i.state } : {}),
          ...(i.master ? { master: i.master } : {}),
          ...(pairing ? { pairing } : {}),
          ...(i.ring && i.ring.rx !== null ? { ring: i.ring } : {}),
        };
      }),
    sysctls: Object.fromEntries(
      KEY_SYSCTLS.filter((k) => snap.sysctls[k] !== undefined).map((k) => [k, snap.sysctls[k]!]),
    ),
    loss: snap.interfaces.flatMap(lossCounters),
    softnet: snap.softnet.map((r) => ({
      cpu: r.cpu,
      processed: r.processed,
      dropped: r.dropped,
      timeSqueeze: r.timeSqueeze,
      ...(r.flowLimitCount !== undefined ? { flowLimitCount: r.flowLimitCount } : {}),
    })),
    notCollected: [...groups.values()],
    ...(snap.skipped?.length
      ? { skipped: snap.skipped.map((k) => ({ source: k.id, reason: k.reason, ifaces: k.ifaces })) }
      : {}),
  };
}
