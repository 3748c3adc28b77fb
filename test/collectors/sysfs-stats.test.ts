import { describe, expect, it } from 'vitest';
import { parseSysfsStats } from '../../collectors/sysfs-stats.js';

describe('parseSysfsStats', () => {
  it('counters and attributes, one line per file', () => {
    const text = [
      'eth0/rx_dropped 12',
      'eth0/rx_missed_errors 18446744073709551615',
      'eth0/operstate up',
      'eth0/mtu 1500',
      'eth0/speed -1',
      'eth0/carrier_changes 4',
      'veth1a2b/master br0',
      'veth1a2b/address ',
      'eth0/statistics/rx_nohandler 3',
      '/sys/class/net/lo/statistics/rx_bytes 99',
    ].join('\n');
    const { value, warnings } = parseSysfsStats(text);
    expect(warnings).toEqual([]);
    expect(value).toEqual({
      eth0: {
        counters: {
          rx_dropped: 12n,
          rx_missed_errors: 18446744073709551615n,
          carrier_changes: 4n,
          rx_nohandler: 3n,
        },
        attrs: { operstate: 'up', mtu: '1500', speed: '-1' },
      },
      veth1a2b: { counters: {}, attrs: { master: 'br0', address: '' } },
      lo: { counters: { rx_bytes: 99n }, attrs: {} },
    });
  });

  it('a counter file that could not be read is kept as text with a warning', () => {
    const text = 'eth0/rx_bytes \ncat: /sys/class/net/eth0/speed: Invalid argument\n';
    const { value, warnings } = parseSysfsStats(text);
    expect(value['eth0']?.attrs).toEqual({ rx_bytes: '' });
    expect(warnings).toHaveLength(2);
  });

  it('an interface called __proto__ is data, not a prototype change', () => {
    const { value } = parseSysfsStats('__proto__/rx_bytes 1\n');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
  });
});
