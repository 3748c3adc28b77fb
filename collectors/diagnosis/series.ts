import { counterDelta } from '../counter-delta.js';
import type { TimeWindow } from './finding.js';
import type { CounterSeries } from './input.js';

export interface SeriesStats {
  window?: TimeWindow;
  peakRatePerSec?: number;
}

// First and last sample where the counter moved, and the steepest step between two samples.
// The window is as coarse as the sampling: a move is dated by the sample that shows it.
export function seriesStats(series: CounterSeries, wrapBits: 32 | 64 = 64): SeriesStats {
  const points = [...series.points].sort((a, b) => a[0] - b[0]);
  let first: number | undefined;
  let last: number | undefined;
  let peak: number | undefined;
  for (let i = 1; i < points.length; i++) {
    const [t0, v0] = points[i - 1]!;
    const [t1, v1] = points[i]!;
    // A wrap (softnet, 32-bit) or a reset (re-created interface) must not read as a huge step.
    // One sampler run is one boot: a 32-bit counter that went down wrapped.
    const d = counterDelta(v0, v1, { wrapBits, sameBoot: true }).delta;
    if (d === 0n) continue;
    first ??= t1;
    last = t1;
    const dtSec = (t1 - t0) / 1000;
    if (dtSec > 0) peak = Math.max(peak ?? 0, Number(d) / dtSec);
  }
  const result: SeriesStats = {};
  if (first !== undefined && last !== undefined) {
    result.window = { from: new Date(first).toISOString(), to: new Date(last).toISOString() };
  }
  if (peak !== undefined) result.peakRatePerSec = peak;
  return result;
}

export function findSeries(
  series: readonly CounterSeries[] | undefined,
  host: string,
  key: string,
): CounterSeries | undefined {
  return series?.find((s) => s.host === host && s.key === key);
}
