import { describe, expect, it } from 'vitest';
import { parseEthtoolChannels } from '../../collectors/ethtool-channels.js';
import { fixture } from './fixture-files.js';

describe('parseEthtoolChannels', () => {
  it('hv_netvsc: 12 combined max, 8 current', () => {
    const text = fixture('ethtool_l/hv_netvsc-wsl2-5.10.102.1-microsoft.txt');
    const { value, warnings } = parseEthtoolChannels(text);
    expect(warnings).toEqual([]);
    expect(value).toEqual({
      iface: 'eth0',
      supported: true,
      max: { rx: 0, tx: 0, other: 0, combined: 12 },
      current: { rx: 0, tx: 0, other: 0, combined: 8 },
      extra: {},
    });
  });

  it('error fixture (stderr mixed in): supported false, both error lines warned', () => {
    const text = fixture('ethtool_l/error-cannot-get-device-channel-parameters.txt');
    const { value, warnings } = parseEthtoolChannels(text);
    expect(value).toEqual({ iface: 'eth0', supported: false, max: {}, current: {}, extra: {} });
    expect(warnings).toEqual([
      'line 2: ethtool error: "Cannot get device channel parameters"',
      'line 3: ethtool error: ": Operation not supported"',
    ]);
  });

  it('n/a -> null, tabs, unknown keys in extra', () => {
    const text =
      'Pre-set maximums:\nRX:\t\tn/a\nCombined:\t32\nCurrent hardware settings:\nRX:\t\tn/a\nCombined:\t8\nFoo:\tbar\n';
    const { value } = parseEthtoolChannels(text);
    expect(value.max).toEqual({ rx: null, combined: 32 });
    expect(value.current).toEqual({ rx: null, combined: 8 });
    expect(value.extra).toEqual({ 'current.Foo': 'bar' });
  });
});
