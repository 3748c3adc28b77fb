import { describe, expect, it } from 'vitest';
import {
  checkedCounters,
  diagnose,
  summarizeNoFindings,
} from '../../../collectors/diagnosis/engine.js';
import { azureVm, MLX5_VF, SYNTHETIC, T0 } from './azure-vm.js';
import {
  CILIUM_IP_LINK,
  CILIUM_NIC,
  ENA_ETHTOOL_G,
  ENA_IP_LINK,
  enaWithAllowances,
  SOFTNET_2CPU,
} from './captures.js';
import { later, snapshotFrom } from './snapshot-builder.js';

// The engine must stay quiet when nothing is wrong.
describe('nothing moved', () => {
  const before = azureVm('vmA', [SYNTHETIC, MLX5_VF]);
  const after = later(before, {
    seconds: 10,
    // Traffic flowed, nothing dropped.
    ethtool: { enP1s1: { rx_packets: 5_000_000n }, eth0: { vf_rx_packets: 5_000_000n } },
    kernel: { enP1s1: { rx_packets: 5_000_000n } },
  });

  it('gives zero findings', () => {
    expect(diagnose({ before, after })).toEqual([]);
  });

  it('lists the counters it checked, per-CPU and per-queue names folded', () => {
    const names = checkedCounters({ before, after });
    expect(names).toEqual(
      expect.arrayContaining([
        'enP1s1 rx_missed_errors',
        'enP1s1 rx_dropped',
        'ethtool enP1s1 rx_out_of_buffer',
        'ethtool enP1s1 rxN_buff_alloc_err (16 queues)',
        'ethtool eth0 tx_no_space',
        'softnet dropped (2 CPUs)',
        'softnet time_squeeze (2 CPUs)',
      ]),
    );
    // Counters that are not about loss (rx_packets, rx_cache_reuse), sums (rx_errors) and gauges
    // are not "checked".
    expect(names.some((n) => /rx_packets|cache|rx_errors/.test(n))).toBe(false);
  });

  it('summarizes "no drops" with the counters checked', () => {
    const text = summarizeNoFindings({ before, after });
    expect(text.split('\n')[0]).toMatch(
      /^no drops on vmA during the run \(10 s\): checked \d+ counters:$/,
    );
    expect(text).toContain('\n  ethtool enP1s1 rx_out_of_buffer');
  });

  it('policy drops and unknown counters that are not about loss stay quiet', () => {
    const noisy = later(before, {
      seconds: 10,
      // XDP_DROP verdicts are the program's choice (K-MLX5); rx_cache_busy is not about loss.
      ethtool: {
        enP1s1: { rx_xdp_drop: 90_000n, rx0_xdp_drop: 90_000n, rx_cache_busy: 1_000_000n },
      },
    });
    expect(diagnose({ before, after: noisy })).toEqual([]);
  });

  it('a counter that goes backwards to 0 (interface re-created) is not a finding', () => {
    // The "before" had counted drops; the re-created VF starts again at 0.
    const old = structuredClone(before);
    old.interfaces[1]!.ethtool!['rx_out_of_buffer'] = 123_456n;
    const recreated = later(before, { seconds: 10 });
    expect(diagnose({ before: old, after: recreated })).toEqual([]);
  });
});

describe('since boot, a quiet host', () => {
  it('is quiet even though time_squeeze and byte counters are non-zero since boot', () => {
    const after = snapshotFrom({
      host: 'ec2A',
      takenAt: T0,
      ifaces: [
        {
          name: 'ens5',
          kind: 'physical',
          driver: 'ena',
          ethtoolS: enaWithAllowances(0n),
          ethtoolG: ENA_ETHTOOL_G,
          ipLink: { text: ENA_IP_LINK, name: 'eth0' },
        },
      ],
      softnet: SOFTNET_2CPU,
    });
    expect(after.softnet.some((r) => r.timeSqueeze > 0n)).toBe(true);
    expect(diagnose({ after })).toEqual([]);
    expect(summarizeNoFindings({ after })).toMatch(/^no drops on ec2A since boot: checked/);
    expect(checkedCounters({ after })).toContain('ethtool ens5 pps_allowance_exceeded');
  });
});

describe('a Kubernetes node, one veth per pod', () => {
  // The node's NIC and 100 pods' lxc veths, each with the counters of a real
  // Cilium node's lxc veth.
  const pods = Array.from(
    { length: 100 },
    (_, i) => `lxc${(0xb16c490a0000 + i * 7919).toString(16)}`,
  );
  const after = snapshotFrom({
    host: 'aksA',
    takenAt: T0,
    ifaces: [
      CILIUM_NIC,
      ...pods.map((name) => ({
        name,
        kind: 'veth' as const,
        driver: 'veth',
        ipLink: { text: CILIUM_IP_LINK, name: 'lxcb16c490a744c' },
      })),
    ],
    softnet: SOFTNET_2CPU,
  });

  it('folds each counter of the veths into one entry, and names the NIC counters one by one', () => {
    const names = checkedCounters({ after });
    expect(names).toContain(`rx_dropped on 100 veths (${pods.slice(0, 3).join(', ')}, …)`);
    expect(names).toContain(`tx_dropped on 100 veths (${pods.slice(0, 3).join(', ')}, …)`);
    expect(names).toContain('ens18 rx_dropped');
    expect(names.some((n) => n.startsWith(`${pods[5]} `))).toBe(false);
    // One entry per counter, not one per veth: the list stays readable.
    const veth = names.filter((n) => n.includes(' on 100 veths '));
    expect(veth.length).toBeGreaterThan(5);
    expect(names.length).toBeLessThan(3 * veth.length + 10);
  });

  it('keeps naming them when there are only a few', () => {
    const few = { ...after, interfaces: after.interfaces.slice(0, 5) };
    const names = checkedCounters({ after: few });
    expect(names).toContain(`${pods[3]} rx_dropped`);
    expect(names.some((n) => n.includes(' veths '))).toBe(false);
  });
});
