import type { ChartSpec, SeriesSpec } from './chart-spec.js';
import { arr, field, num, obj, str } from './json-read.js';

// A comparison's bars, one chart per figure of compare.json: each variant's
// median over its runs, with the min–max of its repeats as a whisker
// (bundles/README.md, "Compare bundles"). Pure.

interface Variant {
  name: string;
  doc: unknown;
}

function figure(
  variants: readonly Variant[],
  read: (doc: unknown) => unknown,
  readRange: (range: unknown) => unknown,
): Pick<SeriesSpec, 'values' | 'low' | 'high'> | undefined {
  const values = variants.map((v) => num(read(v.doc)) ?? null);
  if (values.every((v) => v === null)) return undefined;
  const ranges = variants.map((v) => arr(readRange(field(v.doc, 'range'))));
  const low = ranges.map((r) => num(r[0]) ?? null);
  const high = ranges.map((r) => num(r[1]) ?? null);
  return {
    values,
    ...(high.some((h) => h !== null) ? { low, high } : {}),
  };
}

function bars(
  id: string,
  variants: readonly Variant[],
  title: string,
  yLabel: string,
  unit: ChartSpec['unit'],
  label: string,
  s: Pick<SeriesSpec, 'values' | 'low' | 'high'>,
): ChartSpec {
  return {
    id,
    kind: 'bars',
    group: id,
    title,
    yLabel,
    unit,
    x: variants.map((_, i) => i),
    categories: variants.map((v) => v.name),
    series: [{ label, counter: label, ...s }],
    ...(s.high ? { caption: 'Whiskers: the lowest and highest of the repeats.' } : {}),
  };
}

export function compareCharts(compare: unknown): ChartSpec[] {
  const variants: Variant[] = arr(field(compare, 'variants')).map((doc, i) => ({
    name: str(field(doc, 'name')) ?? `variant ${i + 1}`,
    doc,
  }));
  if (!variants.length) return [];
  const out: ChartSpec[] = [];
  const add = (
    key: string,
    title: string,
    yLabel: string,
    unit: ChartSpec['unit'],
    label: string,
    read: (doc: unknown) => unknown,
    readRange: (range: unknown) => unknown,
  ) => {
    const s = figure(variants, read, readRange);
    if (s) out.push(bars(`compare-${key}`, variants, title, yLabel, unit, label, s));
  };
  add(
    'throughput',
    'Receiver throughput, median per second',
    'throughput (bit/s)',
    'bit/s',
    'throughput median',
    (d) => field(d, 'throughputBps'),
    (r) => field(r, 'throughputBps'),
  );
  add(
    'loss',
    'UDP loss',
    'lost packets (%)',
    '%',
    'UDP loss',
    (d) => field(d, 'lossPercent'),
    (r) => field(r, 'lossPercent'),
  );
  add(
    'retransmits',
    'TCP retransmits',
    'retransmitted segments',
    'count',
    'TCP retransmits',
    (d) => field(d, 'retransmits'),
    (r) => field(r, 'retransmits'),
  );
  const classes = [
    ...new Set(variants.flatMap((v) => Object.keys(obj(field(v.doc, 'dropsByClass')) ?? {}))),
  ].sort();
  classes.forEach((c, i) => {
    add(
      `drops-${i}`,
      `${c} drops`,
      'drops (packets)',
      'count',
      `${c} drops`,
      (d) => field(field(d, 'dropsByClass'), c),
      (r) => field(field(r, 'dropsByClass'), c),
    );
  });
  // Events, not packets: shown only when a variant had any.
  const squeezed = variants.some((v) => (num(field(v.doc, 'squeezeEvents')) ?? 0) > 0);
  if (squeezed)
    add(
      'squeeze',
      'time_squeeze events',
      'NAPI polls cut short',
      'count',
      'time_squeeze events',
      (d) => field(d, 'squeezeEvents'),
      (r) => field(r, 'squeezeEvents'),
    );
  return out;
}
