import { classesSeen, type Num, type Spread, type VariantFigures } from './compare-aggregate.js';
import { type Figure, type FigureKey, figures } from './compare-figures.js';

// How a variant moved each figure against the baseline. Pure.
//
// same: the two are written the same (a difference below what the table can
// show is none to the reader); noise: with repeats, the two ranges overlap,
// so one run of either could have given the other's value; removed: drops
// that went to zero; otherwise cut or lowered (went down), raised (went up).

export type ChangeKind = 'removed' | 'cut' | 'lowered' | 'raised' | 'same' | 'noise';

export interface FigureChange {
  figure: FigureKey;
  from: Num;
  to: Num;
  change: ChangeKind;
  // (to − from) / from, in percent; absent when from is 0.
  percent?: number;
}

const overlap = (a: Spread<Num>, b: Spread<Num>) => a.min <= b.max && b.min <= a.max;

export function changeKind(f: Figure, base: Spread<Num>, v: Spread<Num>): ChangeKind {
  if (f.show(base.median) === f.show(v.median)) return 'same';
  if ((base.n > 1 || v.n > 1) && overlap(base, v)) return 'noise';
  if (v.median > base.median) return 'raised';
  if (f.better === 'higher') return 'lowered';
  const zero = typeof v.median === 'bigint' ? v.median === 0n : v.median === 0;
  return zero && f.key.startsWith('drops.') ? 'removed' : 'cut';
}

function percent(from: Num, to: Num): number | undefined {
  const a = Number(from);
  return a === 0 ? undefined : ((Number(to) - a) / a) * 100;
}

// Every figure both sides have, in verdict order; drop classes are those
// either side saw (the other side's count is then 0).
export function changesVs(base: VariantFigures, v: VariantFigures): FigureChange[] {
  const out: FigureChange[] = [];
  for (const f of figures(classesSeen([base, v]))) {
    const a = f.of(base);
    const b = f.of(v);
    if (!a || !b) continue;
    const p = percent(a.median, b.median);
    out.push({
      figure: f.key,
      from: a.median,
      to: b.median,
      change: changeKind(f, a, b),
      ...(p !== undefined ? { percent: p } : {}),
    });
  }
  return out;
}
