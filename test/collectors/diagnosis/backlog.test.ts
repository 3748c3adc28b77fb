import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose, findingLine } from '../../../collectors/diagnosis/engine.js';
import type { CounterSeries, DropTrace } from '../../../collectors/diagnosis/input.js';
import type { Snapshot } from '../../../collectors/model.js';
import { parseRpsXps } from '../../../collectors/rps-xps.js';
import { T0 } from './azure-vm.js';
import {
  CILIUM_IP_LINK,
  CILIUM_NIC,
  SOFTNET_2CPU,
  SYSCTL_LAB,
  VETH_ETHTOOL_S,
} from './captures.js';
import { shape } from './findings-shape.js';
import { later, snapshotFrom } from './snapshot-builder.js';

const POD = 'lxcb16c490a744c';
const POD2 = 'lxc1a9e66ab2e3d';

// DESIGN.md, the second cause (and the lab): netdev_max_backlog=10, RPS on cpu1, UDP at full
// rate. softnet `dropped` grows on cpu1, the pod veth counts `dropped`, and kfree_skb reports
// CPU_BACKLOG at enqueue_to_backlog. A Cilium node capture gives the veth and the NIC.
function node(withSoftnet = true): Snapshot {
  return snapshotFrom({
    host: 'vmB',
    takenAt: T0,
    ifaces: [
      CILIUM_NIC,
      {
        name: POD,
        kind: 'veth',
        driver: 'veth',
        ethtoolS: VETH_ETHTOOL_S,
        ipLink: { text: CILIUM_IP_LINK, name: POD },
      },
      { name: POD2, kind: 'veth', driver: 'veth', ipLink: { text: CILIUM_IP_LINK, name: POD2 } },
    ],
    ...(withSoftnet ? { softnet: SOFTNET_2CPU } : {}),
    sysctl: SYSCTL_LAB,
  });
}

const trace = (reason: string | null): DropTrace => ({
  host: 'vmB',
  kernelHasReasons: reason !== null,
  capped: false,
  entries: [
    { reason, location: 'enqueue_to_backlog', count: 18_234 },
    // Normal protocol behaviour, not capacity: ignored.
    { reason: reason === null ? null : 'NO_SOCKET', location: '__udp4_lib_rcv', count: 3 },
    { reason: reason === null ? null : 'NOT_SPECIFIED', location: 'skb_release_data', count: 120 },
  ],
});

describe('BACKLOG', () => {
  const before = node();
  const after = later(before, {
    seconds: 10,
    softnet: { 1: { dropped: 18_234n } },
    kernel: { [POD]: { rx_dropped: 18_234n } },
  });

  it('softnet dropped + veth rx_dropped + CPU_BACKLOG trace: one high-confidence finding', () => {
    const findings = diagnose({ before, after, trace: trace('CPU_BACKLOG') });
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f).toMatchObject({
      class: 'BACKLOG',
      severity: 'critical',
      confidence: 'high',
      cpus: [1],
      packets: 18_234n,
    });
    expect(f!.iface).toBeUndefined();
    expect(f!.evidence.map((e) => [e.source, e.name])).toEqual([
      ['counter', 'softnet dropped (cpu1)'],
      ['trace', 'kfree_skb CPU_BACKLOG at enqueue_to_backlog'],
      ['counter', `${POD} rx_dropped`],
      ['config', 'net.core.netdev_max_backlog'],
    ]);
    expect(f!.mitigation.commands).toEqual(['sysctl -w net.core.netdev_max_backlog=32768']);
    expect(f!.mitigation.persistent).toEqual(['net.core.netdev_max_backlog = 32768']);
    expect(f!.mitigation.persistentPath).toBe('/etc/sysctl.d/90-dropkit.conf');
    expect(f!.mitigation.caveats?.join(' ')).toContain('All drops were on cpu1');
    expect(f!.explanation).toContain(
      `. kfree_skb CPU_BACKLOG at enqueue_to_backlog and ${POD} rx_dropped confirm it`,
    );
    expect(findingLine(f!)).toBe(
      'BACKLOG  vmB cpu1: 18,234 packets dropped at the per-CPU backlog (netdev_max_backlog=10) — fix: sysctl -w net.core.netdev_max_backlog=32768',
    );
  });

  it('on a kernel without drop reasons the location decides', () => {
    const findings = diagnose({ before, after, trace: trace(null) });
    expect(findings.map((f) => [f.class, f.confidence])).toEqual([['BACKLOG', 'high']]);
    expect(
      findings[0]!.evidence.some((e) => e.name === 'kfree_skb no reason at enqueue_to_backlog'),
    ).toBe(true);
  });

  it('softnet dropped alone is BACKLOG with medium confidence (softnet_stat is per kernel)', () => {
    const alone = later(before, { seconds: 10, softnet: { 1: { dropped: 500n } } });
    const findings = diagnose({ before, after: alone });
    expect(findings.map((f) => [f.class, f.confidence, f.severity])).toEqual([
      ['BACKLOG', 'medium', 'warning'],
    ]);
  });

  it('takes the time window and the peak rate from the sampled series', () => {
    const base = before.softnet.find((r) => r.cpu === 1)!.dropped;
    const t = Date.parse(T0);
    const series: CounterSeries[] = [
      {
        host: 'vmB',
        key: 'softnet.cpu1.dropped',
        points: [
          [t, base],
          [t + 2000, base],
          [t + 4000, base + 9_000n],
          [t + 6000, base + 18_234n],
          [t + 8000, base + 18_234n],
        ],
      },
      // Another host's series with the same key is not this host's.
      {
        host: 'vmA',
        key: 'softnet.cpu1.dropped',
        points: [
          [t, 0n],
          [t + 1000, 1_000_000n],
        ],
      },
    ];
    const [f] = diagnose({ before, after, series });
    const softnet = f!.evidence.find((e) => e.name === 'softnet dropped (cpu1)')!;
    expect(softnet.window).toEqual({
      from: '2024-05-01T10:00:04.000Z',
      to: '2024-05-01T10:00:06.000Z',
    });
    expect(softnet.peakRatePerSec).toBe(4_617);
    expect(f!.window).toEqual(softnet.window);
    expect(f!.peakRatePerSec).toBe(4_617);
    expect(f!.explanation).toContain('peak 4,617/s');
  });
});

// rx_dropped alone is ambiguous (COUNTERS.md): unknown protocols and bad VLANs count there too.
describe('rx_dropped alone', () => {
  it('a handful on a veth (IPv6/LLDP noise) is not a finding', () => {
    const before = node();
    const after = later(before, { seconds: 60, kernel: { [POD]: { rx_dropped: 7n } } });
    expect(diagnose({ before, after })).toEqual([]);
  });

  it('many, with softnet_stat collected and quiet, is OTHER with low confidence', () => {
    const before = node();
    const after = later(before, { seconds: 10, kernel: { [POD]: { rx_dropped: 5_000n } } });
    const findings = diagnose({ before, after });
    expect(findings.map((f) => [f.class, f.iface, f.confidence])).toEqual([['OTHER', POD, 'low']]);
    expect(findings[0]!.explanation).toContain('ambiguous');
  });

  it('many, without softnet_stat, is a low-confidence BACKLOG on the veths', () => {
    const before = node(false);
    const after = later(before, {
      seconds: 10,
      kernel: { [POD]: { rx_dropped: 5_000n }, [POD2]: { rx_dropped: 40n } },
    });
    const findings = diagnose({ before, after });
    // The second veth joins the group, and two ambiguous counters are still not proof.
    expect(findings.map((f) => [f.class, f.confidence, f.severity, f.packets])).toEqual([
      ['BACKLOG', 'low', 'warning', 5_040n],
    ]);
    expect(findings[0]!.explanation).toContain('likely backlog drop');
  });
});

// veth_xmit() counts a packet the peer's backlog refused (enqueue_to_backlog) as tx_dropped on
// the sending side: the host-side lxc veth of the Cilium capture. A host without ethtool gives
// it no driver, and the snapshot calls a software interface `virtual`: tx_dropped was then read
// as a TX queue drop, a TXQ finding ("check the TX ring") next to the BACKLOG one.
describe('veth tx_dropped with the backlog overflowing', () => {
  const withoutEthtool = () => {
    const s = node();
    const lxc = s.interfaces.find((i) => i.name === POD)!;
    lxc.kind = 'virtual';
    delete lxc.driver;
    delete lxc.ethtool;
    return s;
  };

  it('is BACKLOG evidence: one BACKLOG finding, no TXQ finding', () => {
    const before = withoutEthtool();
    const after = later(before, {
      seconds: 10,
      softnet: { 1: { dropped: 18_234n } },
      kernel: { [POD]: { tx_dropped: 18_234n } },
    });
    const findings = diagnose({ before, after });
    expect(findings.map(shape)).toEqual([
      {
        class: 'BACKLOG',
        severity: 'critical',
        confidence: 'high',
        iface: undefined,
        packets: 18_234n,
        title: '18,234 packets dropped at the per-CPU backlog (netdev_max_backlog=10)',
        evidence: [
          ['softnet dropped (cpu1)', 18_234n],
          [`${POD} tx_dropped`, 18_234n],
          ['net.core.netdev_max_backlog', '10'],
        ],
        commands: ['sysctl -w net.core.netdev_max_backlog=32768'],
      },
    ]);
    expect(findings[0]!.explanation).toContain('veth_xmit');
  });

  it('without softnet drops it stays what it was: no backlog claim', () => {
    const before = node();
    const after = later(before, { seconds: 10, kernel: { [POD]: { tx_dropped: 18_234n } } });
    expect(diagnose({ before, after }).map((f) => [f.class, f.iface, f.confidence])).toEqual([
      ['OTHER', POD, 'low'],
    ]);
  });
});

// softnet_stat is 32-bit: the engine reads the boot ids. A reboot between the snapshots used
// to read 0xfffffff0 -> 0x10 as a 32-drop wrap; it is a restart (16 drops since the reboot).
describe('BACKLOG across a softnet counter that went down', () => {
  const at = (s: Snapshot, boot: string, dropped: bigint) => {
    const c = structuredClone(s);
    c.facts.bootId = boot;
    c.softnet.find((r) => r.cpu === 1)!.dropped = dropped;
    return c;
  };
  const BOOT_A = '2f3c1a9e-6b1d-4f57-9a4e-3c8d2b7e1f00';
  const BOOT_B = '8d0e7c21-45aa-4b8e-b0f2-91c3d4e5f6a7';

  it('same boot: a wrap, counted in full', () => {
    const before = at(node(), BOOT_A, 0x70000000n);
    const after = at(later(before, { seconds: 3600 }), BOOT_A, 0x100n);
    const [f] = diagnose({ before, after });
    expect(f!.evidence[0]).toMatchObject({ name: 'softnet dropped (cpu1)', delta: 0x90000100n });
    expect(f!.evidence[0]!.reset).toBeUndefined();
  });

  it('another boot: a reset, counted from the reboot', () => {
    const before = at(node(), BOOT_A, 0xfffffff0n);
    const after = at(later(before, { seconds: 3600 }), BOOT_B, 0x10n);
    const [f] = diagnose({ before, after });
    expect(f!.evidence[0]).toMatchObject({
      name: 'softnet dropped (cpu1)',
      delta: 16n,
      reset: true,
    });
  });
});

// The RPS masks the snapshot read (real captures in test/fixtures/rps_xps) explain drops on
// one CPU: the advice cites the queue and mask, and the exact write that spreads it.
describe('BACKLOG cites the RPS masks', () => {
  const masks = (file: string) =>
    parseRpsXps(readFileSync(join(import.meta.dirname, '../../fixtures/rps_xps', file), 'utf8'))
      .value;
  const before = node();
  const dropped = { seconds: 10, softnet: { 1: { dropped: 18_234n } } };

  it("the lab receiver's eth0 rx-0 steered to cpu1 only", () => {
    const after = {
      ...later(before, dropped),
      steering: masks('dropkit-lab-receiver-rps-cpu1.txt'),
    };
    const [f] = diagnose({ before, after });
    const notes = f!.mitigation.caveats!.join(' ');
    expect(notes).toContain(
      'All drops were on cpu1, and RPS steers eth0 rx-0 (rps_cpus 2) to cpu1 only: all of that receive work lands on the CPU whose backlog overflowed. Spreading it helps more than a longer queue: echo 3 > /sys/class/net/eth0/queues/rx-0/rps_cpus (every CPU).',
    );
    expect(f!.mitigation.checks).toEqual(['cat /sys/class/net/eth0/queues/rx-*/rps_cpus']);
  });

  it('RPS off everywhere: the interrupts decide, and the note says so', () => {
    const after = { ...later(before, dropped), steering: masks('debian12-vm-host-rps-off.txt') };
    const [f] = diagnose({ before, after });
    expect(f!.mitigation.caveats!.join(' ')).toMatch(
      /All drops were on cpu1\. RPS is off on every receive queue \(rps_cpus 0\): the work lands where each queue's interrupt does/,
    );
    expect(f!.mitigation.checks).toContain('cat /proc/interrupts');
  });

  it('masks not collected: the generic note, no invented mask', () => {
    const [f] = diagnose({ before, after: later(before, dropped) });
    const notes = f!.mitigation.caveats!.join(' ');
    expect(notes).toContain('All drops were on cpu1: one CPU receives this traffic');
    expect(notes).not.toContain('echo ');
  });
});
