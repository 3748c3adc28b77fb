import type { LiveStatus } from '../../kit/progress.js';
import type { Sample } from '../sampler/parse.js';
import type { RunRecord } from './record.js';

// Status for the progress line, from the last two samples of each host.
function dropsPerSec(a: Sample, b: Sample): number {
  const dt = Number(b.hostNs - a.hostNs) / 1e9;
  if (dt <= 0) return 0;
  let d = 0n;
  for (const r of b.softnet) {
    const p = a.softnet.find((x) => x.cpu === r.cpu);
    if (p && r.dropped >= p.dropped) d += r.dropped - p.dropped;
  }
  for (const [iface, c] of Object.entries(b.ifaces)) {
    // An unwatched interface has only /proc/net/dev's sum of the two.
    const keys =
      c['rx_dropped'] === undefined
        ? ['rx_dropped_plus_missed']
        : ['rx_dropped', 'rx_missed_errors'];
    for (const k of keys) {
      const v1 = c[k];
      const v0 = a.ifaces[iface]?.[k];
      if (v1 !== undefined && v0 !== undefined && v1 >= v0) d += v1 - v0;
    }
  }
  return Number(d) / dt;
}

// `samples` are the live samplers' so far, by host: the record gets them only
// once the samplers have stopped.
export function liveStatus(
  rec: RunRecord,
  samples: readonly Sample[][],
  trafficStart: number,
  duration: number,
): LiveStatus {
  const elapsedS = (Date.now() - trafficStart) / 1000;
  const rx = rec.hosts[1];
  const rs = samples[1] ?? [];
  let throughputBps: number | undefined;
  if (rs.length > 1 && rx.dataIface) {
    const a = rs[rs.length - 2]!;
    const b = rs[rs.length - 1]!;
    const v0 = a.ifaces[rx.dataIface]?.['rx_bytes'];
    const v1 = b.ifaces[rx.dataIface]?.['rx_bytes'];
    const dt = Number(b.hostNs - a.hostNs) / 1e9;
    if (v0 !== undefined && v1 !== undefined && dt > 0) throughputBps = (Number(v1 - v0) * 8) / dt;
  }
  const phase = rec.profile.phases[rec.phases.length]?.name ?? 'traffic';
  return {
    phase,
    elapsedS,
    remainingS: duration - elapsedS,
    ...(throughputBps !== undefined ? { throughputBps } : {}),
    dropRates: rec.hosts.map((h, i) => {
      const s = samples[i] ?? [];
      return {
        host: h.spec,
        perSec: s.length > 1 ? dropsPerSec(s[s.length - 2]!, s[s.length - 1]!) : 0,
      };
    }),
  };
}
