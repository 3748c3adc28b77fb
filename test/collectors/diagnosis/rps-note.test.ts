import { describe, expect, it } from 'vitest';
import { rpsNote } from '../../../collectors/diagnosis/advice/rps-note.js';
import type { Snapshot } from '../../../collectors/model.js';

// The read-only checks that come with the RPS note: one per interface, or one
// glob on a node whose pods each have a veth.
const snap = (ifaces: string[], mask: string) =>
  ({
    steering: ifaces.map((iface) => ({ iface, queue: 'rx-0', rpsCpus: mask })),
  }) as unknown as Snapshot;

describe('rpsNote checks', () => {
  it('names each interface when there are few', () => {
    const n = rpsNote(snap(['eth0', 'eth1'], '0'), [1], 2);
    expect(n?.checks).toEqual([
      'cat /sys/class/net/eth0/queues/rx-*/rps_cpus',
      'cat /sys/class/net/eth1/queues/rx-*/rps_cpus',
      'cat /proc/interrupts',
    ]);
  });

  it('gives one glob for a node with 100 pod veths', () => {
    const lxc = Array.from({ length: 100 }, (_, i) => `lxc${String(i).padStart(12, '0')}`);
    const n = rpsNote(snap(['eth0', ...lxc], '0'), [1], 2);
    expect(n?.checks).toEqual([
      'grep -H . /sys/class/net/*/queues/rx-*/rps_cpus',
      'cat /proc/interrupts',
    ]);
  });

  it('names only the queues that steer to the dropping CPU', () => {
    const lxc = Array.from({ length: 100 }, (_, i) => `lxc${String(i).padStart(12, '0')}`);
    const s = snap(lxc, '0');
    s.steering!.push({ iface: 'eth0', queue: 'rx-0', rpsCpus: '2' } as never);
    const n = rpsNote(s, [1], 2);
    expect(n?.checks).toEqual(['cat /sys/class/net/eth0/queues/rx-*/rps_cpus']);
    expect(n?.note).toContain('eth0 rx-0 (rps_cpus 2)');
  });
});
