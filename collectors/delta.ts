// Pure delta helpers, one import for callers: 64-bit counters and maps (ethtool -S, ip link,
// sysfs) in counter-delta.ts, per-CPU softnet_stat rows in softnet-delta.ts.
export type { CounterDelta, DeltaOptions, MapDelta } from './counter-delta.js';
export { counterDelta, mapDelta } from './counter-delta.js';
export type { SoftnetDelta, SoftnetRowDelta } from './softnet-delta.js';
export { softnetDelta } from './softnet-delta.js';
