import { describe, expect, it } from 'vitest';
import { counterDelta, mapDelta } from '../../collectors/counter-delta.js';
import { softnetDelta } from '../../collectors/softnet-delta.js';
import { parseSoftnetStat, type SoftnetRow } from '../../collectors/softnet-stat.js';
import { fixture } from './fixture-files.js';

describe('counterDelta', () => {
  it('plain increase, with a rate', () => {
    expect(counterDelta(100n, 350n, { intervalSec: 5 })).toEqual({
      delta: 250n,
      reset: false,
      wrapped: false,
      ratePerSec: 50,
    });
  });

  it('no rate for a missing, zero or non-finite interval', () => {
    expect(counterDelta(1n, 2n).ratePerSec).toBeUndefined();
    expect(counterDelta(1n, 2n, { intervalSec: 0 }).ratePerSec).toBeUndefined();
    expect(counterDelta(1n, 2n, { intervalSec: Number.NaN }).ratePerSec).toBeUndefined();
  });

  it('32-bit counter just past 2^32 wraps', () => {
    expect(counterDelta(0xfffffff0n, 0x10n, { wrapBits: 32, intervalSec: 2 })).toEqual({
      delta: 0x20n,
      reset: false,
      wrapped: true,
      ratePerSec: 16,
    });
  });

  it('32-bit counter that fell far back is a reset, not a 4-billion-event wrap', () => {
    expect(counterDelta(1000n, 500n, { wrapBits: 32 })).toEqual({
      delta: 500n,
      reset: true,
      wrapped: false,
    });
  });

  it('64-bit counter that went backwards: reset, delta = after, never negative', () => {
    const d = counterDelta(18446744073709551615n, 7n);
    expect(d).toEqual({ delta: 7n, reset: true, wrapped: false });
    expect(counterDelta(5n, 0n).delta).toBe(0n);
  });

  it('values above 32 bits with wrapBits 32 are treated as a reset', () => {
    expect(counterDelta(0x1_0000_0005n, 3n, { wrapBits: 32 }).reset).toBe(true);
  });
});

describe('mapDelta', () => {
  it('reports added, removed, resets and rates per key', () => {
    const before = { rx_dropped: 10n, rx_missed_errors: 5n, queue_7_drops: 1n, tx_bytes: 900n };
    const after = { rx_dropped: 30n, rx_missed_errors: 5n, queue_8_drops: 4n, tx_bytes: 100n };
    const d = mapDelta(before, after, { intervalSec: 10 });
    expect(d.deltas['rx_dropped']).toEqual({
      delta: 20n,
      reset: false,
      wrapped: false,
      ratePerSec: 2,
    });
    expect(d.deltas['rx_missed_errors']?.delta).toBe(0n);
    expect(d.deltas['tx_bytes']).toMatchObject({ delta: 100n, reset: true });
    expect(d.added).toEqual(['queue_8_drops']);
    expect(d.removed).toEqual(['queue_7_drops']);
    expect(d.resets).toEqual(['tx_bytes']);
    expect(d.wrapped).toEqual([]);
    expect(Object.keys(d.deltas)).toEqual(['rx_dropped', 'rx_missed_errors', 'tx_bytes']);
  });

  it('keys named like Object.prototype members are ordinary keys', () => {
    const d = mapDelta({ constructor: 1n }, { constructor: 3n, toString: 1n });
    expect(d.deltas['constructor']?.delta).toBe(2n);
    expect(d.added).toEqual(['toString']);
  });
});

describe('softnetDelta', () => {
  const row = (
    cpu: number,
    processed: bigint,
    dropped: bigint,
    extra: Partial<SoftnetRow> = {},
  ) => ({
    cpu,
    cpuFromIndexColumn: true,
    processed,
    dropped,
    timeSqueeze: 0n,
    columns: 13,
    ...extra,
  });

  it('matches rows by CPU, wraps 32-bit counters, reports hotplugged CPUs', () => {
    const before = [row(0, 0xffffff00n, 5n, { receivedRps: 1n }), row(1, 10n, 0n), row(3, 1n, 1n)];
    const after = [row(0, 0x100n, 25n, { receivedRps: 4n }), row(2, 7n, 0n), row(1, 40n, 2n)];
    const d = softnetDelta(before, after, 2);
    expect(
      d.rows.map((r) => [r.cpu, r.processed.delta, r.processed.wrapped, r.dropped.delta]),
    ).toEqual([
      [0, 0x200n, true, 20n],
      [1, 30n, false, 2n],
    ]);
    expect(d.rows[0]?.dropped.ratePerSec).toBe(10);
    expect(d.rows[0]?.receivedRps?.delta).toBe(3n);
    expect(d.rows[1]?.receivedRps).toBeUndefined();
    expect(d.addedCpus).toEqual([2]);
    expect(d.removedCpus).toEqual([3]);
    expect(d.totals).toEqual({ processed: 0x200n + 30n, dropped: 22n, timeSqueeze: 0n });
  });

  it('real fixture against itself: all zero', () => {
    const rows = parseSoftnetStat(fixture('softnet_stat/hjr3-softnet-stat-kernel-3_11.txt')).value
      .rows;
    const d = softnetDelta(rows, rows, 1);
    expect(d.rows).toHaveLength(8);
    expect(d.totals).toEqual({ processed: 0n, dropped: 0n, timeSqueeze: 0n });
  });
});
