import { describe, expect, it } from 'vitest';
import { COLLECTORS } from '../../../collectors/registry.js';
import { buildSnapshot } from '../../../collectors/snapshot/build.js';
import type { Section } from '../../../collectors/snapshot/frames.js';
import { fixture } from '../fixture-files.js';

const sec = (id: string, text: string, iface?: string, exitCode = 0): Section => ({
  id,
  ...(iface ? { iface } : {}),
  stdout: Buffer.from(text),
  stderr: '',
  exitCode,
  truncated: false,
});

describe('building a snapshot from sections', () => {
  // An Azure accelerated-networking host: eth0 is hv_netvsc (synthetic),
  // enP30832s1 is the mlx5 VF whose master is eth0.
  const sections = [
    sec(
      'sysfs_net',
      [
        'eth0/rx_dropped 5',
        'eth0/mtu 1500',
        'eth0/driver hv_netvsc',
        'enP30832s1/rx_missed_errors 1234',
        'enP30832s1/master eth0',
        'enP30832s1/driver mlx5_core',
        'enP30832s1/physfn 1',
        'lo/rx_packets 10',
      ].join('\n'),
    ),
    sec('ethtool_i', fixture('ethtool_i/hv_netvsc-wsl2-5.10.102.1-microsoft.txt'), 'eth0'),
    sec(
      'ethtool_i',
      fixture('ethtool_i/mlx5_core-connectx4-ubuntu18.04-4.15-fw14.23.txt'),
      'enP30832s1',
    ),
    sec('ethtool_S', fixture('ethtool_S/ethq-test-mlx5_core.txt'), 'enP30832s1'),
    sec('ethtool_g', '', 'eth0', 1),
    sec('softnet_stat', fixture('softnet_stat/hjr3-softnet-stat-kernel-5_10_47.txt')),
    sec('uname', 'Linux aks-node-0 5.15.0-1034-azure #41-Ubuntu SMP x86_64 GNU/Linux\n'),
  ];
  const { snapshot, raw } = buildSnapshot({
    host: 'h',
    takenAt: '2026-01-01T00:00:00.000Z',
    durationMs: 12,
    sections,
    specs: COLLECTORS,
  });

  it('pairs the synthetic interface with its VF', () => {
    const vf = snapshot.interfaces.find((i) => i.name === 'enP30832s1')!;
    const syn = snapshot.interfaces.find((i) => i.name === 'eth0')!;
    expect(vf.kind).toBe('sriov-vf');
    expect(vf.acceleratedNetworking).toEqual({ role: 'vf', peer: 'eth0' });
    expect(syn.acceleratedNetworking).toEqual({ role: 'synthetic', peer: 'enP30832s1' });
    expect(syn.slaves).toEqual(['enP30832s1']);
    expect(vf.firmware).toBe('14.23.1020 (MT_2420110034)');
    expect(vf.kernel['rx_missed_errors']).toBe(1234n);
    expect(vf.ethtool?.['rx_out_of_buffer']).toBeTypeOf('bigint');
  });

  it('records every source with its raw path, and a failed one with the reason', () => {
    expect(raw.map((r) => r.path)).toContain('ethtool/enP30832s1/ethtool-S.txt');
    const ring = snapshot.sources.find((s) => s.id === 'ethtool_g')!;
    expect(ring.ok).toBe(false);
    expect(snapshot.interfaces.find((i) => i.name === 'eth0')!.ring).toBeUndefined();
    expect(snapshot.facts.kernelRelease).toBe('5.15.0-1034-azure');
    // 5.10.47: 13 columns, CPU from the index column.
    expect(snapshot.softnet.map((r) => r.cpu)).toEqual([0, 1]);
  });
});
