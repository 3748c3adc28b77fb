import { formatBitRate } from '../kit/bit-rate.js';
import { thousands } from '../kit/thousands.js';
import { countedIntervals } from '../repro/iperf3-intervals.js';
import type { Iperf3Result } from '../repro/iperf3-result.js';
import type { Movement } from '../repro/run/series.js';
import { mdTable } from './md-table.js';

// The reproduction's part of summary.md: the traffic results, and what moved
// where and when. Pure.

export interface PhaseResult {
  phase: string;
  result?: Iperf3Result;
  error?: string;
}

export function resultsSection(phases: PhaseResult[]): string[] {
  const out = ['', '## Traffic results', ''];
  if (!phases.length) return [...out, 'No traffic ran (see the steps in repro/run.json).'];
  const rows: string[][] = [];
  for (const p of phases) {
    const r = p.result;
    if (!r?.directions.length) {
      rows.push([p.phase, '-', '-', '-', '-', '-', '-', '-', p.error ?? r?.error ?? 'no result']);
      continue;
    }
    for (const d of r.directions) {
      // Whole intervals only: a 3 ms tail is noted under "Checks on the run".
      const per = countedIntervals(d.received.length ? d.received : d.sent).map((x) =>
        formatBitRate(x.bitsPerSecond).replace(' ', ''),
      );
      rows.push([
        p.phase,
        d.direction,
        (r.protocol ?? '?').toUpperCase(),
        formatBitRate(d.medianBitsPerSecond),
        formatBitRate(d.senderBitsPerSecond),
        formatBitRate(d.receiverBitsPerSecond),
        d.udp
          ? `${d.udp.lostPercent.toFixed(2)}% (${thousands(d.udp.lostPackets)} of ${thousands(d.udp.packets)})`
          : '-',
        String(d.retransmits ?? '-'),
        per.join(' '),
      ]);
    }
  }
  out.push(
    ...mdTable(
      [
        'phase',
        'direction',
        'protocol',
        'median',
        'sender',
        'receiver',
        'UDP loss',
        'TCP retransmits',
        'per-second receiver throughput',
      ],
      rows,
    ),
  );
  for (const p of phases)
    if (p.result?.directions.length && p.result.error)
      out.push('', `iperf3 reported (${p.phase}): ${p.result.error}`);
  return out;
}

export function movedSection(moved: Movement[], roles: Map<string, string>): string[] {
  const out = ['', '## Counters that moved during the run', ''];
  const interesting = moved.filter(
    (m) =>
      !/\.(processed|rx_bytes|tx_bytes|rx_packets|tx_packets|multicast)$/.test(m.key) &&
      !/_(bytes|packets)$/.test(m.key),
  );
  if (!interesting.length) return [...out, 'No loss counter moved in the sampled series.'];
  // UTC in ISO 8601, like every other time in the summary.
  const at = (ms: number) => new Date(ms).toISOString();
  const sorted = interesting.sort((a, b) => (b.delta > a.delta ? 1 : -1));
  const rows = sorted
    .slice(0, SHOWN_MOVED)
    .map((m) => [
      `${m.host} (${roles.get(m.host) ?? '?'})`,
      m.key,
      thousands(m.delta),
      `${thousands(Math.round(m.peakRatePerSec))}/s`,
      `${at(m.from)} → ${at(m.to)}`,
    ]);
  out.push(...mdTable(['host', 'counter', 'delta', 'peak rate', 'moved between'], rows));
  // On a node with pods, many veths' counters move by one or two: the rest
  // is said, not dropped in silence.
  const rest = sorted.slice(SHOWN_MOVED);
  if (rest.length)
    out.push(
      '',
      `And ${thousands(BigInt(rest.length))} more counters moved, each by at most ${thousands(rest[0]!.delta)}: every one is in \`repro/series.csv\`.`,
    );
  return out;
}

// Rows of the table, biggest delta first.
const SHOWN_MOVED = 30;
