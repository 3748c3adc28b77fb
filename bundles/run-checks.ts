import type { Finding } from '../collectors/diagnosis/engine.js';
import { formatBitRate } from '../kit/bit-rate.js';
import { thousands } from '../kit/thousands.js';
import {
  countedIntervals,
  type IntervalPoint,
  partialIntervals,
} from '../repro/iperf3-intervals.js';
import type { PhaseResult } from './repro-results.js';
import type { HostSummary } from './summary.js';

// A run that checks itself: did the test do what its profile says? A
// sender that never reached the rate, loss that all fell in one second, a
// 3 ms tail interval, sources that could not be read: each changes how the
// evidence reads, and the summary says so plainly. Pure.

export type CheckLevel = 'problem' | 'note' | 'ok';

export interface RunCheck {
  id: 'rate' | 'sender-cpu' | 'loss-timing' | 'partial-interval' | 'not-collected';
  level: CheckLevel;
  phase?: string;
  message: string;
}

// Below this share of its target rate, the sender did not send what the
// profile says; at or above this CPU share (of one CPU, iperf3's own
// figure), its process was the limit.
export const RATE_SHARE = 0.9;
export const CPU_BOUND_PERCENT = 80;
// Loss is "front-loaded" (or bunched) when one interval holds at least this
// share of it, and there is enough of it to speak of.
export const BUNCHED_SHARE = 0.5;
export const BUNCHED_MIN = 100;

export function runChecks(
  phases: readonly PhaseResult[],
  hosts: readonly Pick<HostSummary, 'host' | 'notCollected'>[],
  findings: readonly Pick<Finding, 'class' | 'host' | 'unknown'>[] = [],
): RunCheck[] {
  const out: RunCheck[] = [];
  for (const p of phases) {
    const r = p.result;
    for (const d of r?.directions ?? []) {
      const tag = r && r.directions.length > 1 ? `${p.phase} ${d.direction}` : p.phase;
      const cpu = r?.[d.sender].cpuPercent;
      const streams = r?.numStreams ?? 1;
      const target =
        r?.targetBitsPerSecond && r.targetBitsPerSecond > 0
          ? r.targetBitsPerSecond * streams
          : undefined;
      const sent = d.senderBitsPerSecond;
      const cpuText = cpu === undefined ? '' : ` at ${cpu.toFixed(0)}% CPU (iperf3's own figure)`;
      if (target !== undefined && sent !== undefined) {
        const share = sent / target;
        if (share < RATE_SHARE) {
          const why =
            cpu !== undefined && cpu >= CPU_BOUND_PERCENT
              ? ': the sender was CPU-bound, so the traffic the profile describes never happened'
              : ': something before the receiver (the sender, its NIC or the path) limited it';
          out.push({
            id: 'rate',
            level: 'problem',
            phase: tag,
            message: `${tag}: the sender reached ${formatBitRate(sent)} of the profile's ${formatBitRate(target)} (${(share * 100).toFixed(0)}%)${cpuText}${why}.`,
          });
        } else
          out.push({
            id: 'rate',
            level: 'ok',
            phase: tag,
            message: `${tag}: the sender reached ${formatBitRate(sent)} of ${formatBitRate(target)} (${(share * 100).toFixed(0)}%)${cpuText}.`,
          });
      }
      if (
        cpu !== undefined &&
        cpu >= CPU_BOUND_PERCENT &&
        !(target && sent && sent < target * RATE_SHARE)
      )
        out.push({
          id: 'sender-cpu',
          level: 'note',
          phase: tag,
          message: `${tag}: the sending iperf3 used ${cpu.toFixed(0)}% of a CPU: close to its limit.`,
        });
      const timing = lossTiming(tag, d.received);
      if (timing) out.push(timing);
      const partial = partialIntervals(d.received.length ? d.received : d.sent);
      for (const x of partial)
        out.push({
          id: 'partial-interval',
          level: 'note',
          phase: tag,
          message: `${tag}: the interval ${x.start.toFixed(3)}–${x.end.toFixed(3)} s (${((x.end - x.start) * 1000).toFixed(0)} ms) is partial: left out of the median and the per-second figures (the totals count it).`,
        });
    }
  }
  for (const f of findings)
    if (f.unknown?.length)
      out.push({
        id: 'not-collected',
        level: 'problem',
        message: `${f.class} on ${f.host}: its fix depends on ${f.unknown.join(', ')}, which could not be read; the fix says how to read ${f.unknown.length === 1 ? 'it' : 'them'} first, and the bundle is partial.`,
      });
  for (const h of hosts)
    if (h.notCollected.length)
      out.push({
        id: 'not-collected',
        level: 'note',
        message: `${h.host}: ${h.notCollected.length} source(s) could not be read (${h.notCollected.map((c) => c.source).join(', ')}); see "Not collected" under the host.`,
      });
  return out;
}

// One interval holding most of the loss: the average rate hides it.
function lossTiming(tag: string, received: readonly IntervalPoint[]): RunCheck | undefined {
  const points = received.filter((x) => !x.omitted && x.lostPackets !== undefined);
  const total = points.reduce((s, x) => s + (x.lostPackets ?? 0), 0);
  if (total < BUNCHED_MIN || points.length < 3) return undefined;
  const worst = points.reduce((a, b) => ((b.lostPackets ?? 0) > (a.lostPackets ?? 0) ? b : a));
  const share = (worst.lostPackets ?? 0) / total;
  if (share < BUNCHED_SHARE) return undefined;
  const first = worst === points[0];
  const counted = countedIntervals(points).length || points.length;
  return {
    id: 'loss-timing',
    level: 'problem',
    phase: tag,
    message: `${tag}: ${(share * 100).toFixed(0)}% of the loss (${thousands(worst.lostPackets ?? 0)} of ${thousands(total)}) fell in ${first ? 'the first interval' : 'one interval'}, ${worst.start.toFixed(1)}–${worst.end.toFixed(1)} s; an average over the ${counted} intervals hides it.`,
  };
}
