import { csvLine } from '../kit/csv.js';
import { isoTime } from '../kit/iso-time.js';
import { iperf3Start, secondsFromStart, type TestStart } from '../repro/iperf3-clock.js';
import type { IntervalPoint } from '../repro/iperf3-intervals.js';
import { type DirectionResult, parseIperf3Result } from '../repro/iperf3-result.js';
import type { HostRun, RunRecord } from '../repro/run/run.js';
import { hostClock } from '../repro/run/series.js';
import type { PhaseRun } from '../repro/run/traffic.js';
import { type BundleEntry, jsonEntry } from './entries.js';
import { labelOf } from './repro-label.js';

// When things ran, on the series' time axis (the operator's clock):
// repro/phases.json (each phase, when iperf3's traffic flowed in it, and the
// run's steps) and repro/iperf3/intervals.csv (iperf3's per-interval reports
// of both ends, placed on that clock). Pure.

// A stretch of the axis, as a chart (ms since the epoch, to the microsecond)
// and a reader (ISO-8601 UTC) each want it.
function span(from: number, to: number) {
  const ms = (t: number) => Math.round(t * 1000) / 1000;
  return { startMs: ms(from), endMs: ms(to), start: isoTime(from), end: isoTime(to) };
}

// Who wrote a report: the client runs on the sender, the server on the receiver.
type Reporter = 'client' | 'server';

interface PhaseTimeline {
  run: PhaseRun;
  directions: DirectionResult[];
  start: TestStart | undefined;
  lengthS: number;
}

function reporterOf(d: DirectionResult, side: 'sent' | 'received'): Reporter {
  return (side === 'sent') === (d.sender === 'client') ? 'client' : 'server';
}

function hostOf(rec: RunRecord, r: Reporter): HostRun {
  return r === 'client' ? rec.hosts[0] : rec.hosts[1];
}

// Every report of a phase with who wrote it.
function reports(directions: readonly DirectionResult[]) {
  return directions.flatMap((d) =>
    (['sent', 'received'] as const).map((side) => ({
      d,
      side,
      reporter: reporterOf(d, side),
      points: d[side],
    })),
  );
}

function phaseTimeline(rec: RunRecord, run: PhaseRun): PhaseTimeline {
  const directions = parseIperf3Result(run.clientJson, run.serverJson).value.directions;
  const all = reports(directions);
  const lengthS = all
    .flatMap((r) => secondsFromStart(r.points))
    .reduce((a, b) => Math.max(a, b), 0);
  // Each report's point carries its document's timesecs plus its start.
  const stamps = all.flatMap(({ reporter, points }) => {
    const p = points[0];
    return p ? [{ timesecs: p.timestamp - p.start, ...hostClock(hostOf(rec, reporter)) }] : [];
  });
  const start = lengthS
    ? iperf3Start({
        after: run.clientStartedAt ?? run.startedAt,
        before: run.clientEndedAt ?? run.endedAt,
        lengthS,
        stamps,
      })
    : undefined;
  return { run, directions, start, lengthS };
}

function phasesJson(rec: RunRecord, timelines: readonly PhaseTimeline[]) {
  const first = rec.phases[0];
  const last = rec.phases.at(-1);
  return {
    timeAxis:
      'operator clock, as series.csv: *Ms fields are milliseconds since the epoch, the others ISO-8601 UTC',
    // As summary.json's accounting window: the first phase's start to the last one's end.
    traffic: first && last ? span(first.startedAt, last.endedAt) : null,
    phases: timelines.map(({ run, start, lengthS }) => {
      const p = rec.profile.phases.find((x) => x.name === run.phase);
      return {
        phase: run.phase,
        protocol: p?.protocol ?? null,
        // The client runs on the sender: client-to-server is sender to receiver.
        directions: !p
          ? []
          : p.bidir
            ? ['client-to-server', 'server-to-client']
            : [p.reverse ? 'server-to-client' : 'client-to-server'],
        durationS: p?.duration ?? null,
        // dropkit's phase: the iperf3 server started, to both ends done.
        ...span(run.startedAt, run.endedAt),
        // iperf3's own test, from its reports: when the traffic flowed.
        iperf3: start
          ? {
              ...span(start.t0Ms, start.t0Ms + lengthS * 1000),
              errorMs: Math.round(start.errorMs),
              basis: start.basis,
            }
          : null,
      };
    }),
    steps: rec.steps.map((s) => {
      const from = Date.parse(s.startedAt);
      return {
        step: s.step,
        ...span(from, from + s.ms),
        ok: s.ok,
        ...(s.error ? { error: s.error } : {}),
      };
    }),
  };
}

const INTERVAL_COLUMNS =
  't_ms,time,phase,host,role,direction,side,start_s,end_s,bits_per_second,bytes,packets,lost_packets,jitter_ms,retransmits,omitted';

function intervalRow(
  tMs: number | undefined,
  phase: string,
  host: HostRun,
  r: { d: DirectionResult; side: 'sent' | 'received' },
  p: IntervalPoint,
): string {
  const opt = (v: number | undefined) => (v === undefined ? '' : v);
  return csvLine([
    tMs === undefined ? '' : tMs.toFixed(3),
    tMs === undefined ? '' : isoTime(tMs),
    phase,
    labelOf(host),
    host.role,
    r.d.direction,
    r.side,
    p.start,
    p.end,
    Math.round(p.bitsPerSecond),
    p.bytes,
    opt(p.packets),
    opt(p.lostPackets),
    opt(p.jitterMs),
    opt(p.retransmits),
    p.omitted ? 1 : 0,
  ]);
}

// One row per interval report, of both ends, every phase: t_ms is the
// interval's end on the operator's clock (empty when the phase could not be
// placed).
function intervalsCsv(rec: RunRecord, timelines: readonly PhaseTimeline[]): string {
  const lines = [INTERVAL_COLUMNS];
  for (const { run, directions, start } of timelines)
    for (const r of reports(directions)) {
      const secs = secondsFromStart(r.points);
      r.points.forEach((p, i) => {
        const t = start ? start.t0Ms + secs[i]! * 1000 : undefined;
        lines.push(intervalRow(t, run.phase, hostOf(rec, r.reporter), r, p));
      });
    }
  return `${lines.join('\n')}\n`;
}

export function timelineFiles(rec: RunRecord): BundleEntry[] {
  const timelines = rec.phases.map((run) => phaseTimeline(rec, run));
  return [
    jsonEntry('repro/phases.json', phasesJson(rec, timelines)),
    ...(rec.phases.length
      ? [{ path: 'repro/iperf3/intervals.csv', bytes: Buffer.from(intervalsCsv(rec, timelines)) }]
      : []),
  ];
}
