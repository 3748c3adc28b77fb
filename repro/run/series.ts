import { csvLine } from '../../kit/csv.js';
import { isoTime } from '../../kit/iso-time.js';
import type { Sample } from '../sampler/parse.js';
import type { HostRun } from './record.js';

// The sampler time series on one time axis (the operator's clock), and what
// moved in it. Pure.

export interface HostSamples {
  host: string;
  // sender or receiver, for the CSV's role column.
  role?: string;
  // Host clock minus operator clock, from the clock check, with its bound.
  offsetMs: number;
  errorMs: number;
  samples: Sample[];
}

export interface Series {
  host: string;
  role?: string;
  key: string;
  points: Array<[tMs: number, value: bigint]>;
}

export interface Movement {
  host: string;
  key: string;
  delta: bigint;
  // First and last sample interval in which the counter rose (operator clock).
  from: number;
  to: number;
  peakRatePerSec: number;
}

// A host's clock against the operator's (host minus operator, ms), from the
// preflight's clock check; offset 0 and an unknown error when it was not
// measured.
export function hostClock(h: HostRun): { offsetMs: number; errorMs: number } {
  return {
    offsetMs: h.doctor?.clock?.offsetMs ?? 0,
    errorMs: h.doctor?.clock?.errorMs ?? Number.NaN,
  };
}

export function alignedMs(hostNs: bigint, offsetMs: number): number {
  return Number(hostNs / 1000n) / 1000 - offsetMs;
}

// Every softnet counter per CPU, every protocol counter the sampler follows
// (sampler/snmp.ts: a flat RcvbufErrors says as much as a rising one) and
// every CPU's softirq and steal time (no steal is an answer too), and the
// interface loss counters that moved at all during the run (a node with 200
// veths must not bloat the bundle), plus the traffic counters of the
// interfaces `always` names: the data interface, for throughput. ethtool
// counters, the VF's among them, are kept when they moved:
// `ethtool.<iface>.<counter>`.
export function toSeries(h: HostSamples, always: string[] = []): Series[] {
  const map = new Map<string, Array<[number, bigint]>>();
  const put = (key: string, t: number, v: bigint) => {
    const a = map.get(key) ?? [];
    if (!a.length) map.set(key, a);
    a.push([t, v]);
  };
  // Interface counters are most of a sample on a node with pods (16 per
  // interface, 100 veths, 10 samples a second) and most never move: a first
  // pass finds those that changed, without building a key per value, and
  // only they (and `always`) get points. 1 s of a 10 s run's bundle went to
  // building series that were then dropped.
  const keptIface = movedIfaceCounters(h.samples, always);
  for (const s of h.samples) {
    const t = alignedMs(s.hostNs, h.offsetMs);
    for (const r of s.softnet) {
      put(`softnet.cpu${r.cpu}.dropped`, t, r.dropped);
      put(`softnet.cpu${r.cpu}.time_squeeze`, t, r.timeSqueeze);
      put(`softnet.cpu${r.cpu}.processed`, t, r.processed);
      if (r.flowLimitCount !== undefined)
        put(`softnet.cpu${r.cpu}.flow_limit_count`, t, r.flowLimitCount);
    }
    for (const [iface, cs] of keptIface) {
      const counters = s.ifaces[iface];
      if (!counters) continue;
      for (const c of cs) {
        const v = counters[c];
        if (v !== undefined) put(`iface.${iface}.${c}`, t, v);
      }
    }
    for (const e of s.ethtool ?? [])
      for (const [c, v] of Object.entries(e.stats)) put(`ethtool.${e.iface}.${c}`, t, v);
    for (const r of s.cpuTimes ?? []) {
      if (r.softirq !== undefined) put(`cpu.cpu${r.cpu}.softirq`, t, r.softirq);
      if (r.steal !== undefined) put(`cpu.cpu${r.cpu}.steal`, t, r.steal);
    }
    for (const [group, counters] of Object.entries(s.snmp ?? {}))
      for (const [c, v] of Object.entries(counters)) put(`snmp.${group}.${c}`, t, v);
  }
  const out: Series[] = [];
  for (const [key, points] of map) {
    const moved = points.length > 1 && points[points.length - 1]![1] !== points[0]![1];
    const kept = key.startsWith('softnet.') || key.startsWith('snmp.') || key.startsWith('cpu.');
    if (kept || moved || always.includes(key))
      out.push({ host: h.host, ...(h.role ? { role: h.role } : {}), key, points });
  }
  return out;
}

// Traffic, not loss: every pod's veth carries some (IPv6 neighbour and
// router solicitations, the pod's own), and 100 veths' byte and packet
// counters made series.csv 10 MB for a 10 s run. They are kept for the
// interfaces `always` names (the data interface, the pod's veth).
const TRAFFIC = new Set([
  'rx_bytes',
  'tx_bytes',
  'rx_packets',
  'tx_packets',
  'multicast',
  'rx_compressed',
  'tx_compressed',
]);

// iface → the counters that took more than one value over the run (loss
// counters on every interface, traffic ones on those `always` names), and
// those whose series key is in `always`.
function movedIfaceCounters(samples: readonly Sample[], always: readonly string[]) {
  const named = new Map<string, string[]>();
  for (const key of always) {
    const m = /^iface\.(.+)\.([^.]+)$/.exec(key);
    if (m) named.set(m[1]!, [...(named.get(m[1]!) ?? []), m[2]!]);
  }
  // Each interface's first values, as one record per interface: a node's
  // 200 interfaces times 100 samples made a Map lookup per value, and the
  // entries arrays Object.entries builds, most of the series' time.
  const first = new Map<string, Record<string, bigint>>();
  const kept = new Map<string, Set<string>>();
  const keep = (iface: string, c: string) => {
    const k = kept.get(iface) ?? new Set<string>();
    if (!k.size) kept.set(iface, k);
    k.add(c);
  };
  for (const s of samples)
    for (const iface of Object.keys(s.ifaces)) {
      const counters = s.ifaces[iface]!;
      const f = first.get(iface);
      if (!f) {
        first.set(iface, Object.assign(Object.create(null) as Record<string, bigint>, counters));
        continue;
      }
      const traffic = named.has(iface);
      const done = kept.get(iface);
      for (const c of Object.keys(counters)) {
        const v = counters[c]!;
        const v0 = f[c];
        if (v0 === undefined) f[c] = v;
        else if (v0 !== v && !done?.has(c) && (traffic || !TRAFFIC.has(c))) keep(iface, c);
      }
    }
  for (const [iface, cs] of named) for (const c of cs) keep(iface, c);
  return kept;
}

// Where and when a counter rose, and its peak rate between two samples.
// softnet counters are 32-bit and may wrap; a drop in value is a wrap or reset
// and counts from zero, never as a negative rate.
export function movement(s: Series): Movement | undefined {
  let delta = 0n;
  let from = Number.NaN;
  let to = Number.NaN;
  let peak = 0;
  for (let i = 1; i < s.points.length; i++) {
    const [t0, v0] = s.points[i - 1]!;
    const [t1, v1] = s.points[i]!;
    let d = v1 - v0;
    if (d < 0n) d = s.key.startsWith('softnet.') && v0 > 0x7fffffffn ? v1 + 0x100000000n - v0 : v1;
    if (d === 0n) continue;
    delta += d;
    if (Number.isNaN(from)) from = t0;
    to = t1;
    const dt = (t1 - t0) / 1000;
    if (dt > 0) peak = Math.max(peak, Number(d) / dt);
  }
  return delta > 0n
    ? { host: s.host, key: s.key, delta, from, to, peakRatePerSec: peak }
    : undefined;
}

// Long format, one value per line: loads as-is into a spreadsheet or pandas.
// t_ms stays the first column (readers of the first format split on it).
export function seriesCsv(all: Series[]): string {
  const lines = ['t_ms,time,host,role,key,value'];
  // Every key of a sample shares its time: format each time once.
  const iso = new Map<number, string>();
  const timeOf = (t: number) => {
    const known = iso.get(t);
    if (known !== undefined) return known;
    const s = isoTime(t);
    iso.set(t, s);
    return s;
  };
  for (const s of all)
    for (const [t, v] of s.points)
      lines.push(csvLine([t.toFixed(3), timeOf(t), s.host, s.role ?? '', s.key, v]));
  return `${lines.join('\n')}\n`;
}

export interface SamplerStats {
  host: string;
  samples: number;
  intervalMs: { target: number; p50: number; p99: number; max: number };
  // Worst deviation from the target interval at p99, ms.
  jitterP99Ms: number;
  cpuPercent?: number;
}

export function samplerStats(h: HostSamples, targetMs: number): SamplerStats {
  const gaps: number[] = [];
  for (let i = 1; i < h.samples.length; i++)
    gaps.push(Number(h.samples[i]!.hostNs - h.samples[i - 1]!.hostNs) / 1e6);
  const sorted = [...gaps].sort((a, b) => a - b);
  const q = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  const dev = gaps.map((g) => Math.abs(g - targetMs)).sort((a, b) => a - b);
  const lastCpu = [...h.samples].reverse().find((s) => s.cpuTicks !== undefined);
  const first = h.samples[0];
  const elapsedS = lastCpu && first ? Number(lastCpu.hostNs - first.hostNs) / 1e9 : 0;
  return {
    host: h.host,
    samples: h.samples.length,
    intervalMs: {
      target: targetMs,
      p50: q(0.5),
      p99: q(0.99),
      max: sorted[sorted.length - 1] ?? Number.NaN,
    },
    jitterP99Ms: dev[Math.min(dev.length - 1, Math.floor(0.99 * dev.length))] ?? Number.NaN,
    // USER_HZ is 100 on Linux: ticks / 100 = seconds.
    ...(lastCpu?.cpuTicks !== undefined && elapsedS > 0
      ? { cpuPercent: (lastCpu.cpuTicks / 100 / elapsedS) * 100 }
      : {}),
  };
}
