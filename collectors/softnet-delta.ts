import { type CounterDelta, counterDelta } from './counter-delta.js';
import type { SoftnetRow } from './softnet-stat.js';

// Per-CPU softnet_stat deltas. Only the counters: columns 12/14/15 are queue-length gauges.
export interface SoftnetRowDelta {
  cpu: number;
  processed: CounterDelta;
  dropped: CounterDelta;
  timeSqueeze: CounterDelta;
  receivedRps?: CounterDelta;
  flowLimitCount?: CounterDelta;
}

export interface SoftnetDelta {
  rows: SoftnetRowDelta[];
  // CPUs that came online or went offline between the samples (rows are per online CPU).
  addedCpus: number[];
  removedCpus: number[];
  totals: { processed: bigint; dropped: bigint; timeSqueeze: bigint };
}

// The boot ids of the two snapshots (HostFacts.bootId), when they were read.
export interface BootIds {
  before?: string | undefined;
  after?: string | undefined;
}

// Rows are matched by CPU number, not by position: with an offline CPU the rows shift.
// softnet counters are 32-bit and wrap (SOFTNET_STAT_COLUMNS.md), hence wrapBits 32. The
// kernel never resets them while it runs (CPU hotplug keeps softnet_data), so on one boot a
// counter that went down wrapped (0xfffffff0 -> 0x00000010 is +32), and across a reboot it
// restarted: the boot ids tell which, the distance is only a guess without them.
export function softnetDelta(
  before: SoftnetRow[],
  after: SoftnetRow[],
  intervalSec?: number,
  boots: BootIds = {},
): SoftnetDelta {
  const sameBoot =
    boots.before === undefined || boots.after === undefined
      ? undefined
      : boots.before === boots.after;
  const opts = {
    wrapBits: 32 as const,
    intervalSec,
    ...(sameBoot === undefined ? {} : { sameBoot }),
  };
  const byCpu = new Map<number, SoftnetRow>();
  for (const row of before) if (!byCpu.has(row.cpu)) byCpu.set(row.cpu, row);
  const result: SoftnetDelta = {
    rows: [],
    addedCpus: [],
    removedCpus: [],
    totals: { processed: 0n, dropped: 0n, timeSqueeze: 0n },
  };
  const seen = new Set<number>();
  for (const a of after) {
    if (seen.has(a.cpu)) continue;
    seen.add(a.cpu);
    const b = byCpu.get(a.cpu);
    if (b === undefined) {
      result.addedCpus.push(a.cpu);
      continue;
    }
    const row: SoftnetRowDelta = {
      cpu: a.cpu,
      processed: counterDelta(b.processed, a.processed, opts),
      dropped: counterDelta(b.dropped, a.dropped, opts),
      timeSqueeze: counterDelta(b.timeSqueeze, a.timeSqueeze, opts),
    };
    if (b.receivedRps !== undefined && a.receivedRps !== undefined) {
      row.receivedRps = counterDelta(b.receivedRps, a.receivedRps, opts);
    }
    if (b.flowLimitCount !== undefined && a.flowLimitCount !== undefined) {
      row.flowLimitCount = counterDelta(b.flowLimitCount, a.flowLimitCount, opts);
    }
    result.rows.push(row);
    result.totals.processed += row.processed.delta;
    result.totals.dropped += row.dropped.delta;
    result.totals.timeSqueeze += row.timeSqueeze.delta;
  }
  result.removedCpus = [...byCpu.keys()].filter((cpu) => !seen.has(cpu));
  return result;
}
