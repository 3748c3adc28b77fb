import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../collectors/diagnosis/engine.js';
import { azureVm, MLX5_VF, SYNTHETIC } from './azure-vm.js';
import { later } from './snapshot-builder.js';

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
