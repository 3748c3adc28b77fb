import { CLASS_ORDER, type DropClass } from '../collectors/diagnosis/classes.js';
import type { RunFigures } from './compare-metrics.js';

// A variant's figures over its repeats: the median of the runs, and their
// range, which is the run-to-run spread a difference must clear. Pure.

export type Num = number | bigint;

export interface Spread<T extends Num> {
  median: T;
  min: T;
  max: T;
  // How many runs had the figure.
  n: number;
}

export interface VariantFigures {
  // Runs whose drops are known: both hosts snapshotted before and after.
  diagnosedRuns: number;
  throughputBps?: Spread<number>;
  throughputP10Bps?: Spread<number>;
  lossPercent?: Spread<number>;
  retransmits?: Spread<number>;
  // Undefined when no run of the variant was diagnosed; a class that one
  // diagnosed run did not report counts as 0 for that run.
  dropsByClass?: Partial<Record<DropClass, Spread<bigint>>>;
  squeezeEvents?: Spread<bigint>;
}

const order = <T extends Num>(a: T, b: T) => (a < b ? -1 : a > b ? 1 : 0);

// Bigints stay bigints (counters are exact): the middle of two drop counts
// is rounded down.
function middle<T extends Num>(a: T, b: T): T {
  return (
    typeof a === 'bigint' ? (a + (b as bigint)) / 2n : ((a as number) + (b as number)) / 2
  ) as T;
}

export function spread<T extends Num>(values: ReadonlyArray<T | undefined>): Spread<T> | undefined {
  const s = values.filter((v): v is T => v !== undefined).sort(order);
  if (!s.length) return undefined;
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : middle(s[mid - 1]!, s[mid]!);
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

function dropSpreads(runs: readonly RunFigures[]): VariantFigures['dropsByClass'] {
  const diagnosed = runs.flatMap((r) => (r.dropsByClass ? [r.dropsByClass] : []));
  if (!diagnosed.length) return undefined;
  const out: Partial<Record<DropClass, Spread<bigint>>> = {};
  for (const c of CLASS_ORDER) {
    if (!diagnosed.some((d) => d[c] !== undefined)) continue;
    out[c] = spread(diagnosed.map((d) => d[c] ?? 0n))!;
  }
  return out;
}

export function aggregate(runs: readonly RunFigures[]): VariantFigures {
  const of = <K extends keyof RunFigures>(k: K) => runs.map((r) => r[k]);
  const out: VariantFigures = { diagnosedRuns: runs.filter((r) => r.dropsByClass).length };
  const set = <K extends keyof VariantFigures>(k: K, v: VariantFigures[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('throughputBps', spread(of('throughputBps')));
  set('throughputP10Bps', spread(of('throughputP10Bps')));
  set('lossPercent', spread(of('lossPercent')));
  set('retransmits', spread(of('retransmits')));
  set('dropsByClass', dropSpreads(runs));
  set('squeezeEvents', spread(of('squeezeEvents')));
  return out;
}

// The classes any of these variants saw, in report order.
export function classesSeen(variants: readonly VariantFigures[]): DropClass[] {
  return CLASS_ORDER.filter((c) => variants.some((v) => v.dropsByClass?.[c] !== undefined));
}

// One class's drops; 0 in every diagnosed run when none reported it.
export function dropsOf(v: VariantFigures, c: DropClass): Spread<bigint> | undefined {
  if (!v.dropsByClass) return undefined;
  return v.dropsByClass[c] ?? { median: 0n, min: 0n, max: 0n, n: v.diagnosedRuns };
}
