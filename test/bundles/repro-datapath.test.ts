import { describe, expect, it } from 'vitest';
import {
  type CpuTime,
  cpuTime,
  datapathSection,
  type HostDatapath,
} from '../../bundles/repro-datapath.js';
import type { RunRecord } from '../../repro/run/record.js';
import type { Series } from '../../repro/run/series.js';

// The datapath and CPU time section of summary.md, and the CPU shares from the sampled
// /proc/stat: plain data in, lines out.

const host = (over: Partial<HostDatapath> = {}): HostDatapath => ({
  host: 'vmB',
  role: 'receiver',
  dataInterface: 'eth0',
  vf: null,
  vfRxShare: null,
  vfSamples: 0,
  events: [],
  ...over,
});

describe('CPU time from the sampled /proc/stat', () => {
  it('is the share of the sampled span each CPU spent in softirq and lost to steal', () => {
    const rec = {
      hosts: [
        { role: 'sender', spec: 'vmA' },
        { role: 'receiver', spec: 'vmB' },
      ],
    };
    const s = (key: string, a: bigint, b: bigint): Series => ({
      host: 'vmB',
      key,
      points: [
        [1_000, a],
        [11_000, b],
      ],
    });
    // 10 s: 120 ticks of steal is 1.2 s, 12% of one CPU.
    const out = cpuTime(rec as unknown as RunRecord, [
      s('cpu.cpu1.steal', 1000n, 1120n),
      s('cpu.cpu1.softirq', 5000n, 5850n),
      s('cpu.cpu0.steal', 7n, 7n),
      s('cpu.cpu0.softirq', 9n, 3n),
      s('softnet.cpu0.dropped', 0n, 5n),
    ]);
    expect(out).toEqual([
      {
        host: 'vmB',
        role: 'receiver',
        spanSec: 10,
        cpus: [
          // A counter that went backwards says nothing: 0.
          { cpu: 0, softirqPercent: 0, stealPercent: 0 },
          { cpu: 1, softirqPercent: 85, stealPercent: 12 },
        ],
      },
    ]);
  });
});

describe("summary.md's section", () => {
  const cpu = (steal: number): CpuTime[] => [
    {
      host: 'vmB',
      role: 'receiver',
      spanSec: 10,
      cpus: [{ cpu: 1, softirqPercent: 85, stealPercent: steal }],
    },
  ];

  it('is left out with no VF, no datapath line in the kernel log and no steal', () => {
    expect(datapathSection([host()], cpu(0))).toEqual([]);
  });

  it('speaks of CPU time alone when the hypervisor stole and there is no VF', () => {
    expect(datapathSection([host()], cpu(12))).toEqual([
      '',
      '## CPU time',
      '',
      '- vmB (receiver) CPU time over the sampled 10 s: cpu1 steal 12% softirq 85%.',
    ]);
  });

  it('shows the last kernel log lines around the run, and where the rest are', () => {
    const events = Array.from({ length: 12 }, (_, i) => ({
      tMs: 1_000 + i,
      time: `2026-01-01T00:00:0${i % 10}.000Z`,
      kind: 'link-up' as const,
      iface: 'enP1s1',
      vf: null,
      line: `[ ${i}.0] mlx5_core 7870:00:02.0 enP1s1: Link \`up\`\u001b[2J`,
    }));
    const lines = datapathSection(
      [
        host({
          vf: { iface: 'enP1s1', driver: 'mlx5_core', pci: null },
          vfSamples: 4,
          events,
        }),
      ],
      [],
    );
    expect(lines).toContain(
      '- vmB (receiver): eth0 is paired with the VF enP1s1 (mlx5_core). Its share of the traffic is unknown (no hv_netvsc vf_rx_packets, or no snapshot before the run). The sampler read its ethtool -S 4 time(s) (series `ethtool.enP1s1.*`).',
    );
    expect(lines).toContain('  Kernel log around the run (12 line(s), UTC):');
    // Backquotes in a line cannot end its code span; an escape sequence is not kept.
    expect(lines).toContain(
      "  - `2026-01-01T00:00:01.000Z` link-up: `[ 11.0] mlx5_core 7870:00:02.0 enP1s1: Link 'up'?[2J`",
    );
    expect(lines.at(-1)).toBe('  - … 2 earlier, in repro/kernel-log.csv');
  });
});
