import { describe, expect, it } from 'vitest';
import { parseEthtoolDriver } from '../../collectors/ethtool-driver.js';
import { fixture } from './fixture-files.js';

const parse = (rel: string) => parseEthtoolDriver(fixture(`ethtool_i/${rel}`));

describe('parseEthtoolDriver on fixtures', () => {
  it('ena 2.5.0g: empty firmware-version with a trailing space', () => {
    const { value, warnings } = parse('ena-aws-t3.micro-2.5.0g.txt');
    expect(warnings).toEqual([]);
    expect(value).toMatchObject({
      driver: 'ena',
      version: '2.5.0g',
      firmwareVersion: '',
      expansionRomVersion: '',
      busInfo: '0000:00:05.0',
      supported: true,
    });
    expect(value.supports).toEqual({
      statistics: true,
      test: false,
      'eeprom-access': false,
      'register-dump': false,
      'priv-flags': true,
    });
    expect(Object.keys(value.fields)).toHaveLength(10);
  });

  it('hv_netvsc: version cut at 31 chars, empty values without a space', () => {
    const { value } = parse('hv_netvsc-wsl2-5.10.102.1-microsoft.txt');
    expect(value.version).toBe('5.10.102.1-microsoft-standard-W');
    expect(value.firmwareVersion).toBe('N/A');
    expect(value.busInfo).toBe('');
    expect(value.fields['expansion-rom-version']).toBe('');
    expect(value.supports['register-dump']).toBe(true);
  });

  it('ixgbe X540', () => {
    const { value } = parse('ixgbe-x540-5.1.0-k.txt');
    expect(value).toMatchObject({
      driver: 'ixgbe',
      version: '5.1.0-k',
      firmwareVersion: '0x80000389',
      busInfo: '0000:03:00.0',
    });
    expect(Object.values(value.supports).every(Boolean)).toBe(true);
  });

  it('mlx5_core: firmware with PSID in parentheses', () => {
    const { value } = parse('mlx5_core-connectx4-ubuntu18.04-4.15-fw14.23.txt');
    expect(value.driver).toBe('mlx5_core');
    expect(value.firmwareVersion).toBe('14.23.1020 (MT_2420110034)');
    expect(value.busInfo).toBe('0000:af:00.0');
  });

  it('virtio_net: supports-statistics no', () => {
    const { value } = parse('virtio_net-public-cloud-vm-1.0.0.txt');
    expect(value.driver).toBe('virtio_net');
    expect(value.supports.statistics).toBe(false);
  });
});

describe('parseEthtoolDriver variations', () => {
  it('leading comment line and unknown keys', () => {
    const { value, warnings } = parseEthtoolDriver(
      '# ethtool -i eth0\ndriver: mana\nfoo-bar: baz\n',
    );
    expect(warnings).toEqual([]);
    expect(value.driver).toBe('mana');
    expect(value.fields).toEqual({ driver: 'mana', 'foo-bar': 'baz' });
  });

  it('error: supported false', () => {
    const { value } = parseEthtoolDriver('Cannot get driver information: No such device\n');
    expect(value.supported).toBe(false);
    expect(value.fields).toEqual({});
  });
});
