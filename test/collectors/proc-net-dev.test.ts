import { describe, expect, it } from 'vitest';
import { parseProcNetDev } from '../../collectors/proc-net-dev.js';
import { fixture } from './fixture-files.js';

describe('parseProcNetDev', () => {
  it('debian11 laptop: long name collapses columns (`enp0s31f6:       0`)', () => {
    const text = fixture('proc_net_dev/debian11-laptop-lo-enp0s31f6-wlp3s0.txt');
    const { value, warnings } = parseProcNetDev(text);
    expect(warnings).toEqual([]);
    expect(value.interfaces.map((i) => i.name)).toEqual(['lo', 'enp0s31f6', 'wlp3s0']);
    expect(value.interfaces[1]?.counters['rx_bytes']).toBe(0n);
    expect(Object.keys(value.interfaces[1]?.counters ?? {})).toHaveLength(16);
    expect(value.interfaces[2]?.counters).toEqual({
      rx_bytes: 14981762338n,
      rx_packets: 11585960n,
      rx_errs: 0n,
      rx_drop: 2n,
      rx_fifo: 0n,
      rx_frame: 0n,
      rx_compressed: 0n,
      rx_multicast: 0n,
      tx_bytes: 4703835446n,
      tx_packets: 4963146n,
      tx_errs: 0n,
      tx_drop: 0n,
      tx_fifo: 0n,
      tx_colls: 0n,
      tx_carrier: 0n,
      tx_compressed: 0n,
    });
    expect(value.interfaces[0]?.counters['tx_bytes']).toBe(10802074982n);
  });

  it('no header: default column names; `docker0: 67744171` glued to the colon', () => {
    const line = 'docker0:67744171  100 0 5 0 0 0 0 1 2 0 0 0 0 0 0';
    const { value, warnings } = parseProcNetDev(line);
    expect(warnings).toEqual([]);
    expect(value.interfaces[0]?.counters).toMatchObject({
      rx_bytes: 67744171n,
      rx_drop: 5n,
      tx_packets: 2n,
    });
  });

  it('short rows and bad values are warned, the rest kept', () => {
    const { value, warnings } = parseProcNetDev('eth0: 1 2 x\nnot an interface\n');
    expect(value.interfaces[0]?.counters).toEqual({ rx_bytes: 1n, rx_packets: 2n });
    expect(warnings).toHaveLength(3);
  });
});
