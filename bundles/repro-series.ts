import { type RunRecord, samplesOf } from '../repro/run/run.js';
import {
  type HostSamples,
  hostClock,
  type Movement,
  movement,
  type SamplerStats,
  type Series,
  samplerStats,
  seriesCsv,
  toSeries,
} from '../repro/run/series.js';
import { type BundleEntry, jsonEntry } from './entries.js';
import { labelOf } from './repro-label.js';

// The samplers' counters on one time axis (the operator's clock), what moved,
// and what sampling cost each host: repro/series.csv and series-meta.json.
// Pure.

export interface ReproSeries {
  hostSamples: HostSamples[];
  series: Series[];
  moved: Movement[];
  stats: SamplerStats[];
}

export function reproSeries(rec: RunRecord): ReproSeries {
  const hostSamples: HostSamples[] = rec.hosts.map((h) => {
    const { offsetMs, errorMs } = hostClock(h);
    return { host: labelOf(h), role: h.role, offsetMs, errorMs, samples: samplesOf(h) };
  });
  const series = hostSamples.flatMap((hs, i) => {
    const h = rec.hosts[i]!;
    // The data interface's traffic is always kept, moved or not: it is the
    // throughput the drops are read against; so is the pod's veth's (--pod).
    const traffic = (iface: string) => [
      `iface.${iface}.rx_bytes`,
      `iface.${iface}.tx_bytes`,
      `iface.${iface}.rx_packets`,
    ];
    return toSeries(hs, [
      ...(h.dataIface ? traffic(h.dataIface) : []),
      ...(h.pod ? traffic(h.pod.hostVeth) : []),
    ]);
  });
  // CPU time (`cpu.cpuN.softirq`, `.steal`) always rises: it is summed up
  // per CPU elsewhere (repro-datapath.ts), not listed as a counter that moved.
  const moved = series
    .filter((s) => !s.key.startsWith('cpu.'))
    .map(movement)
    .filter((m) => m !== undefined);
  const stats = hostSamples.map((hs) => samplerStats(hs, rec.sampleIntervalMs));
  return { hostSamples, series, moved, stats };
}

export function seriesFiles(rec: RunRecord, s: ReproSeries): BundleEntry[] {
  return [
    { path: 'repro/series.csv', bytes: Buffer.from(seriesCsv(s.series)) },
    jsonEntry('repro/series-meta.json', {
      timeAxis:
        'operator clock, milliseconds since the epoch (t_ms) and ISO-8601 UTC (time); host clocks are corrected by their measured offset',
      intervalMs: rec.sampleIntervalMs,
      hosts: s.hostSamples.map((hs, i) => ({
        host: hs.host,
        role: rec.hosts[i]!.role,
        offsetMs: hs.offsetMs,
        offsetErrorMs: hs.errorMs,
        dataInterface: rec.hosts[i]!.dataIface ?? null,
        sampler: s.stats[i],
      })),
    }),
  ];
}
