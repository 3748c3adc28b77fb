import { describe, expect, it } from 'vitest';
import { toSeries } from '../../repro/run/series.js';
import type { Sample } from '../../repro/sampler/parse.js';

// A node's pod veths all carry some traffic (neighbour and router
// solicitations): their loss counters that moved are kept, their traffic
// counters only for the interfaces the run names (data interface, pod veth).
const sample = (seq: number, n: bigint): Sample => ({
  seq,
  hostNs: BigInt(seq) * 100_000_000n,
  softnet: [],
  ifaces: {
    eth0: { rx_bytes: 1000n * n, rx_dropped: 0n },
    lxc0: { rx_bytes: 10n * n, tx_packets: n, tx_dropped: n > 2n ? 5n : 0n },
    lxc1: { rx_bytes: 10n * n, tx_packets: n, tx_dropped: 0n },
    lxc2: { rx_bytes: 7n, tx_dropped: 0n },
  },
});

describe('toSeries on a node with pods', () => {
  it('keeps loss counters that moved anywhere, traffic only where named', () => {
    const samples = [0n, 1n, 2n, 3n, 4n].map((n) => sample(Number(n), n));
    const keys = toSeries({ host: 'h', offsetMs: 0, errorMs: 0, samples }, [
      'iface.eth0.rx_bytes',
      'iface.lxc1.rx_bytes',
    ])
      .map((s) => s.key)
      .sort();
    expect(keys).toEqual([
      'iface.eth0.rx_bytes',
      'iface.lxc0.tx_dropped',
      'iface.lxc1.rx_bytes',
      'iface.lxc1.tx_packets',
    ]);
  });
});
