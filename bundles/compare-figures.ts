import type { DropClass } from '../collectors/diagnosis/classes.js';
import { formatBitRate } from '../kit/bit-rate.js';
import { thousands } from '../kit/thousands.js';
import { dropsOf, type Num, type Spread, type VariantFigures } from './compare-aggregate.js';

// The figures a comparison shows, each with its name, its direction (fewer
// drops is better, more throughput is better) and how it is written. The
// table, the verdicts and compare.json all go through this list. Pure.

export type FigureKey =
  | 'throughputBps'
  | 'throughputP10Bps'
  | 'lossPercent'
  | 'retransmits'
  | 'squeezeEvents'
  | `drops.${DropClass}`;

export interface Figure {
  key: FigureKey;
  // As a verdict names it: "BACKLOG drops", "UDP loss".
  label: string;
  better: 'lower' | 'higher';
  show: (v: Num) => string;
  of: (v: VariantFigures) => Spread<Num> | undefined;
}

// 1.5%, 0.024%, 0.0%: enough digits to tell a small loss from none.
export function formatPercent(v: number): string {
  if (v === 0) return '0.0%';
  return `${v >= 1 ? v.toFixed(1) : Number(v.toPrecision(2)).toString()}%`;
}

export const showRate = (v: Num) => formatBitRate(Number(v));
export const showCount = (v: Num) => thousands(v);
const showPercent = (v: Num) => formatPercent(Number(v));

export function dropFigure(c: DropClass): Figure {
  return {
    key: `drops.${c}`,
    label: `${c} drops`,
    better: 'lower',
    show: showCount,
    of: (v) => dropsOf(v, c),
  };
}

// In verdict order: where packets died, then what the traffic saw.
export function figures(classes: readonly DropClass[]): Figure[] {
  return [
    ...classes.map(dropFigure),
    {
      key: 'squeezeEvents',
      label: 'time_squeeze events',
      better: 'lower',
      show: showCount,
      of: (v) => v.squeezeEvents,
    },
    {
      key: 'lossPercent',
      label: 'UDP loss',
      better: 'lower',
      show: showPercent,
      of: (v) => v.lossPercent,
    },
    {
      key: 'retransmits',
      label: 'TCP retransmits',
      better: 'lower',
      show: showCount,
      of: (v) => v.retransmits,
    },
    {
      key: 'throughputBps',
      label: 'receiver throughput',
      better: 'higher',
      show: showRate,
      of: (v) => v.throughputBps,
    },
    {
      key: 'throughputP10Bps',
      label: 'p10 receiver throughput',
      better: 'higher',
      show: showRate,
      of: (v) => v.throughputP10Bps,
    },
  ];
}

export function figureFor(key: FigureKey): Figure {
  if (key.startsWith('drops.')) return dropFigure(key.slice('drops.'.length) as DropClass);
  return figures([]).find((f) => f.key === key)!;
}

// A cell: the median, and the range when there were several runs.
export function showSpread(s: Spread<Num> | undefined, show: (v: Num) => string): string {
  if (!s) return '-';
  return s.n > 1 ? `${show(s.median)} (${show(s.min)}–${show(s.max)})` : show(s.median);
}
