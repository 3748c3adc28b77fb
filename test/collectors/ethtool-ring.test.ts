import { describe, expect, it } from 'vitest';
import { parseEthtoolRing } from '../../collectors/ethtool-ring.js';
import { fixture } from './fixture-files.js';

describe('parseEthtoolRing on fixtures', () => {
  it('ena ens5: tab separated, n/a -> null', () => {
    const { value, warnings } = parseEthtoolRing(fixture('ethtool_g/ena-aws-ens5-tabs-na.txt'));
    expect(warnings).toEqual([]);
    expect(value).toEqual({
      iface: 'ens5',
      supported: true,
      max: { rx: 16384, rxMini: null, rxJumbo: null, tx: 1024 },
      current: { rx: 1024, rxMini: null, rxJumbo: null, tx: 1024 },
      extra: {},
    });
  });

  it('eno2 with netlink-era ethtool 6: extra fields typed', () => {
    const text = fixture('ethtool_g/eno2-zeek-sensor-ethtool6-netlink-full-fields.txt');
    const { value, warnings } = parseEthtoolRing(text);
    expect(warnings).toEqual([]);
    expect(value.iface).toBe('eno2');
    expect(value.max).toEqual({
      rx: 2047,
      rxMini: null,
      rxJumbo: null,
      tx: 511,
      txPushBufLen: null,
    });
    expect(value.current).toEqual({
      rx: 2047,
      rxMini: null,
      rxJumbo: null,
      tx: 511,
      rxBufLen: null,
      cqeSize: null,
      txPush: false,
      rxPush: false,
      txPushBufLen: null,
      tcpDataSplit: null,
    });
    expect(value.extra).toEqual({});
  });

  it('hv_netvsc: spaces instead of tabs, 0 for unsupported mini/jumbo kept as 0', () => {
    const text = fixture('ethtool_g/hv_netvsc-wsl2-5.10.102.1-microsoft.txt');
    const { value } = parseEthtoolRing(text);
    expect(value.max).toEqual({ rx: 18811, rxMini: 0, rxJumbo: 0, tx: 2560 });
    expect(value.current).toEqual({ rx: 9709, rxMini: 0, rxJumbo: 0, tx: 170 });
  });
});

describe('parseEthtoolRing variations', () => {
  it('error text: empty value, supported false', () => {
    const text =
      'Ring parameters for eth1:\nCannot get device ring settings: Operation not supported\n';
    const { value, warnings } = parseEthtoolRing(text);
    expect(value).toEqual({ iface: 'eth1', supported: false, max: {}, current: {}, extra: {} });
    expect(warnings).toHaveLength(1);
  });

  it('unknown fields go to extra, odd values warn', () => {
    const text = [
      'Pre-set maximums:',
      'RX:\t8192',
      'HDS thresh:\t1024',
      'Current hardware settings:',
      'RX:\tlots',
      'TX Push:\tmaybe',
      'TCP data split:\ton',
    ].join('\n');
    const { value, warnings } = parseEthtoolRing(text);
    expect(value.max).toEqual({ rx: 8192 });
    expect(value.current).toEqual({ tcpDataSplit: 'on' });
    expect(value.extra).toEqual({
      'max.HDS thresh': '1024',
      'current.RX': 'lots',
      'current.TX Push': 'maybe',
    });
    expect(warnings).toHaveLength(2);
  });
});
