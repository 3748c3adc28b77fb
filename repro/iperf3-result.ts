import { type ParseResult, WarningList } from '../collectors/parse-result.js';
import {
  countedIntervals,
  type Direction,
  type IntervalPoint,
  median,
  readIntervals,
  type SideIntervals,
} from './iperf3-intervals.js';
import { firstSeen, totalKeys, type UdpTotals, udpTotals } from './iperf3-totals.js';
import { asBoolean, asNumber, asObject, asString, at, type JsonObject } from './json-access.js';
import { type JsonValue, parseLenientJson } from './lenient-json.js';

export type { Direction, IntervalPoint } from './iperf3-intervals.js';
export type { UdpTotals } from './iperf3-totals.js';

export interface DirectionResult {
  direction: Direction;
  sender: 'client' | 'server';
  // The sender's and the receiver's interval reports. The receiver's come from
  // the server's JSON for a normal client run (--get-server-output).
  sent: IntervalPoint[];
  received: IntervalPoint[];
  // Of the receiver's intervals when there are any, else the sender's; -O
  // warm-up and partial intervals left out (countedIntervals).
  medianBitsPerSecond: number | undefined;
  senderBitsPerSecond: number | undefined;
  receiverBitsPerSecond: number | undefined;
  bytesSent: number | undefined;
  bytesReceived: number | undefined;
  udp: UdpTotals | undefined;
  // TCP: segments the sender retransmitted.
  retransmits: number | undefined;
}

export interface Iperf3Result {
  // Which side wrote the document: the client has start.connecting_to.
  role: 'client' | 'server' | 'unknown';
  version: string | undefined;
  protocol: 'udp' | 'tcp' | undefined;
  numStreams: number | undefined;
  durationS: number | undefined;
  targetBitsPerSecond: number | undefined;
  reverse: boolean;
  bidir: boolean;
  // Epoch seconds when the test started, on this document's host.
  startedAt: number | undefined;
  // The main direction first; a --bidir run has both.
  directions: DirectionResult[];
  // iperf3's own "error": "unable to connect to server: ...", "the server is
  // busy running a test. try again later", "interrupt - the client has terminated".
  error: string | undefined;
  serverError: string | undefined;
  // The JSON was whole, it has end totals and no error.
  complete: boolean;
  // Each side's own view of itself, when its document says.
  client: SideFacts;
  server: SideFacts;
}

export interface SideFacts {
  // end.cpu_utilization_percent: the iperf3 process's CPU time over the
  // test's wall time (user + system), in percent of one CPU.
  cpuPercent?: number;
  // start.rcvbuf_actual / sndbuf_actual: the socket buffers the kernel gave
  // (twice the size asked for with -w, or the rmem/wmem default without it).
  rcvbufBytes?: number;
  sndbufBytes?: number;
  // start.sock_bufsize: what -w asked for; 0 when nothing was asked.
  askedBytes?: number;
}

function roleOf(doc: JsonValue | undefined): Iperf3Result['role'] {
  if (at(doc, 'start', 'connecting_to') !== undefined) return 'client';
  if (at(doc, 'start', 'accepted_connection') !== undefined) return 'server';
  if (at(doc, 'server_output_json') !== undefined) return 'client';
  return 'unknown';
}

function emptyResult(): Iperf3Result {
  return {
    role: 'unknown',
    version: undefined,
    protocol: undefined,
    numStreams: undefined,
    durationS: undefined,
    targetBitsPerSecond: undefined,
    reverse: false,
    bidir: false,
    startedAt: undefined,
    directions: [],
    error: undefined,
    serverError: undefined,
    complete: false,
    client: {},
    server: {},
  };
}

// Reads a client's `-J --get-server-output` document, or a server's `-J`
// document. `peerText` is the other side's JSON when it was captured apart
// (a server's file next to a client without --get-server-output). Never
// throws: a cut or garbled document gives what it held, plus warnings.
export function parseIperf3Result(text: string, peerText?: string): ParseResult<Iperf3Result> {
  const warnings = new WarningList();
  const result = emptyResult();
  const parsed = parseLenientJson(text);
  if (parsed.problem) warnings.add(`iperf3 JSON: ${parsed.problem}`);
  const doc = asObject(parsed.value);
  if (!doc) {
    warnings.add('no iperf3 JSON object in the output');
    return { value: result, warnings: warnings.done() };
  }
  result.role = roleOf(doc);
  let peer: JsonValue | undefined = doc['server_output_json'];
  let peerComplete = true;
  if (peer === undefined && peerText !== undefined) {
    const p = parseLenientJson(peerText);
    if (p.problem) warnings.add(`peer iperf3 JSON: ${p.problem}`);
    peer = p.value;
    peerComplete = p.complete;
  }

  readHeader(result, doc, peer);
  readSides(result, doc, peer);

  const main: Direction = result.reverse ? 'server-to-client' : 'client-to-server';
  // Which side sends in direction d, for documents without `sender` flags.
  const sendsIn = (role: Iperf3Result['role']) => (d: Direction) =>
    role === 'unknown' ? undefined : (role === 'client') === (d === 'client-to-server');
  const peerRole =
    result.role === 'client' ? 'server' : result.role === 'server' ? 'client' : 'unknown';
  const series: SideIntervals[] = [
    ...readIntervals(doc, main, sendsIn(result.role), (w) => warnings.add(w)),
    ...readIntervals(peer, main, sendsIn(peerRole), (w) => warnings.add(`server output: ${w}`)),
  ];
  result.bidir =
    series.some((s) => s.direction !== main) ||
    at(doc, 'end', 'sum_sent_bidir_reverse') !== undefined;

  // The client's totals first: after the results exchange it holds both
  // sides; the server's document only its own half.
  const docs = result.role === 'server' ? [peer, doc] : [doc, peer];
  const directions: Direction[] = result.bidir ? ['client-to-server', 'server-to-client'] : [main];
  for (const direction of directions) {
    const totals = directionTotals(result, docs, series, direction, main);
    if (totals) result.directions.push(totals);
  }

  const hasTotals = result.directions.some((d) => d.bytesSent !== undefined);
  if (!hasTotals && !result.error) warnings.add('no end totals: the run was cut short');
  if (result.protocol === undefined && !result.error) warnings.add('no test_start.protocol');
  result.complete = parsed.complete && peerComplete && hasTotals && !result.error;
  return { value: result, warnings: warnings.done() };
}

// The run's parameters, from whichever document has them.
function readHeader(result: Iperf3Result, doc: JsonObject, peer: JsonValue | undefined): void {
  const testStart = at(doc, 'start', 'test_start') ?? at(peer, 'start', 'test_start');
  const protocol = asString(at(testStart, 'protocol'))?.toLowerCase();
  result.protocol = protocol === 'udp' || protocol === 'tcp' ? protocol : undefined;
  result.version = asString(at(doc, 'start', 'version'));
  result.numStreams = asNumber(at(testStart, 'num_streams'));
  result.durationS = asNumber(at(testStart, 'duration'));
  result.targetBitsPerSecond =
    asNumber(at(testStart, 'target_bitrate')) ?? asNumber(at(doc, 'start', 'target_bitrate'));
  result.reverse = asBoolean(at(testStart, 'reverse')) ?? false;
  result.startedAt = asNumber(at(doc, 'start', 'timestamp', 'timesecs'));
  result.error = asString(doc['error']);
  result.serverError = asString(at(peer, 'error'));
}

// CPU and socket buffers, each from the side that measured it: a client's
// document has its own figures (host_*) and the server's CPU (remote_*); the
// server's document, its own. A side's own document wins over the peer's report.
function readSides(result: Iperf3Result, doc: JsonObject, peer: JsonValue | undefined): void {
  const self = result.role === 'server' ? 'server' : 'client';
  const other = self === 'client' ? 'server' : 'client';
  const docs: Array<[JsonValue | undefined, 'client' | 'server']> =
    result.role === 'unknown'
      ? []
      : [
          [doc, self],
          [peer, other],
        ];
  for (const [d, side] of docs) {
    const facts = result[side];
    const cpu = asNumber(at(d, 'end', 'cpu_utilization_percent', 'host_total'));
    if (cpu !== undefined) facts.cpuPercent = cpu;
    const rcv = asNumber(at(d, 'start', 'rcvbuf_actual'));
    if (rcv !== undefined && rcv > 0) facts.rcvbufBytes = rcv;
    const snd = asNumber(at(d, 'start', 'sndbuf_actual'));
    if (snd !== undefined && snd > 0) facts.sndbufBytes = snd;
    const asked = asNumber(at(d, 'start', 'sock_bufsize'));
    if (asked !== undefined && asked >= 0) facts.askedBytes = asked;
  }
  const remote = asNumber(at(doc, 'end', 'cpu_utilization_percent', 'remote_total'));
  if (result.role !== 'unknown' && result[other].cpuPercent === undefined && remote)
    result[other].cpuPercent = remote;
}

// One direction's totals and interval points; undefined when an error came
// before any traffic (refused, busy) and left nothing to report.
function directionTotals(
  result: Iperf3Result,
  docs: Array<JsonValue | undefined>,
  series: SideIntervals[],
  direction: Direction,
  main: Direction,
): Iperf3Result['directions'][number] | undefined {
  const [sentKey, receivedKey, sumKey] = totalKeys(result.bidir && direction !== main);
  const sent = firstSeen(docs, sentKey);
  const received = firstSeen(docs, receivedKey);
  const pick = (side: 'sent' | 'received') =>
    series.filter((s) => s.direction === direction && s.side === side).flatMap((s) => s.points);
  const sentPoints = pick('sent');
  const receivedPoints = pick('received');
  // An error before any traffic (refused, busy) leaves nothing to report.
  if (!sent && !received && sentPoints.length + receivedPoints.length === 0) return undefined;
  const basis = countedIntervals(receivedPoints.length > 0 ? receivedPoints : sentPoints);
  return {
    direction,
    sender: direction === 'client-to-server' ? 'client' : 'server',
    sent: sentPoints,
    received: receivedPoints,
    medianBitsPerSecond: median(basis.map((p) => p.bitsPerSecond)),
    senderBitsPerSecond: asNumber(sent?.['bits_per_second']),
    receiverBitsPerSecond: asNumber(received?.['bits_per_second']),
    bytesSent: asNumber(sent?.['bytes']),
    bytesReceived: asNumber(received?.['bytes']),
    udp:
      result.protocol === 'udp'
        ? (udpTotals(received) ?? udpTotals(firstSeen(docs, sumKey)))
        : undefined,
    retransmits: result.protocol === 'tcp' ? asNumber(sent?.['retransmits']) : undefined,
  };
}
