import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../collectors/diagnosis/engine.js';
import { azureVm, MLX5_VF } from './azure-vm.js';
import { later } from './snapshot-builder.js';

// Counters are unsigned 64-bit (DESIGN.md): a delta above 2^53 must stay exact.
describe('bigint counters', () => {
  it('keeps a delta above 2^53 exact in the evidence and the headline', () => {
    const huge = 2n ** 60n + 7n;
    const before = azureVm('vmA', [MLX5_VF]);
    const after = later(before, { seconds: 10, ethtool: { enP1s1: { rx_out_of_buffer: huge } } });
    const [f] = diagnose({ before, after });
    expect(f!.packets).toBe(1_152_921_504_606_846_983n);
    expect(f!.evidence[0]!.delta).toBe(1_152_921_504_606_846_983n);
    expect(f!.title).toContain('1,152,921,504,606,846,983 packets');
  });
});
