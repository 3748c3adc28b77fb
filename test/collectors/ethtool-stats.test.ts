import { describe, expect, it } from 'vitest';
import { parseEthtoolStats } from '../../collectors/ethtool-stats.js';
import { fixture } from './fixture-files.js';

const parse = (rel: string) => parseEthtoolStats(fixture(`ethtool_S/${rel}`));

describe('parseEthtoolStats on ethq captures', () => {
  it('bnxt_en: `[0]: rx_discards` keys split on the last colon', () => {
    const { value, warnings } = parse('ethq-test-bnxt_en.txt');
    expect(warnings).toEqual([]);
    expect(value.entries).toHaveLength(499);
    expect(value.entries[0]).toEqual({ key: '[0]: rx_ucast_packets', value: 10198513532n });
    expect(value.stats['[0]: rx_discards']).toBe(11763190n);
    expect(value.stats['[11]: rx_discards']).toBe(9244693n);
    expect(value.stats['rx_total_ring_discards']).toBe(655430134n);
  });

  it('ena: no header, no indent', () => {
    const { value, warnings } = parse('ethq-test-ena.txt');
    expect(warnings).toEqual([]);
    expect(value.entries).toHaveLength(104);
    expect(value.stats['queue_3_rx_bytes']).toBe(66809815952n);
    expect(value.stats['ena_admin_q_completed_cmd']).toBe(28n);
  });

  it('i40e: dotted keys and values above 2^32', () => {
    const { value } = parse('ethq-test-i40e.txt');
    expect(value.entries).toHaveLength(202);
    expect(value.stats['rx-11.rx_bytes']).toBe(2974550330599n);
    expect(value.stats['port.rx_dropped']).toBe(0n);
    expect(value.stats['tx_bytes']).toBe(54319323988898n);
  });

  it('ice: `.nic` suffixed keys after the per-queue block', () => {
    const { value } = parse('ethq-test-ice.txt');
    expect(value.entries).toHaveLength(602);
    expect(value.stats['tx_queue_21_bytes']).toBe(9232103576n);
    expect(value.stats['rx_bytes.nic']).toBe(848255752n);
  });

  it('mlx5_core: rx_out_of_buffer present', () => {
    const { value } = parse('ethq-test-mlx5_core.txt');
    expect(value.entries).toHaveLength(751);
    expect(value.stats['rx_out_of_buffer']).toBe(0n);
    expect(value.stats['tx15_xmit_more']).toBe(5530n);
  });

  it('sfc: header but no indent', () => {
    const { value, warnings } = parse('ethq-test-sfc.txt');
    expect(warnings).toEqual([]);
    expect(value.entries).toHaveLength(152);
    expect(value.stats['port_rx_dp_di_dropped_packets']).toBe(27n);
    expect(value.stats['tx-xdp-cpu-23.tx_packets']).toBe(0n);
  });

  it('tg3', () => {
    const { value } = parse('ethq-test-tg3.txt');
    expect(value.entries).toHaveLength(72);
    expect(value.entries[0]).toEqual({ key: 'rx_octets', value: 60386827026n });
  });

  it('virtio_net: per-queue stats only', () => {
    const { value } = parse('ethq-test-virtio_net.txt');
    expect(Object.keys(value.stats)).toHaveLength(8);
    expect(value.stats['tx_queue_1_bytes']).toBe(18293525171n);
  });

  it('vmxnet3: keys with spaces and `#`, nested sections, repeated keys', () => {
    const { value, warnings } = parse('ethq-test-vmxnet3.txt');
    expect(value.entries).toHaveLength(71);
    expect(value.entries[0]).toEqual({ key: 'Tx Queue#', value: 0n });
    expect(value.entries[1]).toEqual({ key: 'TSO pkts tx', value: 161n, section: 'Tx Queue#: 0' });
    // 10-space nested lines still belong to the queue section.
    expect(value.entries[12]).toEqual({
      key: 'too many frags',
      value: 0n,
      section: 'Tx Queue#: 0',
    });
    const q1 = value.entries.find((e) => e.key === 'TSO pkts tx' && e.section === 'Tx Queue#: 1');
    expect(q1?.value).toBe(620n);
    expect(value.stats['TSO pkts tx']).toBe(161n);
    expect(value.stats['TSO pkts tx#2']).toBe(620n);
    expect(value.stats['Tx Queue##2']).toBe(1n);
    expect(value.stats['ucast pkts rx#2']).toBe(143523n);
    // `giant hdr` appears twice inside each Tx queue: 4 times in all.
    expect(value.stats['giant hdr#4']).toBe(0n);
    expect(value.entries.at(-1)).toEqual({ key: 'tx timeout count', value: 0n });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^36 duplicate keys/);
  });
});

describe('parseEthtoolStats on other captures', () => {
  it('hv_netvsc: `...` elisions are flagged, not parsed', () => {
    const { value, warnings } = parse('hv_netvsc-wsl2-5.10.102.1-microsoft-elided.txt');
    expect(value.elided).toBe(true);
    expect(value.entries).toHaveLength(33);
    expect(value.stats['rx_queue_7_bytes']).toBe(280126441n);
    expect(value.stats['cpu11_vf_tx_bytes']).toBe(0n);
    expect(warnings).toEqual(['line 23: lines elided ("...")', 'line 35: lines elided ("...")']);
  });

  it('iwlwifi: u64 max stays exact', () => {
    const { value } = parse('iwlwifi-laptop-debian11-u64max-values.txt');
    expect(value.stats['noise']).toBe(18446744073709551615n);
    expect(value.stats['ch_time_tx']).toBe(18446744073709551615n);
    expect(value.stats['txrate']).toBe(520000000n);
    expect(value.stats['rx_dropped']).toBe(31n);
  });

  it('mana partial: the repeated block is kept in entries and suffixed in the map', () => {
    const { value, warnings } = parse('mana-azure-per-queue-partial-before-affinity-change.txt');
    expect(value.entries).toHaveLength(109);
    expect(value.entries.filter((e) => e.key === 'tx_cq_err')).toHaveLength(2);
    expect(value.stats['rx_3_bytes']).toBe(315445084n);
    expect(value.stats['rx_3_bytes#2']).toBe(315445084n);
    expect(value.stats['hc_tx_bytes']).toBe(126336708121n);
    expect(value.stats['tx_2_tso_bytes']).toBe(23829680267n);
    expect(warnings[0]).toMatch(/^24 duplicate keys stored with a #n suffix: "tx_cq_err#2"/);
  });

  it('node_exporter (semisynthetic): comment line, dotted key, look-alike keys stay distinct', () => {
    const { value, warnings } = parse(
      'semisynthetic-node_exporter-fixture-eth0-dup-and-dotted-keys.txt',
    );
    expect(warnings).toEqual([]);
    expect(value.entries).toHaveLength(16);
    expect(value.stats['port.rx_dropped']).toBe(12028n);
    expect(value.stats['rx_missed']).toBe(401n);
    expect(value.stats['duplicate metric']).toBe(1n);
    expect(value.stats['duplicate_metric']).toBe(2n);
  });

  it('veth in a container: peer_ifindex and XDP queue stats', () => {
    const { value } = parse('veth-docker-container-ubuntu20-xdp-queue-stats.txt');
    expect(value.entries).toHaveLength(10);
    expect(value.stats['peer_ifindex']).toBe(5n);
    expect(value.stats['rx_queue_0_drops']).toBe(0n);
  });
});

// Key and indent variations listed in the shared README without a fixture in this set.
describe('parseEthtoolStats variations', () => {
  it('1-space indent with trailing spaces, brackets, `rxq0:` style keys', () => {
    const text = [
      'NIC statistics: ',
      ' [hw] rx frames: 12 ',
      ' Queue[0] InErrors: 3 ',
      ' rx_posted_desc[0]: 1024 ',
      ' rxq0: packets: 77 ',
      ' weird key:with colon: 5',
    ].join('\n');
    const { value, warnings } = parseEthtoolStats(text);
    expect(warnings).toEqual([]);
    expect(value.entries.map((e) => [e.key, e.value])).toEqual([
      ['[hw] rx frames', 12n],
      ['Queue[0] InErrors', 3n],
      ['rx_posted_desc[0]', 1024n],
      ['rxq0: packets', 77n],
      ['weird key:with colon', 5n],
    ]);
  });

  it('virtio hw stats truncated to the same 31 chars get #2, #3', () => {
    const key = 'rx_hw_gso_bytes_coalesced_and_';
    const { value } = parseEthtoolStats(`${key}: 1\n${key}: 2\n${key}: 3\n${key}#2: 9\n`);
    expect(value.entries.map((e) => e.value)).toEqual([1n, 2n, 3n, 9n]);
    expect(value.stats[key]).toBe(1n);
    expect(value.stats[`${key}#2`]).toBe(2n);
    expect(value.stats[`${key}#3`]).toBe(3n);
    // A real key that looks like a suffixed one is not overwritten.
    expect(value.stats[`${key}#2#2`]).toBe(9n);
  });

  it('keys that are Object.prototype names are stored as data', () => {
    const { value } = parseEthtoolStats('__proto__: 1\nconstructor: 2\nconstructor: 3\n');
    expect(Object.getPrototypeOf(value.stats)).toBe(Object.prototype);
    expect(Object.keys(value.stats)).toEqual(['__proto__', 'constructor', 'constructor#2']);
    expect(value.stats['constructor#2']).toBe(3n);
  });

  it('error output: not supported, no entries', () => {
    const { value, warnings } = parseEthtoolStats('no stats available\n');
    expect(value).toEqual({ entries: [], stats: {}, elided: false, supported: false });
    expect(warnings).toHaveLength(1);
  });

  it('non-numeric and out-of-range values are warnings, not entries', () => {
    const { value, warnings } = parseEthtoolStats('a: -1\nb: 18446744073709551616\nc: 7\n');
    expect(value.entries).toEqual([{ key: 'c', value: 7n }]);
    expect(warnings).toHaveLength(2);
  });
});

describe('parseEthtoolStats headers', () => {
  it('known headers are silent, a valueless key is not', () => {
    const text = 'Standard stats for eth0:\neth-mac-FramesReceivedOK: 5\nrx_bytes:\n';
    const { value, warnings } = parseEthtoolStats(text);
    expect(value.stats).toEqual({ 'eth-mac-FramesReceivedOK': 5n });
    expect(warnings).toEqual(['line 3: not a "key: counter" line: "rx_bytes:"']);
  });
});
