import { describe, expect, it } from 'vitest';
import { parseIpLink } from '../../collectors/ip-link.js';
import { fixture } from './fixture-files.js';

const parse = (rel: string) => parseIpLink(fixture(`ip_link/${rel}`));

describe('parseIpLink on fixtures', () => {
  it('CentOS 7 iproute2 3.10 `-s`: old `overrun` RX header, trailing spaces', () => {
    const { value, warnings } = parse(
      'ip-s-link-tencent-cloud-centos7-iproute2-3.10-overrun-header.txt',
    );
    expect(warnings).toEqual([]);
    expect(value.interfaces.map((i) => i.name)).toEqual(['lo', 'eth0']);
    const eth0 = value.interfaces[1];
    expect(eth0).toMatchObject({
      ifindex: 2,
      flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
      mtu: 1500,
      qdisc: 'mq',
      state: 'UP',
      linkType: 'ether',
      mac: '52:54:00:f4:54:a1',
      broadcast: 'ff:ff:ff:ff:ff:ff',
    });
    expect(eth0?.attrs['qlen']).toBe('1000');
    expect(eth0?.stats).toEqual({
      rx_bytes: 626106341n,
      rx_packets: 7188302n,
      rx_errors: 0n,
      rx_dropped: 0n,
      rx_over_errors: 0n,
      multicast: 0n,
      tx_bytes: 1032601999n,
      tx_packets: 7396154n,
      tx_errors: 0n,
      tx_dropped: 0n,
      tx_carrier_errors: 0n,
      collisions: 0n,
    });
    // Single `-s` in the old layout never printed `missed`: absent, not zero.
    expect(eth0?.stats['rx_missed_errors']).toBeUndefined();
    expect(value.interfaces[0]).toMatchObject({ linkType: 'loopback', mtu: 65536 });
    expect(value.interfaces[0]?.stats['rx_bytes']).toBe(376n);
  });

  it('Ubuntu 20.04 iproute2 5.5 `-s -s`: `missed` in the RX errors row', () => {
    const { value, warnings } = parse(
      'ip-s-s-link-eth0-aws-ena-ubuntu20-iproute2-5.5-missed-in-errors-row.txt',
    );
    expect(warnings).toEqual([]);
    expect(value.interfaces).toHaveLength(1);
    const eth0 = value.interfaces[0];
    expect(eth0).toMatchObject({ name: 'eth0', mtu: 9001, mac: '02:ab:cb:6f:d1:1a' });
    expect(eth0?.stats).toMatchObject({
      rx_bytes: 287035161n,
      rx_packets: 218238n,
      rx_over_errors: 0n,
      rx_missed_errors: 0n,
      rx_fifo_errors: 0n,
      tx_bytes: 6995515n,
      tx_packets: 65991n,
      tx_heartbeat_errors: 0n,
      carrier_changes: 3n,
    });
    expect(Object.keys(eth0?.stats ?? {})).toHaveLength(22);
  });

  it('Proxmox `-s -s -d` (dynamic columns): peers, altname, details, `heartbt`', () => {
    const { value, warnings } = parse('ip-s-s-d-link-proxmox-virtio-cilium-node.txt');
    expect(warnings).toEqual([]);
    expect(value.interfaces.map((i) => [i.ifindex, i.name, i.peer])).toEqual([
      [1, 'lo', undefined],
      [2, 'ens18', undefined],
      [3, 'cilium_net', 'cilium_host'],
      [4, 'cilium_host', 'cilium_net'],
      [5, 'cilium_vxlan', undefined],
      [66, 'lxcb16c490a744c', 'if65'],
      [88, 'lxc1a9e66ab2e3d', 'if87'],
      [92, 'lxc9f888d020df3', 'if91'],
      [94, 'lxc_health', 'if93'],
    ]);
    const ens18 = value.interfaces[1];
    expect(ens18?.altnames).toEqual(['enp0s18']);
    expect(ens18?.qdisc).toBe('fq_codel');
    expect(ens18?.details[0]).toMatch(/parentbus virtio parentdev virtio2$/);
    expect(ens18?.stats).toMatchObject({
      rx_bytes: 653824626n,
      rx_packets: 2253259n,
      rx_missed_errors: 0n,
      rx_over_errors: 0n,
      tx_bytes: 56961448n,
      tx_packets: 420246n,
      tx_heartbeat_errors: 0n,
      carrier_changes: 2n,
    });
    expect(Object.keys(ens18?.stats ?? {})).toHaveLength(22);
    // cilium_net/cilium_host are a veth pair: one's RX is the other's TX.
    expect(value.interfaces[2]?.stats['rx_bytes']).toBe(478214n);
    expect(value.interfaces[3]?.stats['tx_bytes']).toBe(478214n);
    expect(value.interfaces[2]?.details[1]).toMatch(/^veth addrgenmode eui64/);
    expect(value.interfaces[4]?.details[1]).toMatch(/^vxlan external id 0/);
    expect(value.interfaces[4]?.stats['carrier_changes']).toBe(0n);
    expect(value.interfaces[5]?.details[0]).toMatch(/^link-netnsid 2 /);
    expect(value.interfaces[8]?.stats['tx_bytes']).toBe(2874n);
  });
});

// Each layout with distinct non-zero values, so a column mapped to the wrong name shows.
describe('parseIpLink column mapping by layout', () => {
  const head =
    '7: enP1s1: <BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP> mtu 1500 qdisc mq master eth0 state UP mode DEFAULT group default qlen 1000\n    link/ether 00:0d:3a:00:00:01 brd ff:ff:ff:ff:ff:ff\n';

  it('iproute2 < 5.10: RX `overrun`, `missed` in RX errors row', () => {
    const text =
      head +
      '    RX: bytes  packets  errors  dropped overrun mcast\n    100 11 12 13 14 15\n' +
      '    RX errors: length   crc     frame   fifo    missed\n               21 22 23 24 25\n' +
      '    TX: bytes  packets  errors  dropped carrier collsns\n    200 31 32 33 34 35\n' +
      '    TX errors: aborted  fifo   window heartbeat transns\n               41 42 43 44 45\n';
    const { value, warnings } = parseIpLink(text);
    expect(warnings).toEqual([]);
    expect(value.interfaces[0]).toMatchObject({ name: 'enP1s1', master: 'eth0' });
    expect(value.interfaces[0]?.stats).toEqual({
      rx_bytes: 100n,
      rx_packets: 11n,
      rx_errors: 12n,
      rx_dropped: 13n,
      rx_over_errors: 14n,
      multicast: 15n,
      rx_length_errors: 21n,
      rx_crc_errors: 22n,
      rx_frame_errors: 23n,
      rx_fifo_errors: 24n,
      rx_missed_errors: 25n,
      tx_bytes: 200n,
      tx_packets: 31n,
      tx_errors: 32n,
      tx_dropped: 33n,
      tx_carrier_errors: 34n,
      collisions: 35n,
      tx_aborted_errors: 41n,
      tx_fifo_errors: 42n,
      tx_window_errors: 43n,
      tx_heartbeat_errors: 44n,
      carrier_changes: 45n,
    });
  });

  it('iproute2 5.10: RX `missed`, `overrun` in RX errors row, plus nohandler/otherhost', () => {
    const text =
      head +
      '    RX: bytes  packets  errors  dropped missed  mcast\n    100 11 12 13 14 15\n' +
      '    RX errors: length   crc     frame   fifo    overrun nohandler otherhost\n' +
      '               21 22 23 24 25 26 27\n';
    const { value } = parseIpLink(text);
    expect(value.interfaces[0]?.stats).toMatchObject({
      rx_missed_errors: 14n,
      rx_over_errors: 25n,
      rx_nohandler: 26n,
      rx_otherhost_dropped: 27n,
    });
  });

  it('a single `-s` 5.10+ layout has `missed` in the only RX row', () => {
    const text = `${head}    RX:  bytes packets errors dropped  missed   mcast           \n    9 8 7 6 5 4 \n`;
    expect(parseIpLink(text).value.interfaces[0]?.stats['rx_missed_errors']).toBe(5n);
  });

  it('u64 max stays exact', () => {
    const text = `${head}    RX: bytes packets\n    18446744073709551615 1\n`;
    expect(parseIpLink(text).value.interfaces[0]?.stats['rx_bytes']).toBe(18446744073709551615n);
  });
});

describe('parseIpLink other variations', () => {
  it('SR-IOV PF: stats under `vf N` lines do not overwrite the PF counters', () => {
    const text = [
      '4: eth2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000',
      '    link/ether 0c:42:a1:00:00:02 brd ff:ff:ff:ff:ff:ff',
      '    RX: bytes  packets  errors  dropped missed  mcast',
      '    1000       10       0       0       7       0',
      '    vf 0     link/ether 00:00:00:00:00:00 brd ff:ff:ff:ff:ff:ff, spoof checking off, link-state auto, trust off',
      '    RX: bytes  packets  mcast   bcast   dropped',
      '    5          6        0       0       99',
    ].join('\n');
    const { value, warnings } = parseIpLink(text);
    expect(warnings).toEqual([]);
    expect(value.interfaces[0]?.stats).toMatchObject({ rx_bytes: 1000n, rx_dropped: 0n });
    expect(value.interfaces[0]?.stats['rx_missed_errors']).toBe(7n);
    expect(value.interfaces[0]?.details[0]).toMatch(/^vf 0 /);
  });

  it('tunnels: `@NONE`, link/gre address that is not a MAC, link/none', () => {
    const text = [
      '9: tun-0A650024-0@NONE: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1476 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000',
      '    link/gre 10.101.0.36 peer 10.101.0.12',
      '10: tun0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UNKNOWN mode DEFAULT group default qlen 500',
      '    link/none ',
    ].join('\n');
    const { value } = parseIpLink(text);
    expect(value.interfaces[0]).toMatchObject({
      name: 'tun-0A650024-0',
      peer: 'NONE',
      linkType: 'gre',
      address: '10.101.0.36',
      details: ['peer 10.101.0.12'],
    });
    expect(value.interfaces[0]?.mac).toBeUndefined();
    expect(value.interfaces[1]).toMatchObject({ name: 'tun0', linkType: 'none', details: [] });
  });

  it('human-readable `-h` values and junk lines are warnings', () => {
    const text = `junk before\n1: lo: <LOOPBACK> mtu 65536\n    RX: bytes packets\n    1.2M 3k\n`;
    const { value, warnings } = parseIpLink(text);
    expect(value.interfaces[0]?.stats).toEqual({});
    expect(warnings).toHaveLength(2);
  });

  it('empty input', () => {
    expect(parseIpLink('')).toEqual({
      value: { interfaces: [] },
      warnings: ['no interfaces found'],
    });
  });
});
