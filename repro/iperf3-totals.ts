import { asNumber, asObject, at, type JsonObject } from './json-access.js';
import type { JsonValue } from './lenient-json.js';

// The end totals of an iperf3 document, per direction.

export interface UdpTotals {
  // As the receiver counted them: packets it expected (highest sequence seen),
  // the gaps among them, and RFC 1889 jitter.
  packets: number;
  lostPackets: number;
  lostPercent: number;
  jitterMs: number | undefined;
}

// End totals: `sum_sent`/`sum_received`/`sum` describe the main direction
// (server to client with -R); with --bidir the other one has `*_bidir_reverse`.
export function totalKeys(bidirReverse: boolean): [sent: string, received: string, sum: string] {
  const suffix = bidirReverse ? '_bidir_reverse' : '';
  return [`sum_sent${suffix}`, `sum_received${suffix}`, `sum${suffix}`];
}

// A total counts only when it saw traffic: each side fills in the half it
// measured and leaves zeros in the other (the server's sum_sent of a normal
// run, the client's sum_received after a SIGTERM).
function seen(o: JsonObject | undefined): JsonObject | undefined {
  return o && ((asNumber(o['bytes']) ?? 0) > 0 || (asNumber(o['packets']) ?? 0) > 0)
    ? o
    : undefined;
}

export function firstSeen(docs: (JsonValue | undefined)[], key: string): JsonObject | undefined {
  for (const d of docs) {
    const o = seen(asObject(at(d, 'end', key)));
    if (o) return o;
  }
  return undefined;
}

export function udpTotals(o: JsonObject | undefined): UdpTotals | undefined {
  const packets = asNumber(o?.['packets']);
  const lost = asNumber(o?.['lost_packets']);
  if (!o || packets === undefined || lost === undefined) return undefined;
  return {
    packets,
    lostPackets: lost,
    lostPercent: asNumber(o['lost_percent']) ?? (packets > 0 ? (100 * lost) / packets : 0),
    jitterMs: asNumber(o['jitter_ms']),
  };
}
