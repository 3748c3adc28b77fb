import type { RingFix } from './types.js';

// The RX ring size to persist for one NIC: what the operator asked for (the
// preset maximum by default), clamped to that maximum, which ethtool -G
// refuses to exceed (EINVAL). ENA takes powers of two only: its
// ena_set_ringparam() rounds the request down itself
// (https://github.com/torvalds/linux/blob/master/drivers/net/ethernet/amazon/ena/ena_ethtool.c),
// so we round first and say so rather than persist a value the NIC never
// shows. A persistent fix never shrinks the ring below what it is now.
export function ringTarget(fix: RingFix): { value: number; note?: string } {
  const notes: string[] = [];
  const asked = fix.wanted ?? fix.max;
  let value = asked;
  if (value > fix.max) {
    notes.push(`${asked} is above the preset maximum ${fix.max}: clamped to ${fix.max}`);
    value = fix.max;
  }
  if (fix.driver === 'ena' && value >= 1 && !isPowerOfTwo(value)) {
    const down = floorPowerOfTwo(value);
    notes.push(`ENA takes powers of two only: ${value} rounded down to ${down}`);
    value = down;
  }
  if (value < fix.current) {
    notes.push(`never below the current ${fix.current}: kept at ${fix.current}`);
    value = fix.current;
  }
  return notes.length ? { value, note: notes.join('; ') } : { value };
}

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && 2 ** Math.floor(Math.log2(n)) === n;
}

function floorPowerOfTwo(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}
