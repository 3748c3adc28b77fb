import type { Point } from './rates.js';

// What the page's script draws, as plain data: one spec per chart, embedded
// as JSON and handed to the charting library in the browser. The spec also
// names each series' host and counter, which the page exposes on the chart's
// element for readers and tests. Pure.

export type ChartKind = 'time' | 'bars' | 'heatmap';

export interface SeriesSpec {
  label: string;
  host?: string;
  counter?: string;
  values: Array<number | null>;
  // Bars: the spread across repeats (min and max), drawn as whiskers.
  low?: Array<number | null>;
  high?: Array<number | null>;
}

export interface ChartSpec {
  id: string;
  kind: ChartKind;
  // Charts of the same group in a compare bundle share their scales.
  group: string;
  title: string;
  // The value axis: its label says the unit; `unit` picks the tick format.
  yLabel: string;
  unit: 'packets/s' | 'bit/s' | '%' | 'count' | 'descriptors';
  // Time charts: milliseconds since the epoch are x0Ms + x[i]; bars and
  // heatmap rows: x[i] is the category's index.
  x0Ms?: number;
  x: number[];
  categories?: string[];
  series: SeriesSpec[];
  // The traffic phases, as offsets from x0Ms.
  bands?: Array<{ label: string; from: number; to: number }>;
  xRange?: [number, number];
  yMax?: number;
  // Heatmaps: the value of the darkest cell.
  zMax?: number;
  // Time charts of one run move their cursors together.
  sync?: string;
  caption?: string;
}

// Several series on one time axis: the union of their times (the hosts'
// samplers tick at their own instants), null where a series has no sample.
// The chart joins a series across its nulls.
export function alignTime(series: ReadonlyArray<readonly Point[]>): {
  x0Ms: number;
  x: number[];
  values: Array<Array<number | null>>;
} {
  const times = [...new Set(series.flatMap((s) => s.map((p) => Math.round(p[0]))))].sort(
    (a, b) => a - b,
  );
  const x0Ms = times[0] ?? 0;
  const at = new Map(times.map((t, i) => [t, i]));
  const values = series.map((s) => {
    const v: Array<number | null> = new Array(times.length).fill(null);
    for (const [t, y] of s) v[at.get(Math.round(t))!] = y;
    return v;
  });
  return { x0Ms, x: times.map((t) => t - x0Ms), values };
}

// The largest value a chart draws (0 when it draws none).
export function maxValue(spec: ChartSpec): number {
  let m = 0;
  for (const s of spec.series)
    for (const arr of [s.values, s.high ?? []]) for (const v of arr) if (v !== null && v > m) m = v;
  return m;
}
