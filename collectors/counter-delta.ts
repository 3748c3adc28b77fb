import { U32_MAX } from './counter.js';
import { getOwn, hasOwn, setOwn } from './own-record.js';

export interface DeltaOptions {
  // 32 for counters the kernel keeps in 32 bits and that wrap (softnet_stat). Default 64.
  wrapBits?: 32 | 64;
  intervalSec?: number;
  // Both samples come from one boot (same /proc/sys/kernel/random/boot_id): a counter that
  // went down wrapped, whatever the distance (softnet_stat is never reset while the kernel
  // runs). `false`: the host rebooted in between, every counter restarted from 0. Unknown
  // (undefined): guessed from the distance.
  sameBoot?: boolean;
}

export interface CounterDelta {
  delta: bigint;
  // The counter went backwards and is not a plausible wrap: the interface was re-created or
  // the driver reset its stats. `delta` is then `after` (the count since the reset), a lower
  // bound, never a negative number (DESIGN.md, "Counters are unsigned 64-bit").
  reset: boolean;
  wrapped: boolean;
  ratePerSec?: number;
}

const U32_SPAN = U32_MAX + 1n;
// Without boot ids, a 32-bit counter that moved back is taken as one wrap only if the wrapped
// distance is under half the counter space: seconds apart, 2^31 softnet events is not
// credible, so a bigger "wrap" (e.g. 1000 -> 500) is taken for a reboot between samples. With
// boot ids (`sameBoot`) there is no guessing.
const MAX_PLAUSIBLE_WRAP = U32_SPAN / 2n;

export function counterDelta(before: bigint, after: bigint, opts: DeltaOptions = {}): CounterDelta {
  let result: CounterDelta;
  // A reboot between the samples: the count since boot is all we know, even if it is higher.
  if (opts.sameBoot === false) result = { delta: after, reset: true, wrapped: false };
  else if (after >= before) result = { delta: after - before, reset: false, wrapped: false };
  else if (opts.wrapBits === 32 && isU32(before) && isU32(after)) {
    const wrappedDelta = after + U32_SPAN - before;
    result =
      opts.sameBoot === true || wrappedDelta <= MAX_PLAUSIBLE_WRAP
        ? { delta: wrappedDelta, reset: false, wrapped: true }
        : { delta: after, reset: true, wrapped: false };
  } else result = { delta: after, reset: true, wrapped: false };
  if (result.delta < 0n) result.delta = 0n; // only reachable with negative inputs
  const interval = opts.intervalSec;
  if (interval !== undefined && Number.isFinite(interval) && interval > 0) {
    result.ratePerSec = Number(result.delta) / interval;
  }
  return result;
}

function isU32(v: bigint): boolean {
  return v >= 0n && v <= U32_MAX;
}

export interface MapDelta {
  deltas: Record<string, CounterDelta>;
  // Keys only in `after` (a queue appeared) and only in `before` (a queue went away).
  added: string[];
  removed: string[];
  resets: string[];
  wrapped: string[];
}

export function mapDelta(
  before: Record<string, bigint>,
  after: Record<string, bigint>,
  opts: DeltaOptions = {},
): MapDelta {
  const result: MapDelta = { deltas: {}, added: [], removed: [], resets: [], wrapped: [] };
  for (const [key, a] of Object.entries(after)) {
    const b = getOwn(before, key);
    if (b === undefined) {
      result.added.push(key);
      continue;
    }
    const d = counterDelta(b, a, opts);
    setOwn(result.deltas, key, d);
    if (d.reset) result.resets.push(key);
    if (d.wrapped) result.wrapped.push(key);
  }
  result.removed = Object.keys(before).filter((key) => !hasOwn(after, key));
  return result;
}
