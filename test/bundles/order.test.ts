import { describe, expect, it } from 'vitest';
import { dedupeSharedKernel, findingSeverityOrder } from '../../bundles/order.js';
import type { Finding } from '../../collectors/diagnosis/findings.js';

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

describe('finding order and shared kernels', () => {
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

  it('orders by severity, then along the receive path, then by packets', () => {
    const list = [
      f('h', 'SOCKET', [['x', 10n]]),
      f('h', 'OTHER', [['x', 99n]], 'warning'),
      f('h', 'BACKLOG', [['x', 5n]]),
      f('h', 'RING', [['x', 1n]]),
    ];
    expect(list.sort(findingSeverityOrder).map((x) => x.class)).toEqual([
      'RING',
      'BACKLOG',
      'SOCKET',
      'OTHER',
    ]);
  });
});
