import type { DropClass, Finding } from '../collectors/diagnosis/engine.js';
import { countedIntervals, median } from '../repro/iperf3-intervals.js';
import type { RunRecord } from '../repro/run/run.js';
import type { PhaseResult } from './repro-results.js';
import { reproPhases } from './repro-summary.js';

// The figures of one reproduction that a comparison puts side by side:
// receiver throughput per second, UDP loss or TCP retransmits, and the drops
// the diagnosis attributed to each class. Pure.

export type DropCounts = Partial<Record<DropClass, bigint>>;

export interface RunFigures {
  // Median and 10th percentile of the receiver's per-second throughput.
  throughputBps: number | undefined;
  throughputP10Bps: number | undefined;
  // UDP phases: lost / expected packets over every phase, in percent.
  lossPercent: number | undefined;
  // TCP phases: segments the senders retransmitted, summed.
  retransmits: number | undefined;
  // Packets lost per class during the run; undefined unless both hosts were
  // snapshotted before and after: a host without its delta may have dropped
  // anything, and "no drop" must never be claimed for it.
  dropsByClass: DropCounts | undefined;
  // SQUEEZE counts NAPI polls cut short, not packets: kept apart so a
  // "drops" total never adds events to packets.
  squeezeEvents: bigint | undefined;
}

// Every receiver interval of every phase and direction, as bit/s, without
// partial and warm-up intervals (countedIntervals): a 3 ms tail would pull
// the median and the 10th percentile down. A --bidir run has two receivers:
// each direction's seconds count as values.
export function receiverSeconds(phases: readonly PhaseResult[]): number[] {
  return phases.flatMap((p) =>
    (p.result?.directions ?? []).flatMap((d) =>
      countedIntervals(d.received).map((x) => x.bitsPerSecond),
    ),
  );
}

// Nearest rank: a value that was measured (the 10th percentile of 10 seconds
// is the slowest one), rather than one interpolated between two seconds.
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!values.length) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1];
}

// Loss over the whole run: the phases' totals added, not their percentages
// averaged, so a short phase weighs what it sent.
export function lossPercent(phases: readonly PhaseResult[]): number | undefined {
  let lost = 0;
  let packets = 0;
  for (const p of phases)
    for (const d of p.result?.directions ?? []) {
      lost += d.udp?.lostPackets ?? 0;
      packets += d.udp?.packets ?? 0;
    }
  return packets > 0 ? (100 * lost) / packets : undefined;
}

export function retransmits(phases: readonly PhaseResult[]): number | undefined {
  const counts = phases.flatMap((p) =>
    (p.result?.directions ?? []).flatMap((d) =>
      d.retransmits === undefined ? [] : [d.retransmits],
    ),
  );
  return counts.length ? counts.reduce((a, b) => a + b, 0) : undefined;
}

// The findings' packets, summed per class. A finding counted since boot (a
// host without its "before" snapshot) says nothing about this run: left out.
export function dropsByClass(findings: readonly Finding[]): {
  drops: DropCounts;
  squeezeEvents: bigint;
} {
  const drops: DropCounts = {};
  let squeezeEvents = 0n;
  for (const f of findings) {
    if (f.sinceBoot) continue;
    if (f.class === 'SQUEEZE') squeezeEvents += f.packets;
    else drops[f.class] = (drops[f.class] ?? 0n) + f.packets;
  }
  return { drops, squeezeEvents };
}

// `findings` are the run's diagnosis, as its repro bundle has it
// (reproBundleParts), so both say the same thing.
export function runFigures(rec: RunRecord, findings: readonly Finding[]): RunFigures {
  const phases = reproPhases(rec);
  const seconds = receiverSeconds(phases);
  const diagnosed = rec.hosts.every((h) => h.before && h.after);
  const { drops, squeezeEvents } = dropsByClass(findings);
  return {
    throughputBps: median(seconds),
    throughputP10Bps: percentile(seconds, 10),
    lossPercent: lossPercent(phases),
    retransmits: retransmits(phases),
    dropsByClass: diagnosed ? drops : undefined,
    squeezeEvents: diagnosed ? squeezeEvents : undefined,
  };
}
