import { describe, expect, it } from 'vitest';
import { parseIpLink, parseIpLinkJson } from '../../collectors/ip-link.js';
import { quoteLargeIntegers } from '../../collectors/json-bigint.js';
import { fixture } from './fixture-files.js';

describe('parseIpLinkJson', () => {
  it('wlp3s0 (iproute2 5.10 `-s -s -j`): same shape as text, sysfs names', () => {
    const text = fixture('ip_link/ip-s-s-json-link-wlp3s0-debian11.json');
    const { value, warnings } = parseIpLinkJson(text);
    expect(warnings).toEqual([]);
    expect(value.interfaces).toHaveLength(1);
    const wlp = value.interfaces[0];
    expect(wlp).toMatchObject({
      ifindex: 3,
      name: 'wlp3s0',
      flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
      mtu: 1500,
      qdisc: 'noqueue',
      state: 'UP',
      linkType: 'ether',
      mac: 'a0:a4:c5:5f:f3:de',
      broadcast: 'ff:ff:ff:ff:ff:ff',
      attrs: { mode: 'DORMANT', group: 'default', qlen: '1000' },
    });
    expect(wlp?.peer).toBeUndefined();
    expect(wlp?.stats).toMatchObject({
      rx_bytes: 4298955775n,
      rx_packets: 3007679n,
      rx_over_errors: 0n,
      rx_missed_errors: 0n,
      multicast: 0n,
      tx_bytes: 102057305n,
      tx_packets: 348689n,
      tx_heartbeat_errors: 0n,
      carrier_changes: 10n,
    });
    // The older JSON has no otherhost key.
    expect(wlp?.stats['rx_otherhost_dropped']).toBeUndefined();
    expect(Object.keys(wlp?.stats ?? {})).toHaveLength(22);
  });

  it('keeps u64 max exact, maps otherhost and link_index like the text parser', () => {
    const json =
      '[{"ifindex":12,"link_index":11,"ifname":"veth0","flags":[],"mtu":1500,' +
      '"stats64":{"rx":{"bytes":18446744073709551615,"packets":9007199254740993,' +
      '"missed_errors":4,"otherhost":0,"nohandler":2}}}]';
    const { value, warnings } = parseIpLinkJson(json);
    expect(warnings).toEqual([]);
    expect(value.interfaces[0]?.peer).toBe('if11');
    expect(value.interfaces[0]?.stats).toEqual({
      rx_bytes: 18446744073709551615n,
      rx_packets: 9007199254740993n,
      rx_missed_errors: 4n,
      rx_otherhost_dropped: 0n,
      rx_nohandler: 2n,
    });
  });

  it('text and JSON of the same link give the same stats keys', () => {
    const json = parseIpLinkJson(fixture('ip_link/ip-s-s-json-link-wlp3s0-debian11.json'));
    const text = parseIpLink(fixture('ip_link/ip-s-s-d-link-proxmox-virtio-cilium-node.txt'));
    const textKeys = Object.keys(text.value.interfaces[1]?.stats ?? {}).sort();
    expect(Object.keys(json.value.interfaces[0]?.stats ?? {}).sort()).toEqual(textKeys);
  });

  it('invalid or truncated JSON: no interfaces and a warning', () => {
    for (const bad of ['', '[{"ifindex":1', '{"a":1}', 'null']) {
      const { value, warnings } = parseIpLinkJson(bad);
      expect(value.interfaces).toEqual([]);
      expect(warnings).toHaveLength(1);
    }
  });

  it('null link is `@NONE`; non-counter values are warned', () => {
    const json = '[{"ifindex":9,"ifname":"gre0","link":null,"stats64":{"tx":{"bytes":-1}}}]';
    const { value, warnings } = parseIpLinkJson(json);
    expect(value.interfaces[0]?.peer).toBe('NONE');
    expect(value.interfaces[0]?.mtu).toBeNull();
    expect(warnings).toHaveLength(1);
  });
});

describe('quoteLargeIntegers', () => {
  it('quotes long integers outside strings only', () => {
    expect(quoteLargeIntegers('{"a":18446744073709551615,"b":"18446744073709551615","c":1}')).toBe(
      '{"a":"18446744073709551615","b":"18446744073709551615","c":1}',
    );
    expect(
      quoteLargeIntegers('[1234567890123456,-1234567890123456,1.5e300,"x\\"9999999999999999"]'),
    ).toBe('["1234567890123456","-1234567890123456",1.5e300,"x\\"9999999999999999"]');
  });
});
