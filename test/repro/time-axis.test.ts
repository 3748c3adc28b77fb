import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import {
  type ClockReference,
  parseClockReference,
  traceClockMap,
  traceClockName,
} from '../../collectors/trace/clock.js';
import { feedTrace, newTraceStream } from '../../collectors/trace/parse.js';
import { traceScript } from '../../collectors/trace/script.js';
import { iperf3Start, STAMP_TO_START_MS, secondsFromStart } from '../../repro/iperf3-clock.js';
import type { IntervalPoint } from '../../repro/iperf3-intervals.js';

// The conversions onto the operator's clock: the drop trace's trace clock
// through the tracer's clock references, and iperf3's relative seconds
// through the phase's bounds and the reports' timestamps. Pure, but for the
// tracer's own awk, run on trace lines as tracefs prints them.

const ref = (traceS0: number, traceS1: number, wallMs: number): ClockReference => ({
  traceS0,
  traceS1,
  wallMs,
  resolution: 'ns',
});

describe('the trace clock to UTC', () => {
  it('one reference: the wall clock at the middle of its markers, within half their gap', () => {
    const map = traceClockMap('local', [ref(100, 100.002, 1_800_000_000_000)])!;
    expect(map.wallMs(100.001)).toBeCloseTo(1_800_000_000_000, 6);
    expect(map.wallMs(110.001)).toBeCloseTo(1_800_000_010_000, 6);
    expect(map.errorMs).toBeCloseTo(1, 6);
    expect(map.driftPpm).toBeNull();
  });

  it('two references: the trace clock runs at its own rate, mapped linearly', () => {
    // sched_clock 50 ppm slow against the wall clock: 100 s of trace are 100.005 s of UTC.
    const map = traceClockMap('local', [
      ref(100, 100.004, 1_800_000_000_000),
      ref(200.001, 200.003, 1_800_000_100_005),
    ])!;
    expect(map.driftPpm).toBeCloseTo(50, 3);
    expect(map.wallMs(150.002)).toBeCloseTo(1_800_000_050_002.5, 3);
    // The wider pair's bound.
    expect(map.errorMs).toBeCloseTo(2, 6);
  });

  it('a wall clock stepped between the references: the first one only', () => {
    const map = traceClockMap('local', [ref(100, 100, 1e12), ref(200, 200, 1e12 + 103_000)])!;
    expect(map.driftPpm).toBeNull();
    expect(map.wallMs(150)).toBe(1e12 + 50_000);
  });

  it('busybox date, to the second: the middle of that second, ±0.5 s', () => {
    const map = traceClockMap(undefined, [{ ...ref(5, 5, 1e12), resolution: 's' }])!;
    expect(map.wallMs(5)).toBe(1e12 + 500);
    expect(map.errorMs).toBe(500);
  });

  it('a clock that counts cycles or jiffies, or no reference: not placed', () => {
    expect(traceClockMap('counter', [ref(1, 1, 1e12)])).toBeUndefined();
    expect(traceClockMap('x86-tsc', [ref(1, 1, 1e12)])).toBeUndefined();
    expect(traceClockMap('local', [])).toBeUndefined();
  });

  it('references are checked as the host prints them', () => {
    expect(parseClockReference('812.250001 812.251003 1795789105.123456789')).toEqual({
      traceS0: 812.250001,
      traceS1: 812.251003,
      wallMs: 1795789105123.4568,
      resolution: 'ns',
    });
    expect(parseClockReference('812.3 812.2 1795789105.123456789')).toBeUndefined();
    expect(parseClockReference('812 814 1795789105.123456789')).toBeUndefined();
    expect(parseClockReference('812 812 soon')).toBeUndefined();
    expect(parseClockReference('-1 0 1795789105.123456789')).toBeUndefined();
    expect(traceClockName('[local] global counter uptime perf mono mono_raw boot')).toBe('local');
    expect(traceClockName('local global [mono] boot')).toBe('mono');
    expect(traceClockName('local')).toBeUndefined();
  });
});

describe("the tracer's clock references", () => {
  // The tracer's awk program, as the script runs it.
  const awkProgram = () => {
    const s = traceScript({ instance: 'dropkit-x', intervalMs: 1000 });
    return s.slice(s.indexOf("awk $W '") + 8, s.indexOf(`' < "$I/trace_pipe"`));
  };
  const line = (ts: string, what: string) =>
    `              sh-4242    [001] ..... ${ts}: tracing_mark_write: ${what}`;

  it('turn the markers around a wall clock read into an R line, the clock into a K line', async () => {
    const pipe = [
      line('812.250001', 'clock-'),
      line('812.251003', 'clock 1795789105.123456789'),
      '          <idle>-0       [001] ..s1. 812.600000: kfree_skb: skbaddr=0000000012345678 protocol=2048 location=enqueue_to_backlog+0x1a2/0x2e0 reason: CPU_BACKLOG',
      line('813.250100', 'tick'),
      line('813.400000', 'clock-'),
      line('813.401500', 'clock 1795789106.274000000'),
      line('813.401600', 'end'),
    ].join('\n');
    const r = await execa('awk', ['-W', 'interactive', awkProgram()], { input: `${pipe}\n` });
    expect(r.stdout.split('\n')).toEqual([
      'R 812.250001 812.251003 1795789105.123456789',
      'I 1 CPU_BACKLOG enqueue_to_backlog',
      'T 813.250100',
      'R 813.400000 813.401500 1795789106.274000000',
      'T 813.401600',
    ]);
    const st = newTraceStream();
    feedTrace(st, `F<\nname: kfree_skb\nF>\nK [local] global counter mono\n${r.stdout}\n`);
    expect(st.clock).toBe('local');
    expect(st.clockRefs).toHaveLength(2);
    const map = traceClockMap(st.clock, st.clockRefs!)!;
    // The end of the first interval, 1.000598 s of trace after the first reference.
    expect(map.wallMs(813.2501)).toBeCloseTo(1795789105123.4568 + 999.598, 0);
    expect(Math.abs(map.driftPpm!)).toBeLessThan(1000);
  });

  it('a host printing more references than the tracer writes is not believed past a few', () => {
    const st = newTraceStream();
    feedTrace(st, 'R 1 1 1795789105.123456789\n'.repeat(100));
    expect(st.clockRefs).toHaveLength(8);
  });
});

const point = (start: number, end: number, omitted = false): IntervalPoint => ({
  timestamp: 1_795_789_105 + start,
  start,
  end,
  bytes: 1,
  bitsPerSecond: 8,
  omitted,
});

describe("iperf3's seconds to the operator's clock", () => {
  const T = 1_795_789_105;

  it('the phase bounds alone when no offset was measured', () => {
    const s = iperf3Start({
      after: 1000,
      before: 3400,
      lengthS: 2,
      stamps: [{ timesecs: T, offsetMs: 0, errorMs: Number.NaN }],
    })!;
    // Between 1000 and 3400 − 2000.
    expect(s).toEqual({ t0Ms: 1200, errorMs: 200, basis: 'phase' });
  });

  it('the stamps of both ends narrow the phase bounds, each through its host offset', () => {
    // The client's clock is 2 s ahead of the operator's, the server's exact.
    const s = iperf3Start({
      after: T * 1000 - 300,
      before: T * 1000 + 2600,
      lengthS: 2,
      stamps: [
        { timesecs: T + 2, offsetMs: 2000, errorMs: 1 },
        { timesecs: T, offsetMs: 0, errorMs: 1 },
      ],
    })!;
    expect(s.basis).toBe('timestamps and phase');
    // [T − 1 ms, …] from the stamps, up to T + 600 ms from the phase.
    expect(s.t0Ms).toBeCloseTo(T * 1000 + 299.5, 6);
    expect(s.errorMs).toBeCloseTo(300.5, 6);
  });

  it('stamps that contradict the phase are dropped: the operator clock bounds it', () => {
    const s = iperf3Start({
      after: T * 1000 + 5000,
      before: T * 1000 + 7500,
      lengthS: 2,
      stamps: [{ timesecs: T, offsetMs: 0, errorMs: 1 }],
    })!;
    expect(s).toEqual({ t0Ms: T * 1000 + 5250, errorMs: 250, basis: 'phase' });
  });

  it('a phase shorter than its test (an interrupted or garbled record): the stamps alone', () => {
    const s = iperf3Start({
      after: 0,
      before: 10,
      lengthS: 2,
      stamps: [{ timesecs: T, offsetMs: 0, errorMs: 2 }],
    })!;
    expect(s.basis).toBe('timestamps');
    expect(s.t0Ms).toBeCloseTo(T * 1000 + (1000 + STAMP_TO_START_MS) / 2, 6);
    expect(s.errorMs).toBeCloseTo((1000 + STAMP_TO_START_MS) / 2 + 2, 6);
    expect(iperf3Start({ after: 0, before: 10, lengthS: 2, stamps: [] })).toBeUndefined();
  });

  it('interval ends from the test start; counted intervals restart after the -O warm-up', () => {
    expect(secondsFromStart([point(0, 1.0001), point(1.0001, 2.0003)])).toEqual([1.0001, 2.0003]);
    // iperf3 3.9 with -O 2: two omitted seconds, then the test's clock starts again at 0.
    expect(
      secondsFromStart([point(0, 1, true), point(1, 2, true), point(0, 1), point(1, 2)]),
    ).toEqual([1, 2, 3, 4]);
  });
});
