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

// softnet_stat counters are 32 bits and the kernel never resets them while it runs: on one boot
// (same boot_id) a counter that went down wrapped, however far; across a reboot it restarted.
// Without boot ids only the distance could be used, and a wrap further than 2^31 was taken for
// a reset (delta = the value after, billions short).
describe('softnet wrap or reset, told by the boot id', () => {
  const BOOT_A = '2f3c1a9e-6b1d-4f57-9a4e-3c8d2b7e1f00';
  const BOOT_B = '8d0e7c21-45aa-4b8e-b0f2-91c3d4e5f6a7';
  // hjr3 2.6.32 capture: cpu0 processed = 0x6dcad223, near the middle of the 32-bit range.
  const after = parseSoftnetStat(fixture('softnet_stat/hjr3-softnet-stat-kernel-2_6_32.txt')).value
    .rows;
  const before = after.map((r) => (r.cpu === 0 ? { ...r, processed: 0xe0000000n } : r));
  const cpu0 = (d: ReturnType<typeof softnetDelta>) => d.rows.find((r) => r.cpu === 0)!.processed;

  it('same boot: a counter that went down wrapped, even past half the range', () => {
    expect(after[0]!.processed).toBe(0x6dcad223n);
    const d = softnetDelta(before, after, 600, { before: BOOT_A, after: BOOT_A });
    expect(cpu0(d)).toMatchObject({
      delta: 0x6dcad223n + 0x1_0000_0000n - 0xe0000000n,
      wrapped: true,
      reset: false,
    });
    // Without boot ids the distance decides, as before.
    expect(cpu0(softnetDelta(before, after, 600))).toMatchObject({
      delta: 0x6dcad223n,
      reset: true,
    });
  });

  it('another boot: every counter restarted, even one that looks like a short wrap or a rise', () => {
    const nearTop = after.map((r) => (r.cpu === 0 ? { ...r, processed: 0xfffffff0n } : r));
    const d = softnetDelta(nearTop, after, 600, { before: BOOT_A, after: BOOT_B });
    expect(cpu0(d)).toMatchObject({ delta: 0x6dcad223n, wrapped: false, reset: true });
    const cpu1 = d.rows.find((r) => r.cpu === 1)!.processed;
    expect(cpu1).toMatchObject({ delta: after[1]!.processed, reset: true });
    // The short wrap without boot ids: 0xfffffff0 -> 0x10 is +32.
    expect(counterDelta(0xfffffff0n, 0x10n, { wrapBits: 32 })).toMatchObject({
      delta: 32n,
      wrapped: true,
    });
    expect(counterDelta(0xfffffff0n, 0x10n, { wrapBits: 32, sameBoot: false })).toMatchObject({
      delta: 16n,
      reset: true,
    });
    expect(counterDelta(1000n, 500n, { wrapBits: 32, sameBoot: true })).toMatchObject({
      delta: 0x1_0000_0000n - 500n,
      wrapped: true,
    });
  });
});
