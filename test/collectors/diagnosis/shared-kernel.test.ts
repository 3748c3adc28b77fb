import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../collectors/diagnosis/engine.js';
import { dedupeSharedKernel } from '../../../collectors/diagnosis/shared-kernel.js';

const f = (
  host: string,
  cls: Finding['class'],
  evidence: Array<[string, bigint]>,
  severity: Finding['severity'] = 'critical',
): Finding => ({
  class: cls,
  severity,
  confidence: 'high',
  host,
  packets: evidence[0]?.[1] ?? 0n,
  sinceBoot: false,
  title: 't',
  explanation: 'e',
  evidence: evidence.map(([name, delta]) => ({ source: 'counter', name, delta })),
  mitigation: { summary: 's', commands: [], persistent: [] },
});

describe('findings on hosts that share a kernel', () => {
  it('keeps a machine-wide backlog finding on the host whose interfaces show it', () => {
    const sender = f('a', 'BACKLOG', [
      ['softnet dropped (cpu1)', 1000n],
      ['eth0 tx_dropped', 5n],
    ]);
    const receiver = f('b', 'BACKLOG', [
      ['softnet dropped (cpu1)', 1000n],
      ['eth0 rx_dropped', 990n],
    ]);
    const socket = f('b', 'SOCKET', [['Udp RcvbufErrors', 50n]]);
    const boot = () => 'same-boot-id';
    expect(dedupeSharedKernel([sender, receiver, socket], boot)).toEqual([receiver, socket]);
    // Different kernels: both are real.
    expect(dedupeSharedKernel([sender, receiver], (h) => h)).toHaveLength(2);
  });
});
