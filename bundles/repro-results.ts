import type { Finding } from '../collectors/diagnosis/findings.js';
import { fmtRate } from '../kit/progress.js';
import { thousands } from '../kit/thousands.js';
import type { Iperf3Result } from '../repro/iperf3-result.js';
import type { Movement } from '../repro/run/series.js';

// The reproduction's part of summary.md: the traffic results, and what moved
// where and when. Pure.

export interface PhaseResult {
  phase: string;
  result?: Iperf3Result;
  error?: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');

export function resultsSection(phases: PhaseResult[]): string[] {
  const out = ['', '## Traffic results', ''];
  if (!phases.length) return [...out, 'No traffic ran (see the steps in repro/run.json).'];
  out.push(
    '| phase | direction | protocol | median | sender | receiver | UDP loss | TCP retransmits | per-second receiver throughput |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const p of phases) {
    const r = p.result;
    if (!r?.directions.length) {
      out.push(
        `| ${p.phase} | - | - | - | - | - | - | - | ${p.error ?? r?.error ?? 'no result'} |`,
      );
      continue;
    }
    for (const d of r.directions) {
      const per = (d.received.length ? d.received : d.sent)
        .filter((x) => !x.omitted)
        .map((x) => fmtRate(x.bitsPerSecond).replace(' ', ''));
      out.push(
        `| ${p.phase} | ${d.direction} | ${(r.protocol ?? '?').toUpperCase()} | ${fmtRate(d.medianBitsPerSecond)} | ${fmtRate(d.senderBitsPerSecond)} | ${fmtRate(d.receiverBitsPerSecond)} | ${d.udp ? `${d.udp.lostPercent.toFixed(2)}% (${thousands(d.udp.lostPackets)} of ${thousands(d.udp.packets)})` : '-'} | ${d.retransmits ?? '-'} | ${per.join(' ')} |`,
      );
    }
    if (r.error) out.push('', `iperf3 reported: ${r.error}`);
  }
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
  out.push('| host | counter | delta | peak rate | moved between |', '|---|---|---|---|---|');
  for (const m of interesting.sort((a, b) => (b.delta > a.delta ? 1 : -1)).slice(0, 30)) {
    out.push(
      `| ${m.host} (${roles.get(m.host) ?? '?'}) | ${m.key} | ${thousands(m.delta)} | ${thousands(Math.round(m.peakRatePerSec))}/s | ${iso(m.from)} → ${iso(m.to)} |`,
    );
  }
  return out;
}

export function noFindingNote(findings: Finding[]): string[] {
  return findings.length ? [] : ['', 'Traffic ran and no loss counter moved on either host.'];
}
