import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { newBoundary } from '../../collectors/snapshot/script.js';
import {
  type HostSamples,
  movement,
  samplerStats,
  seriesCsv,
  toSeries,
} from '../../repro/run/series.js';
import { feedSampler, newSamplerStream } from '../../repro/sampler/parse.js';
import { samplerScript } from '../../repro/sampler/script.js';

const B = newBoundary();

for (const [label, shell, posixOnly] of [
  ['bash 5 (no fork per sample)', ['sh'], false],
  ['dash', ['dash'], true],
  ['busybox sh', ['busybox', 'sh'], true],
] as const) {
  describe(`sampler under ${label}`, () => {
    it('streams framed samples at the interval, with its own CPU time', async () => {
      const script = samplerScript({
        intervalMs: 100,
        ethtoolEvery: 5,
        dataIface: 'lo',
        maxSeconds: 1,
        posixOnly,
        boundary: B,
      });
      const st = newSamplerStream(B);
      const samples: ReturnType<typeof feedSampler> = [];
      const child = execa(shell[0], [...shell.slice(1), '-c', script], { buffer: false });
      // Chunks split anywhere: the parser keeps partial lines across them.
      child.stdout!.on('data', (c: Buffer) => {
        const t = c.toString();
        const cut = Math.floor(t.length / 2);
        samples.push(...feedSampler(st, t.slice(0, cut)), ...feedSampler(st, t.slice(cut)));
      });
      await child;
      expect(st.warnings).toEqual([]);
      expect(samples.length).toBeGreaterThanOrEqual(9);
      expect(samples.map((s) => s.seq)).toEqual(samples.map((_, i) => i));
      expect(samples[0]!.softnet.length).toBeGreaterThan(0);
      expect(samples[0]!.ifaces['lo']?.['rx_packets']).toBeTypeOf('bigint');
      expect(samples.some((s) => s.cpuTicks !== undefined)).toBe(true);
      const stats = samplerStats({ host: 'h', offsetMs: 0, errorMs: 0, samples }, 100);
      expect(stats.intervalMs.p50).toBeGreaterThan(80);
      expect(stats.intervalMs.p50).toBeLessThan(130);
    });
  });
}

describe('series', () => {
  const sample = (seq: number, ms: number, dropped: bigint, rxDropped: bigint) => ({
    seq,
    hostNs: BigInt(ms) * 1_000_000n,
    softnet: [
      { cpu: 1, cpuFromIndexColumn: true, processed: 10n, dropped, timeSqueeze: 0n, columns: 13 },
    ],
    ifaces: { eth0: { rx_dropped: rxDropped, rx_bytes: 5n }, veth9: { rx_dropped: 0n } },
  });
  const hs: HostSamples = {
    host: 'b',
    offsetMs: 1000,
    errorMs: 1,
    samples: [
      sample(0, 10_000, 0n, 0n),
      sample(1, 10_100, 0n, 0n),
      sample(2, 10_200, 50n, 40n),
      sample(3, 10_300, 0xffffffffn, 40n),
      sample(4, 10_400, 9n, 40n),
    ],
  };

  it('aligns host time to the operator clock and keeps only what moved (plus softnet)', () => {
    const s = toSeries(hs);
    const keys = s.map((x) => x.key);
    expect(keys).toContain('softnet.cpu1.dropped');
    expect(keys).toContain('iface.eth0.rx_dropped');
    expect(keys).not.toContain('iface.veth9.rx_dropped');
    expect(s[0]!.points[0]![0]).toBe(9000);
    expect(seriesCsv(s).split('\n')[0]).toBe('t_ms,time,host,role,key,value');
  });

  it('finds the window and the peak rate, and counts a 32-bit wrap as a wrap', () => {
    const m = movement(toSeries(hs).find((x) => x.key === 'softnet.cpu1.dropped')!)!;
    // 0→50, 50→2^32-1, then a wrap to 9: 10 more.
    expect(m.delta).toBe(0xffffffffn + 10n);
    expect(m.from).toBe(9100);
    expect(m.to).toBe(9400);
    const r = movement(toSeries(hs).find((x) => x.key === 'iface.eth0.rx_dropped')!)!;
    expect(r.delta).toBe(40n);
    expect(r.peakRatePerSec).toBeCloseTo(400, 5);
  });
});
