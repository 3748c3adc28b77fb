import { describe, expect, it } from 'vitest';
import {
  dropsByClass,
  lossPercent,
  percentile,
  receiverSeconds,
  runFigures,
} from '../../bundles/compare-metrics.js';
import { reproBundleParts } from '../../bundles/repro-bundle.js';
import { reproPhases } from '../../bundles/repro-summary.js';
import type { Finding } from '../../collectors/diagnosis/engine.js';
import { parseIperf3Result } from '../../repro/iperf3-result.js';
import type { RunRecord } from '../../repro/run/record.js';
import { fixture } from '../collectors/fixture-files.js';
import { fakeRun, withIperf3 } from './compare-runs.js';

// The figures of one run, from a real `repro run` record against the fake
// hosts and from the captured iperf3 documents.

const META = { createdAt: new Date('2026-01-01T00:00:00Z'), command: ['repro'], redacted: false };
const figuresOf = (rec: RunRecord) => runFigures(rec, reproBundleParts(rec, META).findings);

describe('the figures of one run', () => {
  it('UDP: the receiver per second, the loss over the run, and the drops the diagnosis found', async () => {
    const f = figuresOf(await fakeRun(7));
    // The server's two one-second intervals of udp-burst-P2: 998.6 and 1000.7 Mbit/s.
    expect(f.throughputBps).toBeCloseTo((998_641_895.4429975 + 1_000_669_798.7018484) / 2, 3);
    expect(f.throughputP10Bps).toBeCloseTo(998_641_895.4429975, 3);
    // 42 of 178,560 packets.
    expect(f.lossPercent).toBeCloseTo((100 * 42) / 178_560, 9);
    expect(f.retransmits).toBeUndefined();
    expect(f.dropsByClass).toEqual({ BACKLOG: 7n });
    expect(f.squeezeEvents).toBe(0n);
  });

  it('a run with no drop: diagnosed, and no class', async () => {
    const f = figuresOf(await fakeRun(0));
    expect([f.dropsByClass, f.squeezeEvents]).toEqual([{}, 0n]);
  });

  it('TCP: retransmits, no loss, and the 3 ms tail of iperf3 left out of the seconds', async () => {
    const rec = withIperf3(await fakeRun(0), 'tcp-P2-client.json', 'tcp-P2-server.json');
    const server = JSON.parse(fixture('iperf3/tcp-P2-server.json')) as {
      intervals: Array<{ sum: { start: number; end: number; bits_per_second: number } }>;
    };
    const [s1, s2, tail] = server.intervals.map((i) => i.sum);
    expect(tail!.end - tail!.start).toBeLessThan(0.01);
    const f = figuresOf(rec);
    expect(f.throughputBps).toBeCloseTo((s1!.bits_per_second + s2!.bits_per_second) / 2, 3);
    expect(f.throughputP10Bps).toBe(Math.min(s1!.bits_per_second, s2!.bits_per_second));
    expect(f.lossPercent).toBeUndefined();
    // The tail ran at 44 Gbit/s: kept, it would have made the median 20.4 Gbit/s.
    expect(tail!.bits_per_second).toBeGreaterThan(4e10);
    // sum_sent.retransmits of the client.
    expect(f.retransmits).toBe(63);
  });

  it('a run without the receiver\'s "after" snapshot: drops unknown, not zero', async () => {
    const rec = structuredClone(await fakeRun(0));
    // The sender's delta alone: the receiver may have dropped anything.
    delete rec.hosts[1].after;
    const f = figuresOf(rec);
    expect([f.dropsByClass, f.squeezeEvents]).toEqual([undefined, undefined]);
    expect(f.throughputBps).toBeGreaterThan(9e8);
  });
});

describe('the pieces', () => {
  it('percentile is the nearest rank: a second that was measured', () => {
    expect(percentile([], 10)).toBeUndefined();
    expect(percentile([5], 10)).toBe(5);
    expect(percentile([3, 1, 2], 10)).toBe(1);
    expect(percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 10)).toBe(1);
    expect(percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 11], 10)).toBe(2);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });

  it('receiver seconds skip -O warm-up intervals and short tails, across phases', () => {
    const point = (start: number, end: number, bps: number, omitted = false) => ({
      timestamp: start,
      start,
      end,
      bytes: 0,
      bitsPerSecond: bps,
      omitted,
    });
    const base = parseIperf3Result(fixture('iperf3/udp-burst-P2-client.json')).value;
    const dir = base.directions[0]!;
    const phase = (received: ReturnType<typeof point>[]) => ({
      phase: 'p',
      result: { ...base, directions: [{ ...dir, received }] },
    });
    const seconds = receiverSeconds([
      phase([point(0, 1, 100, true), point(1, 2, 200), point(2, 2.004, 1)]),
      phase([point(0, 1, 300), point(1, 1.6, 400)]),
      { phase: 'failed', error: 'refused' },
    ]);
    expect(seconds).toEqual([200, 300, 400]);
  });

  it('loss adds the packets of every phase rather than averaging percentages', () => {
    expect(lossPercent(reproPhasesOf2())).toBeCloseTo((100 * 84) / (2 * 178_560), 9);
  });

  it('drops per class leave out since-boot counts and keep SQUEEZE events apart', () => {
    const f = (cls: Finding['class'], packets: bigint, sinceBoot = false) =>
      ({ class: cls, packets, sinceBoot }) as Finding;
    expect(
      dropsByClass([
        f('BACKLOG', 4000n),
        f('BACKLOG', 768n),
        f('RING', 12n),
        f('SOCKET', 99n, true),
        f('SQUEEZE', 300n),
      ]),
    ).toEqual({ drops: { BACKLOG: 4768n, RING: 12n }, squeezeEvents: 300n });
  });
});

// Two phases of the udp-burst-P2 capture, as reproPhases reads them.
function reproPhasesOf2() {
  const phase = {
    phase: 'burst',
    clientJson: fixture('iperf3/udp-burst-P2-client.json'),
    serverJson: fixture('iperf3/udp-burst-P2-server.json'),
  };
  return reproPhases({
    phases: [phase, { ...phase, phase: 'again' }],
    profile: { phases: [] },
  } as unknown as RunRecord);
}
