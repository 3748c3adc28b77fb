import { asArray, asBoolean, asNumber, asObject, at, type JsonObject } from './json-access.js';
import type { JsonValue } from './lenient-json.js';

// One interval report of one direction, as one side measured it.
export interface IntervalPoint {
  // Epoch seconds: start.timestamp.timesecs (1 s resolution, the clock of the
  // host that wrote the report) plus the interval's start offset.
  timestamp: number;
  // Seconds since the test started.
  start: number;
  end: number;
  bytes: number;
  bitsPerSecond: number;
  // True for the -O warm-up intervals that iperf3 leaves out of the totals.
  omitted: boolean;
  // UDP: packets in the interval; lost packets and jitter on the receiving side.
  packets?: number;
  lostPackets?: number;
  jitterMs?: number;
  // TCP, sending side.
  retransmits?: number;
}

export type Direction = 'client-to-server' | 'server-to-client';

export interface SideIntervals {
  direction: Direction;
  side: 'sent' | 'received';
  points: IntervalPoint[];
}

function point(sum: JsonObject, t0: number): IntervalPoint | undefined {
  const start = asNumber(sum['start']);
  const end = asNumber(sum['end']);
  const bytes = asNumber(sum['bytes']);
  const bps = asNumber(sum['bits_per_second']);
  if (start === undefined || end === undefined || bytes === undefined || bps === undefined) return;
  const p: IntervalPoint = {
    timestamp: t0 + start,
    start,
    end,
    bytes,
    bitsPerSecond: bps,
    omitted: asBoolean(sum['omitted']) ?? false,
  };
  const packets = asNumber(sum['packets']);
  if (packets !== undefined) p.packets = packets;
  const lost = asNumber(sum['lost_packets']);
  if (lost !== undefined) p.lostPackets = lost;
  const jitter = asNumber(sum['jitter_ms']);
  if (jitter !== undefined) p.jitterMs = jitter;
  const retransmits = asNumber(sum['retransmits']);
  if (retransmits !== undefined) p.retransmits = retransmits;
  return p;
}

// The interval series of one iperf3 document. `sum` is the test's main
// direction (client to server, or server to client with -R) and
// `sum_bidir_reverse` the other one with --bidir; `sender` says which side of
// it this host was. `localSends` answers for documents without that flag.
export function readIntervals(
  doc: JsonValue | undefined,
  mainDirection: Direction,
  localSends: (d: Direction) => boolean | undefined,
  warn: (w: string) => void,
): SideIntervals[] {
  const t0 = asNumber(at(doc, 'start', 'timestamp', 'timesecs'));
  if (t0 === undefined && asArray(at(doc, 'intervals')).length > 0) {
    warn('no start.timestamp.timesecs: interval timestamps are relative to the test start');
  }
  const series = new Map<string, SideIntervals>();
  let skipped = 0;
  for (const interval of asArray(at(doc, 'intervals'))) {
    for (const key of ['sum', 'sum_bidir_reverse'] as const) {
      const sum = asObject(at(interval, key));
      if (!sum) continue;
      const direction: Direction = key === 'sum' ? mainDirection : 'server-to-client';
      const sends = asBoolean(sum['sender']) ?? localSends(direction);
      const p = point(sum, t0 ?? 0);
      if (sends === undefined || !p) {
        skipped++;
        continue;
      }
      const side = sends ? 'sent' : 'received';
      const id = `${direction}/${side}`;
      const s = series.get(id) ?? { direction, side, points: [] };
      s.points.push(p);
      series.set(id, s);
    }
  }
  if (skipped > 0) warn(`${skipped} interval reports were incomplete and skipped`);
  return [...series.values()];
}

// iperf3 ends a test with whatever is left of the last second: an interval
// of a few milliseconds (10.000 → 10.003 s) whose rate is that of a handful
// of packets. An interval shorter than half the usual one (the median length;
// -i may be 0.5 s or 2 s) is partial: left out of medians, percentiles and
// per-second figures (the totals, and so the loss, still count it). -O
// warm-up intervals are left out too, as iperf3 leaves them out of its totals.
export function countedIntervals(points: readonly IntervalPoint[]): IntervalPoint[] {
  const full = points.filter((p) => !p.omitted);
  const usual = median(full.map((p) => p.end - p.start)) ?? 0;
  return full.filter((p) => p.end - p.start >= usual / 2);
}

// The intervals countedIntervals() leaves out as partial.
export function partialIntervals(points: readonly IntervalPoint[]): IntervalPoint[] {
  const counted = new Set(countedIntervals(points));
  return points.filter((p) => !p.omitted && !counted.has(p));
}

// The middle value; the mean of the two middle ones for an even count.
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
