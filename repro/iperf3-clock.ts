import type { IntervalPoint } from './iperf3-intervals.js';

// iperf3 dates its interval reports in seconds since the test started, and
// the start itself only to the second (start.timestamp.timesecs, the clock of
// the host that wrote the report). Placing them on the operator's clock takes
// every bound known, and the estimate is the middle of what is left:
// - the operator's own clock around the client: the test started after the
//   client was started and ended, reports and all, before it returned;
// - each report's timesecs, through its host's measured offset: iperf3 stamps
//   it when its control connection is up, to the second, and starts the test
//   after the parameter exchange, a few round trips later.
// Pure.

// What the parameter exchange may take between the stamp and the test's start.
export const STAMP_TO_START_MS = 250;

// A window on the operator's clock, ms since the epoch.
export interface Window {
  from: number;
  to: number;
}

export interface StartBounds {
  // The operator's clock before the client started and after it returned.
  after: number;
  before: number;
  // Seconds of test the reports cover: the last interval's end.
  lengthS: number;
  // Each report's start.timestamp.timesecs, with its host's offset (host
  // minus operator, ms) and that offset's error bound.
  stamps: ReadonlyArray<{ timesecs: number; offsetMs: number; errorMs: number }>;
}

export interface TestStart {
  // The test's second 0 on the operator's clock, and how far off it may be.
  t0Ms: number;
  errorMs: number;
  // What bounded it.
  basis: 'timestamps and phase' | 'phase' | 'timestamps';
}

function intersect(a: Window | undefined, b: Window | undefined): Window | undefined {
  if (!a || !b) return undefined;
  const w = { from: Math.max(a.from, b.from), to: Math.min(a.to, b.to) };
  return w.from <= w.to ? w : undefined;
}

function middle(w: Window, basis: TestStart['basis']): TestStart {
  return { t0Ms: (w.from + w.to) / 2, errorMs: (w.to - w.from) / 2, basis };
}

// The operator window of a test start that the stamps allow, when they agree.
function stampWindow(stamps: StartBounds['stamps']): Window | undefined {
  let w: Window | undefined = { from: -Infinity, to: Infinity };
  let any = false;
  for (const s of stamps) {
    // A stamp through an offset that was never measured bounds nothing.
    if (!Number.isFinite(s.timesecs) || !Number.isFinite(s.errorMs) || s.timesecs <= 0) continue;
    any = true;
    const host = s.timesecs * 1000 - s.offsetMs;
    w = intersect(w, {
      from: host - s.errorMs,
      to: host + 1000 + STAMP_TO_START_MS + s.errorMs,
    });
  }
  return any ? w : undefined;
}

export function iperf3Start(b: StartBounds): TestStart | undefined {
  const phase =
    Number.isFinite(b.after) && Number.isFinite(b.before) && Number.isFinite(b.lengthS)
      ? { from: b.after, to: b.before - b.lengthS * 1000 }
      : undefined;
  const phaseOk = phase && phase.from <= phase.to ? phase : undefined;
  const stamps = stampWindow(b.stamps);
  const both = intersect(phaseOk, stamps);
  if (both) return middle(both, 'timestamps and phase');
  if (phaseOk) return middle(phaseOk, 'phase');
  if (stamps) return middle(stamps, 'timestamps');
  return undefined;
}

// The seconds since the test's start of each report's end. iperf3 restarts
// its clock after the -O warm-up: the counted intervals start again at 0, so
// they are moved past the warm-up's last omitted interval.
export function secondsFromStart(points: readonly IntervalPoint[]): number[] {
  const warmUp = points.filter((p) => p.omitted).reduce((a, p) => Math.max(a, p.end), 0);
  const restarted = points.some((p) => !p.omitted && p.start < warmUp);
  return points.map((p) => p.end + (!p.omitted && restarted ? warmUp : 0));
}
