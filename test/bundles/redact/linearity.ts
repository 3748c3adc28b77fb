import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Timing for the adversarial tests. What is measured is the process's CPU time, not wall time:
// a loaded CI machine stretches wall time by whatever else it runs, while CPU time only counts
// our own work. The small input is processed as many times as it takes to match the large one,
// and its results are kept until the last run ends, so both measurements are of the same
// magnitude, allocate and retain as much (a 512 KiB text's findings outlive a young-generation
// GC, a 64 KiB text's do not: without this, a linear target retaining many findings already
// costs 3x more per byte at the large size) and are equally exposed to noise. A linear target
// then costs the same per byte at both sizes, a quadratic one eight times more at the large size.

export const SMALL = 64 * 1024;
export const LARGE = 512 * 1024;
// 8x the input may cost up to 16x the time: twice the ideal, to absorb noise; a quadratic
// target costs 64x.
export const MAX_RATIO = 16;
// CPU time per MiB of input, generous for a slow, shared 2-core machine.
export const BUDGET_MS_PER_MB = 2000;

export interface Sizes {
  readonly small: number;
  readonly large: number;
}

export interface Growth {
  readonly sizes: Sizes;
  readonly smallMs: number; // per run of the small input
  readonly largeMs: number;
  readonly ratio: number;
  readonly msPerMb: number;
}

// A full GC before each measurement, so none pays for the garbage of the one before (the small
// runs leave megabytes of it). Node exposes `gc` to code compiled after this flag is set.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function cpuMs(run: () => void): number {
  collectGarbage();
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function growthOf(small: number[], large: number[], sizes: Sizes): Growth {
  const reps = sizes.large / sizes.small;
  const smallMs = median(small) / reps;
  const largeMs = median(large);
  return {
    sizes,
    smallMs,
    largeMs,
    // Below 2 ms per small run, noise decides (a GC, a large array's pages): such a target is
    // compared with 2 ms instead, which still fails a quadratic over 32 ms at the large size.
    ratio: largeMs / Math.max(smallMs, 2),
    msPerMb: largeMs / (sizes.large / (1024 * 1024)),
  };
}

export function withinLimits(g: Growth, budgetMsPerMb = BUDGET_MS_PER_MB): boolean {
  return g.ratio <= MAX_RATIO && g.msPerMb <= budgetMsPerMb;
}

// `runs` measurements of each size, and their medians.
export function timeAt(
  target: (text: string) => unknown,
  make: (size: number) => string,
  sizes: Sizes,
  runs: number,
): Growth {
  const small = make(sizes.small);
  const large = make(sizes.large);
  const reps = sizes.large / sizes.small;
  const smallRuns = (): number => {
    const kept: unknown[] = [];
    return cpuMs(() => {
      for (let i = 0; i < reps; i += 1) kept.push(target(small));
    });
  };
  target(small); // warm-up: JIT, lazily compiled regexes
  const smallMs: number[] = [];
  const largeMs: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    smallMs.push(smallRuns());
    largeMs.push(cpuMs(() => target(large)));
  }
  return growthOf(smallMs, largeMs, sizes);
}

// One measurement at the given sizes settles a pass: noise only ever adds time. Otherwise:
// - a ratio up to twice the limit is timed again at four times the sizes, and, if still up to
//   twice the limit there, at four times those (1 MiB against 8 MiB). A target whose findings
//   live until it returns keeps more of them alive, the larger its input: between 64 KiB and
//   256 KiB they stop dying young and large arrays move to their own pages, and up to about
//   2 MiB each scavenge has more survivors to copy. That cost a linear target 2-3 times more per
//   byte at 512 KiB, and 3-5 times more at 2 MiB (the leak scan on 110,000 distinct secrets: 45
//   ms/MiB at 256 KiB, 222 at 2 MiB, 199 at 4 MiB). A quadratic target still shows 64x at
//   every scale.
// - anything else (a budget overrun, a quadratic's ratio), or a ratio still over the limit at
//   the largest sizes, is timed twice more there, and the medians of the three decide.
export function measureGrowth(
  target: (text: string) => unknown,
  make: (size: number) => string,
  budgetMsPerMb = BUDGET_MS_PER_MB,
  sizes: Sizes = { small: SMALL, large: LARGE },
  escalations = 2,
): Growth {
  const first = timeAt(target, make, sizes, 1);
  if (withinLimits(first, budgetMsPerMb)) return first;
  if (escalations > 0 && first.ratio > MAX_RATIO && first.ratio <= 2 * MAX_RATIO) {
    const bigger = { small: sizes.small * 4, large: sizes.large * 4 };
    return measureGrowth(target, make, budgetMsPerMb, bigger, escalations - 1);
  }
  return timeAt(target, make, sizes, 3);
}

export function describeGrowth(name: string, g: Growth): string {
  const kib = (n: number) => `${n / 1024} KiB`;
  return `${name}: ${kib(g.sizes.small)} ${g.smallMs.toFixed(1)} ms -> ${kib(g.sizes.large)} ${g.largeMs.toFixed(1)} ms (x${g.ratio.toFixed(1)}, ${g.msPerMb.toFixed(0)} ms/MiB)`;
}
