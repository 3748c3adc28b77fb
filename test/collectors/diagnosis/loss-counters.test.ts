import { describe, expect, it } from 'vitest';
import {
  isDriverLossCounter,
  isKernelLossCounter,
  isSnmpLossCounter,
} from '../../../collectors/diagnosis/loss-counters.js';

// The summary's loss table and the analyze tables show what the driver tables
// call loss, not whatever has "drop" in its name.
describe('loss counters for display', () => {
  const veth = { driver: 'veth', kind: 'veth' as const };
  const mlx5 = { driver: 'mlx5_core', kind: 'sriov-vf' as const };

  it('kernel counters: drops, missed and error totals; not packets or policy drops', () => {
    expect(isKernelLossCounter(veth, 'rx_dropped')).toBe(true);
    expect(isKernelLossCounter(mlx5, 'rx_missed_errors')).toBe(true);
    expect(isKernelLossCounter(mlx5, 'rx_errors')).toBe(true);
    expect(isKernelLossCounter(mlx5, 'rx_packets')).toBe(false);
    expect(isKernelLossCounter(mlx5, 'rx_otherhost_dropped')).toBe(false);
  });

  it('driver counters by the driver tables', () => {
    expect(isDriverLossCounter(mlx5, 'rx_out_of_buffer')).toBe(true);
    expect(isDriverLossCounter(mlx5, 'rx3_packets')).toBe(false);
    // An XDP_DROP verdict is a deliberate drop, not loss.
    expect(isDriverLossCounter(veth, 'rx_queue_0_xdp_drops')).toBe(false);
    expect(isDriverLossCounter(veth, 'peer_ifindex')).toBe(false);
  });

  it('protocol counters', () => {
    expect(isSnmpLossCounter('Udp', 'RcvbufErrors')).toBe(true);
    expect(isSnmpLossCounter('Udp', 'InDatagrams')).toBe(false);
  });
});
