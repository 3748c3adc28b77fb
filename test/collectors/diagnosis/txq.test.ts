import { describe, expect, it } from 'vitest';
import { classifyEthtool } from '../../../collectors/diagnosis/drivers/index.js';
import { diagnose } from '../../../collectors/diagnosis/engine.js';
import { azureVm, MLX5_VF, SYNTHETIC, T0 } from './azure-vm.js';
import {
  ENA_ETHTOOL_G,
  ENA_ETHTOOL_I,
  ENA_ETHTOOL_S,
  ENA_IP_LINK,
  SOFTNET_2CPU,
  SYSCTL_LAB,
} from './captures.js';
import { shape } from './findings-shape.js';
import { later, snapshotFrom } from './snapshot-builder.js';

// hv_netvsc tx_no_space: netvsc_send() got -ENOSPC, the packet was freed and tx_dropped
// incremented (K-NETVSC). Both counters count the same packets.
describe('TXQ: hv_netvsc', () => {
  it('tx_no_space + tx_dropped is one TXQ finding on the synthetic interface', () => {
    const before = azureVm('vmA', [SYNTHETIC, MLX5_VF]);
    const after = later(before, {
      seconds: 10,
      ethtool: { eth0: { tx_no_space: 4_200n, stop_queue: 90n } },
      kernel: { eth0: { tx_dropped: 4_200n } },
    });
    const findings = diagnose({ before, after });
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({ class: 'TXQ', iface: 'eth0', confidence: 'high', packets: 4_200n });
    expect(f!.evidence.map((e) => e.name)).toEqual([
      'ethtool eth0 tx_no_space',
      'eth0 tx_dropped',
      'ethtool eth0 stop_queue',
    ]);
    expect(f!.explanation).toContain('synthetic hv_netvsc path');
    // vf_tx_packets did not move: the VF carried nothing.
    expect(f!.explanation).toContain('check that accelerated networking is active');
    // ethtool -l fixture: 8 of 12 channels.
    expect(f!.mitigation.commands).toEqual(['ethtool -L eth0 combined 12']);
    expect(f!.mitigation.caveats?.join(' ')).toContain('ring_size');
  });

  it('tx_busy (requeued, not dropped) alone is no finding', () => {
    const before = azureVm('vmA', [SYNTHETIC]);
    const after = later(before, { seconds: 10, ethtool: { eth0: { tx_busy: 10_000n } } });
    expect(diagnose({ before, after })).toEqual([]);
  });
});

// A rising tx_timeout is the netdev TX watchdog (AWS-TS: "times that the Netdev watchdog was
// activated"): a stalled queue, a device/host problem. It used to be an `event` that only
// joined a TXQ group, so alone it gave no finding at all.
describe('TXQ: TX watchdog timeout (ena, real ethq capture + ENA ip -s -s link)', () => {
  const host = () =>
    snapshotFrom({
      host: 'vmE',
      takenAt: T0,
      ifaces: [
        {
          name: 'eth0',
          kind: 'physical',
          ethtoolI: ENA_ETHTOOL_I,
          ethtoolS: ENA_ETHTOOL_S,
          ethtoolG: ENA_ETHTOOL_G,
          ipLink: { text: ENA_IP_LINK, name: 'eth0' },
        },
      ],
      softnet: SOFTNET_2CPU,
      sysctl: SYSCTL_LAB,
    });

  it('tx_timeout with tx_errors is one critical TXQ finding that blames the device side', () => {
    const before = host();
    const after = later(before, {
      seconds: 30,
      ethtool: { eth0: { tx_timeout: 2n } },
      kernel: { eth0: { tx_errors: 2n } },
    });
    const findings = diagnose({ before, after });
    expect(findings.map(shape)).toEqual([
      {
        class: 'TXQ',
        severity: 'critical',
        confidence: 'high',
        iface: 'eth0',
        packets: 2n,
        title: '2 TX watchdog timeouts: a TX queue stalled',
        evidence: [
          ['ethtool eth0 tx_timeout', 2n],
          ['eth0 tx_errors', 2n],
        ],
        commands: [],
      },
    ]);
    const [f] = findings;
    expect(f!.explanation).toContain('the queue stalled');
    expect(f!.explanation).toContain('ENA resets the device');
    expect(f!.mitigation.summary).toContain('a device or host problem, not a ring size');
    expect(f!.mitigation.summary).toContain('cloud vendor');
    expect(f!.mitigation.checks?.[0]).toContain('NETDEV WATCHDOG');
  });

  it('virtio_net and gve name it tx_queue_N_tx_timeouts / tx_timeouts: the same stall', () => {
    const virtio = { driver: 'virtio_net', kind: 'physical' as const };
    const gve = { driver: 'gve', kind: 'physical' as const };
    for (const [iface, key] of [
      [virtio, 'tx_queue_3_tx_timeouts'],
      [virtio, 'tx_timeouts'],
      [gve, 'tx_timeouts'],
      [{ driver: 'i40e', kind: 'physical' as const }, 'port.tx_timeout'],
    ] as const) {
      expect(classifyEthtool(iface, key)?.rule).toMatchObject({ class: 'TXQ', kind: 'stall' });
    }
  });
});
