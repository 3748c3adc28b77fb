// Counters into rates: the sampler records raw counters (series.csv), a
// chart shows what moved per second. Pure.

export type Point = readonly [tMs: number, value: number | null];

const WRAP32 = 2n ** 32n;

const WRAP = 2 ** 32;

// One interval's increase: exact in numbers while both are (below 2^53),
// in bigints otherwise. softnet counters are 32-bit and wrap; any other
// counter that goes down was reset: no increase (null), never a negative one.
function increase(v0: number | bigint, v1: number | bigint, wraps32: boolean): number | null {
  if (typeof v0 === 'number' && typeof v1 === 'number') {
    let d = v1 - v0;
    if (d < 0 && wraps32 && v0 < WRAP && v1 < WRAP) d += WRAP;
    return d < 0 ? null : d;
  }
  let d = BigInt(v1) - BigInt(v0);
  if (d < 0n && wraps32 && BigInt(v0) < WRAP32 && BigInt(v1) < WRAP32) d += WRAP32;
  return d < 0n ? null : Number(d);
}

// The rate over each interval, per second, placed at its end.
export function ratePoints(
  samples: ReadonlyArray<readonly [number, number | bigint]>,
  wraps32: boolean,
): Point[] {
  const out: Point[] = [];
  for (let i = 1; i < samples.length; i++) {
    const [t0, v0] = samples[i - 1]!;
    const [t1, v1] = samples[i]!;
    const dt = t1 - t0;
    if (!(dt > 0)) continue;
    const d = increase(v0, v1, wraps32);
    out.push([t1, d === null ? null : (d * 1000) / dt]);
  }
  return out;
}

// Whether any interval moved: only counters that moved are drawn.
export function moved(points: readonly Point[]): boolean {
  return points.some((p) => p[1] !== null && p[1] > 0);
}

// A long run (5 minutes at 100 ms is 3,000 samples a series) is cut to
// `max` points, each the highest value of its slice of time: a burst of
// drops stays as tall as it was, only narrower.
export function downsample(points: readonly Point[], max: number): Point[] {
  if (points.length <= max) return [...points];
  const per = Math.ceil(points.length / max);
  const out: Point[] = [];
  for (let i = 0; i < points.length; i += per) {
    let best: number | null = null;
    let t = points[i]![0];
    for (const [pt, v] of points.slice(i, i + per)) {
      t = pt;
      if (v !== null && (best === null || v > best)) best = v;
    }
    out.push([t, best]);
  }
  return out;
}

// Charts need a few significant digits, not fifteen: the report's size.
export function rounded(v: number | null): number | null {
  if (v === null || !Number.isFinite(v)) return null;
  if (Math.abs(v) >= 100) return Math.round(v);
  return Math.round(v * 1000) / 1000;
}
