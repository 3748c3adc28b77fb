import { describe, expect, it } from 'vitest';
import { isAzureVfName } from '../../../collectors/model.js';
import { COLLECTORS } from '../../../collectors/registry.js';
import { buildSnapshot } from '../../../collectors/snapshot/build.js';
import type { Section } from '../../../collectors/snapshot/frames.js';
import { fixture } from '../fixture-files.js';
import { section as sec } from './section.js';

describe('building a snapshot from sections', () => {
  // An Azure accelerated-networking host: eth0 is hv_netvsc (synthetic),
  // enP30832s1 is the mlx5 VF whose master is eth0.
  const sections = [
    sec(
      'sysfs_net',
      [
        'eth0/rx_dropped 5',
        'eth0/mtu 1500',
        'eth0/driver hv_netvsc',
        'enP30832s1/rx_missed_errors 1234',
        'enP30832s1/master eth0',
        'enP30832s1/driver mlx5_core',
        'enP30832s1/physfn 1',
        'lo/rx_packets 10',
      ].join('\n'),
    ),
    sec('ethtool_i', fixture('ethtool_i/hv_netvsc-wsl2-5.10.102.1-microsoft.txt'), 'eth0'),
    sec(
      'ethtool_i',
      fixture('ethtool_i/mlx5_core-connectx4-ubuntu18.04-4.15-fw14.23.txt'),
      'enP30832s1',
    ),
    sec('ethtool_S', fixture('ethtool_S/ethq-test-mlx5_core.txt'), 'enP30832s1'),
    sec('ethtool_g', '', 'eth0', 1),
    sec('softnet_stat', fixture('softnet_stat/hjr3-softnet-stat-kernel-5_10_47.txt')),
    sec('uname', 'Linux aks-node-0 5.15.0-1034-azure #41-Ubuntu SMP x86_64 GNU/Linux\n'),
  ];
  const { snapshot, raw } = buildSnapshot({
    host: 'h',
    takenAt: '2026-01-01T00:00:00.000Z',
    durationMs: 12,
    sections,
    specs: COLLECTORS,
  });

  it('pairs the synthetic interface with its VF', () => {
    const vf = snapshot.interfaces.find((i) => i.name === 'enP30832s1')!;
    const syn = snapshot.interfaces.find((i) => i.name === 'eth0')!;
    expect(vf.kind).toBe('sriov-vf');
    expect(vf.acceleratedNetworking).toEqual({ role: 'vf', peer: 'eth0' });
    expect(syn.acceleratedNetworking).toEqual({ role: 'synthetic', peer: 'enP30832s1' });
    expect(syn.slaves).toEqual(['enP30832s1']);
    expect(vf.firmware).toBe('14.23.1020 (MT_2420110034)');
    expect(vf.kernel['rx_missed_errors']).toBe(1234n);
    expect(vf.ethtool?.['rx_out_of_buffer']).toBeTypeOf('bigint');
  });

  it('records every source with its raw path, and a failed one with the reason', () => {
    expect(raw.map((r) => r.path)).toContain('ethtool/enP30832s1/ethtool-S.txt');
    const ring = snapshot.sources.find((s) => s.id === 'ethtool_g')!;
    expect(ring.ok).toBe(false);
    expect(snapshot.interfaces.find((i) => i.name === 'eth0')!.ring).toBeUndefined();
    expect(snapshot.facts.kernelRelease).toBe('5.15.0-1034-azure');
    // 5.10.47: 13 columns, CPU from the index column.
    expect(snapshot.softnet.map((r) => r.cpu)).toEqual([0, 1]);
  });
});

const build = (sections: Section[]) =>
  buildSnapshot({
    host: 'h',
    takenAt: '2026-01-01T00:00:00.000Z',
    durationMs: 12,
    sections,
    specs: COLLECTORS,
  });

describe('a capture without sysfs (sos): /proc/net/dev gives the kernel counters', () => {
  const { snapshot } = build([
    sec('proc_net_dev', fixture('proc_net_dev/debian11-laptop-lo-enp0s31f6-wlp3s0.txt')),
  ]);

  it('under sysfs names where the column is that counter, and under its own name where not', () => {
    expect(snapshot.warnings).toEqual([]);
    expect(snapshot.interfaces.map((i) => [i.name, i.kind])).toEqual([
      ['lo', 'loopback'],
      ['enp0s31f6', 'other'],
      ['wlp3s0', 'other'],
    ]);
    const wlan = snapshot.interfaces.find((i) => i.name === 'wlp3s0')!;
    expect(wlan.kernel).toMatchObject({
      rx_packets: 11585960n,
      rx_errors: 0n,
      rx_fifo_errors: 0n,
      multicast: 0n,
      tx_dropped: 0n,
      collisions: 0n,
    });
    // `drop` is rx_dropped + rx_missed_errors: neither of the two.
    expect(wlan.kernel['rx_dropped_plus_missed']).toBe(2n);
    expect(wlan.kernel).not.toHaveProperty('rx_dropped');
    expect(wlan.kernel).not.toHaveProperty('rx_missed_errors');
    expect(wlan.kernel).not.toHaveProperty('rx_frame_errors');
    expect(wlan.kernel).not.toHaveProperty('tx_carrier_errors');
  });
});

describe('interface names that are Object.prototype members', () => {
  const ipLink = [
    '1: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000',
    '    link/ether 02:00:00:00:00:00 brd ff:ff:ff:ff:ff:ff',
    '2: constructor: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000',
    '    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff',
    '3: toString: <BROADCAST,MULTICAST> mtu 1400 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
    '    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff',
    '4: __proto__: <BROADCAST,MULTICAST> mtu 1300 qdisc noop state DOWN mode DEFAULT group default qlen 1000',
    '    link/ether 02:00:00:00:00:03 brd ff:ff:ff:ff:ff:ff',
  ].join('\n');

  it('in ip link but not in sysfs: an ordinary interface, nothing from the prototype', () => {
    const { snapshot } = build([
      sec('sysfs_net', 'eth0/rx_dropped 5\neth0/mtu 1500\neth0/driver virtio_net'),
      sec('ip_link', ipLink),
    ]);
    expect(snapshot.interfaces.map((i) => i.name)).toEqual([
      'eth0',
      'constructor',
      'toString',
      '__proto__',
    ]);
    expect(snapshot.interfaces.find((i) => i.name === 'constructor')).toEqual({
      name: 'constructor',
      kind: 'other',
      slaves: [],
      kernel: {},
      ifindex: 2,
      mtu: 1500,
      state: 'UP',
      mac: '02:00:00:00:00:01',
      txqueuelen: 1000,
    });
    const toStr = snapshot.interfaces.find((i) => i.name === 'toString')!;
    expect(toStr).toMatchObject({ kind: 'other', mtu: 1400, state: 'DOWN' });
    expect(toStr.kernel).toEqual({});
    const proto = snapshot.interfaces.find((i) => i.name === '__proto__')!;
    expect(proto).toMatchObject({ kind: 'other', mtu: 1300, ifindex: 4 });
    expect(proto.kernel).toEqual({});
    expect(snapshot.interfaces.find((i) => i.name === 'eth0')!.kernel).toEqual({
      rx_dropped: 5n,
    });
  });
});

describe('txqueuelen, from ip link', () => {
  it("is the device's qlen (JSON txqlen), pfifo_fast's limit", () => {
    const { snapshot } = build([
      sec('ip_link_json', fixture('ip_link/ip-s-s-json-link-wlp3s0-debian11.json')),
      sec('ip_link', fixture('ip_link/ip-s-s-d-link-proxmox-virtio-cilium-node.txt')),
    ]);
    const by = new Map(snapshot.interfaces.map((i) => [i.name, i.txqueuelen]));
    expect(by.get('wlp3s0')).toBe(1000);
    expect(by.get('ens18')).toBe(1000);
  });
});

describe('an SR-IOV VF without physfn is known by driver and Azure name', () => {
  it('enP<digit> only: the PCI domain Azure puts in the name', () => {
    expect(['enP30832s1', 'enP1s1', 'enP', 'enPfoo', 'eth0'].map(isAzureVfName)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    const { snapshot } = build([
      sec(
        'sysfs_net',
        'enP2s1/driver mlx5_core\nenPfoo/driver mlx5_core\nenP3s1/driver virtio_net',
      ),
    ]);
    expect(snapshot.interfaces.map((i) => [i.name, i.kind])).toEqual([
      ['enP2s1', 'sriov-vf'],
      ['enPfoo', 'physical'],
      ['enP3s1', 'physical'],
    ]);
  });
});

describe('a timed-out source', () => {
  it('reports its own bound, or the default one', () => {
    const { snapshot } = build([
      // A per-interface source counts only for an interface the host listed.
      sec('sysfs_net', 'eth0/mtu 1500'),
      sec('ethtool_S', '', 'eth0', 124),
      sec('cloud_identity', '', undefined, 124),
    ]);
    const reason = (id: string) => snapshot.sources.find((s) => s.id === id)?.reason;
    expect(reason('ethtool_S')).toBe('timed out after 5 s');
    expect(reason('cloud_identity')).toBe('timed out after 8 s');
  });
});
