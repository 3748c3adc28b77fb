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
    // sysfs names where the column is that counter; the kernel's sums keep names of their own.
    expect(value.interfaces[2]?.counters).toEqual({
      rx_bytes: 14981762338n,
      rx_packets: 11585960n,
      rx_errors: 0n,
      rx_dropped_plus_missed: 2n,
      rx_fifo_errors: 0n,
      rx_length_over_crc_frame_errors: 0n,
      rx_compressed: 0n,
      multicast: 0n,
      tx_bytes: 4703835446n,
      tx_packets: 4963146n,
      tx_errors: 0n,
      tx_dropped: 0n,
      tx_fifo_errors: 0n,
      collisions: 0n,
      tx_carrier_aborted_window_heartbeat_errors: 0n,
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
      rx_dropped_plus_missed: 5n,
      tx_packets: 2n,
    });
  });

  it('maps columns by header name, whatever their order; an unknown one keeps its prefix', () => {
    const text = [
      'Inter-|   Receive                  |  Transmit',
      ' face |drop bytes errs future|colls bytes carrier',
      '  eth0: 1 2 3 4 5 6 7',
    ].join('\n');
    const { value, warnings } = parseProcNetDev(text);
    expect(warnings).toEqual([]);
    expect(value.interfaces[0]?.counters).toEqual({
      rx_dropped_plus_missed: 1n,
      rx_bytes: 2n,
      rx_errors: 3n,
      rx_future: 4n,
      collisions: 5n,
      tx_bytes: 6n,
      tx_carrier_aborted_window_heartbeat_errors: 7n,
    });
  });

  it('short rows and bad values are warned, the rest kept', () => {
    const { value, warnings } = parseProcNetDev('eth0: 1 2 x\nnot an interface\n');
    expect(value.interfaces[0]?.counters).toEqual({ rx_bytes: 1n, rx_packets: 2n });
    expect(warnings).toHaveLength(3);
  });
});
