import { parseRemoteDate } from '../../kit/doctor/clock.js';

// The tracer's timestamps are on tracefs's trace clock, not the wall clock:
// `local` by default (the CPU's sched_clock: seconds since boot, close to
// /proc/uptime but never set by NTP). At its start and at its end the tracer
// writes two trace markers around a read of the host's wall clock; each pair
// ties the trace clock to UTC within half the gap between its two markers (a
// fork and exec of `date`, about a millisecond). Two pairs also give the rate
// of the trace clock against the wall clock (sched_clock is not steered by
// NTP: tens of ppm apart). Pure.

// One reference: the wall clock (ms since the epoch) was read between the
// trace-clock times traceS0 and traceS1 (seconds).
export interface ClockReference {
  traceS0: number;
  traceS1: number;
  wallMs: number;
  // busybox `date` has no %N: then the wall clock is known to the second.
  resolution: 'ns' | 's';
}

// The trace clocks that count seconds (printed as seconds.microseconds);
// counter, uptime (jiffies) and the CPUs' raw counters print counts.
const SECONDS_CLOCKS = new Set(['local', 'global', 'perf', 'mono', 'mono_raw', 'boot', 'tai']);

// The clock in use in tracefs's `trace_clock`: the one in brackets.
export function traceClockName(text: string): string | undefined {
  return /\[([a-z0-9_-]{1,32})\]/.exec(text)?.[1];
}

// `R <trace s> <trace s> <wall s.ns>` from the tracer, checked.
export function parseClockReference(rest: string): ClockReference | undefined {
  const [a, b, w] = rest.split(' ');
  const t0 = Number(a);
  const t1 = Number(b);
  const wall = parseRemoteDate(w ?? '');
  if (!/^\d+(\.\d+)?$/.test(a ?? '') || !/^\d+(\.\d+)?$/.test(b ?? '') || !wall) return undefined;
  // The markers bracket the read: in order, and not a second apart.
  if (t1 < t0 || t1 - t0 > 1) return undefined;
  return { traceS0: t0, traceS1: t1, wallMs: wall.ms, resolution: wall.resolution };
}

export interface TraceClockMap {
  // Trace-clock seconds to the host's wall clock, ms since the epoch.
  wallMs: (traceS: number) => number;
  // The mapping is exact within ± this.
  errorMs: number;
  // The trace clock's rate against the wall clock, in parts per million
  // (null with a single reference).
  driftPpm: number | null;
}

// More than this apart from the wall clock's rate, the trace clock is not a
// clock in seconds, or the wall clock was stepped: only one reference is used.
const MAX_DRIFT_PPM = 1000;

export function traceClockMap(
  clock: string | undefined,
  refs: readonly ClockReference[],
): TraceClockMap | undefined {
  if (clock !== undefined && !SECONDS_CLOCKS.has(clock)) return undefined;
  const first = refs[0];
  const last = refs.at(-1);
  if (!first || !last) return undefined;
  const mid = (r: ClockReference) => (r.traceS0 + r.traceS1) / 2;
  const err = (r: ClockReference) =>
    ((r.traceS1 - r.traceS0) / 2) * 1000 + (r.resolution === 's' ? 500 : 0);
  // A wall clock known to the second reads up to a second late: its middle.
  const wall = (r: ClockReference) => r.wallMs + (r.resolution === 's' ? 500 : 0);
  const spanS = mid(last) - mid(first);
  if (spanS > 0) {
    const rate = (wall(last) - wall(first)) / (spanS * 1000);
    const driftPpm = (rate - 1) * 1e6;
    if (Math.abs(driftPpm) <= MAX_DRIFT_PPM)
      return {
        wallMs: (t) => wall(first) + (t - mid(first)) * 1000 * rate,
        errorMs: Math.max(err(first), err(last)),
        driftPpm,
      };
  }
  return {
    wallMs: (t) => wall(first) + (t - mid(first)) * 1000,
    errorMs: err(first),
    driftPpm: null,
  };
}
