import { describe, expect, it } from 'vitest';
import { diagnose, findingLine } from '../../../collectors/diagnosis/engine.js';
import { parseEthtoolRing } from '../../../collectors/ethtool-ring.js';
import { snapshotDelta } from '../../../collectors/snapshot-delta.js';
import { azureVm, MLX5_VF, SYNTHETIC } from './azure-vm.js';
import {
  BNXT_ETHTOOL_S,
  MANA_WITH_NO_WQE,
  MLX5_ETHTOOL_I,
  MLX5_ETHTOOL_S,
  MLX5_VF_ETHTOOL_G,
} from './captures.js';
import { shape } from './findings-shape.js';
import { later } from './snapshot-builder.js';

const RX_MAX = parseEthtoolRing(MLX5_VF_ETHTOOL_G).value.max.rx;

// DESIGN.md, the first cause: microbursts fill the VF's RX ring; `missed` (rx_missed_errors)
// grows and equals mlx5 rx_out_of_buffer (MLX5-MISSED).
describe('RING: mlx5 VF', () => {
  const raise = {
    seconds: 10,
    ethtool: { enP1s1: { rx_out_of_buffer: 52_311n, rx_packets: 9_000_000n } },
    kernel: { enP1s1: { rx_missed_errors: 52_311n, rx_packets: 9_000_000n } },
  };

  it('is one RING finding on the VF, with the ring raised to the preset maximum', () => {
    const before = azureVm('vmA', [MLX5_VF]);
    const after = later(before, raise);
    const findings = diagnose({ before, after, delta: snapshotDelta(before, after) });
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({
      class: 'RING',
      iface: 'enP1s1',
      severity: 'critical',
      confidence: 'high',
      packets: 52_311n,
      sinceBoot: false,
    });
    expect(RX_MAX).toBe(8192);
    expect(f!.mitigation.commands).toEqual([`ethtool -G enP1s1 rx ${RX_MAX}`]);
    expect(f!.mitigation.persistent).toEqual([
      `ACTION=="add", SUBSYSTEM=="net", DRIVERS=="hv_pci", ENV{ID_NET_DRIVER}=="mlx5_core", RUN+="/sbin/ethtool -G $name rx ${RX_MAX}"`,
    ]);
    expect(f!.evidence.map((e) => [e.name, e.delta])).toEqual([
      ['ethtool enP1s1 rx_out_of_buffer', 52_311n],
      ['enP1s1 rx_missed_errors', 52_311n],
      ['enP1s1 rx ring', '1024 of 8192'],
    ]);
    expect(f!.ratePerSec).toBeCloseTo(5231.1);
    expect(f!.explanation).toContain('1024 of a possible 8192');
    expect(findingLine(f!)).toBe(
      'RING     vmA enP1s1: 52,311 packets dropped: RX ring full (ring 1024/8192) — fix: ethtool -G enP1s1 rx 8192',
    );
  });

  it('names the VF side when paired with the hv_netvsc synthetic interface', () => {
    const before = azureVm('vmA', [SYNTHETIC, MLX5_VF]);
    const after = later(before, {
      ...raise,
      ethtool: { ...raise.ethtool, eth0: { vf_rx_packets: 9_000_000n } },
    });
    const findings = diagnose({ before, after });
    expect(findings.map((f) => [f.class, f.iface])).toEqual([['RING', 'enP1s1']]);
    expect(findings[0]!.explanation).toContain('The loss is on the VF side');
    expect(findings[0]!.explanation).toContain('not on the synthetic eth0');
    expect(findings[0]!.mitigation.commands).toEqual(['ethtool -G enP1s1 rx 8192']);
  });

  it('says the ring is at its maximum and offers more channels instead', () => {
    const before = azureVm('vmA', [MLX5_VF]);
    const vf = before.interfaces[0]!;
    vf.ring = { rx: 8192, rxMax: 8192, tx: 1024, txMax: 8192 };
    const findings = diagnose({ before, after: later(before, raise) });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.explanation).toContain('already at its maximum of 8192');
    expect(findings[0]!.mitigation.commands).toEqual([]);
  });
});

// mana: the hardware counts RX discards with no receive WQE posted (K-MANA), the mana twin of
// rx_out_of_buffer. The capture predates that name; captures.ts appends it (see there).
describe('RING: mana VF', () => {
  const MANA_VF = {
    name: 'enP30832s1',
    kind: 'sriov-vf' as const,
    driver: 'mana',
    ethtoolS: MANA_WITH_NO_WQE,
    ipLink: MLX5_VF.ipLink,
    master: 'eth0',
    acceleratedNetworking: { role: 'vf' as const, peer: 'eth0' },
  };
  const synthetic = {
    ...SYNTHETIC,
    acceleratedNetworking: { role: 'synthetic' as const, peer: MANA_VF.name },
  };

  it('is RING on the mana VF; without ring info the fix reads the maximum first', () => {
    const before = azureVm('vmM', [synthetic, MANA_VF]);
    const after = later(before, {
      seconds: 30,
      ethtool: { enP30832s1: { hc_rx_discards_no_wqe: 7_040n } },
    });
    const findings = diagnose({ before, after });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ class: 'RING', iface: 'enP30832s1', packets: 7_040n });
    expect(findings[0]!.explanation).toContain('enP30832s1 (mana)');
    expect(findings[0]!.explanation).toContain('VF side');
    expect(findings[0]!.mitigation.commands).toEqual([]);
    expect(findings[0]!.mitigation.checks).toEqual(['ethtool -g enP30832s1']);
  });

  it('counts a key the partial capture repeats (`key#2`) once', () => {
    const before = azureVm('vmM', [synthetic, MANA_VF]);
    expect(before.interfaces[1]!.ethtool!['rx_0_packets#2']).toBeDefined();
    const after = later(before, {
      seconds: 30,
      ethtool: { enP30832s1: { tx_cq_err: 500n, 'tx_cq_err#2': 500n } },
    });
    const [f] = diagnose({ before, after });
    expect(f).toMatchObject({ class: 'OTHER', packets: 500n, severity: 'info' });
  });
});

// mlx5 rx_discards_phy: the port's if_in_discards, before any RX queue; mlx5e_get_stats() adds
// it to rx_dropped (COUNTERS.md, K-MLX5). It used to be RING (with `ethtool -G`) plus an OTHER
// finding for the rx_dropped it feeds. The ethq capture is a ConnectX-4 PF, which has it.
describe('mlx5 rx_discards_phy (real ethq ConnectX-4 capture)', () => {
  const PF = {
    name: 'ens1f0',
    kind: 'physical' as const,
    ethtoolI: MLX5_ETHTOOL_I,
    ethtoolS: MLX5_ETHTOOL_S,
    ethtoolG: MLX5_VF_ETHTOOL_G,
    ipLink: MLX5_VF.ipLink,
  };

  it('with rx_out_of_buffer flat: one OTHER port-buffer finding, no ring advice', () => {
    const before = azureVm('vmP', [PF]);
    const after = later(before, {
      seconds: 10,
      ethtool: { ens1f0: { rx_discards_phy: 40_000n, tx_pause_ctrl_phy: 300n } },
      kernel: { ens1f0: { rx_dropped: 40_000n } },
    });
    const findings = diagnose({ before, after });
    expect(findings.map(shape)).toEqual([
      {
        class: 'OTHER',
        severity: 'warning',
        confidence: 'high',
        iface: 'ens1f0',
        packets: 40_000n,
        title: '40,000 packets dropped in the NIC port buffer, before the RX ring',
        evidence: [
          ['ethtool ens1f0 rx_discards_phy', 40_000n],
          ['ens1f0 rx_dropped', 40_000n],
          ['ethtool ens1f0 tx_pause_ctrl_phy', 300n],
        ],
        commands: [],
      },
    ]);
    const [f] = findings;
    expect(f!.explanation).toContain('a larger RX ring (ethtool -G) does not help');
    expect(f!.explanation).toContain('same loss, not a second one');
    expect(f!.mitigation.summary).toContain('flow control');
    expect(f!.mitigation.checks).toEqual([
      'ethtool -a ens1f0',
      "ethtool -S ens1f0 | grep -E 'discard|pause|out_of_buffer|buffer_passed'",
    ]);
  });

  it('with rx_out_of_buffer rising too: one RING finding that cites both', () => {
    const before = azureVm('vmP', [PF]);
    const after = later(before, {
      seconds: 10,
      ethtool: { ens1f0: { rx_discards_phy: 4_000n, rx_out_of_buffer: 9_000n } },
      kernel: { ens1f0: { rx_dropped: 4_000n, rx_missed_errors: 9_000n } },
    });
    const findings = diagnose({ before, after });
    expect(findings.map(shape)).toEqual([
      {
        class: 'RING',
        severity: 'critical',
        confidence: 'high',
        iface: 'ens1f0',
        packets: 9_000n,
        title: '9,000 packets dropped: RX ring full (ring 1024/8192)',
        evidence: [
          ['ethtool ens1f0 rx_out_of_buffer', 9_000n],
          ['ens1f0 rx_missed_errors', 9_000n],
          ['ethtool ens1f0 rx_discards_phy', 4_000n],
          ['ens1f0 rx_dropped', 4_000n],
          ['ens1f0 rx ring', '1024 of 8192'],
        ],
        commands: ['ethtool -G ens1f0 rx 8192'],
      },
    ]);
    expect(findings[0]!.explanation).toContain('The port buffer overflowed too');
  });
});

// bnxt_en per-ring rx_discards and rx_total_ring_discards are what bnxt_get_ring_stats() adds
// to rx_missed_errors (`missed`). Without a bnxt table they were guessed as an unknown OTHER
// finding next to the RING one.
describe('bnxt_en ring discards (real ethq bnxt_en capture)', () => {
  it('is one RING finding citing missed, the per-ring and the total discards', () => {
    const NIC = {
      name: 'ens2f0np0',
      kind: 'physical' as const,
      driver: 'bnxt_en',
      ethtoolS: BNXT_ETHTOOL_S,
      ipLink: MLX5_VF.ipLink,
    };
    const before = azureVm('vmN', [NIC]);
    const after = later(before, {
      seconds: 10,
      ethtool: {
        ens2f0np0: {
          '[0]: rx_discards': 3_000n,
          '[1]: rx_discards': 2_000n,
          rx_total_ring_discards: 5_000n,
        },
      },
      kernel: { ens2f0np0: { rx_missed_errors: 5_000n } },
    });
    const findings = diagnose({ before, after });
    expect(findings.map(shape)).toEqual([
      {
        class: 'RING',
        severity: 'critical',
        confidence: 'high',
        iface: 'ens2f0np0',
        packets: 5_000n,
        title: '5,000 packets dropped: RX ring full',
        evidence: [
          ['ethtool ens2f0np0 rx_total_ring_discards', 5_000n],
          ['ens2f0np0 rx_missed_errors', 5_000n],
          ['ethtool ens2f0np0 [0]: rx_discards', 3_000n],
          ['ethtool ens2f0np0 [1]: rx_discards', 2_000n],
        ],
        commands: [],
      },
    ]);
    expect(findings[0]!.mitigation.checks).toEqual(['ethtool -g ens2f0np0']);
  });
});
