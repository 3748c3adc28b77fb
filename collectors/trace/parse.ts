import { csvLine } from '../../kit/csv.js';
import { isoTime } from '../../kit/iso-time.js';
import { type ClockReference, parseClockReference, traceClockName } from './clock.js';

// Incremental parser of the tracer's stream. Pure.

export interface TraceEntry {
  reason: string | null;
  location: string;
  count: number;
}

export interface TraceInterval {
  // Trace-clock seconds at the end of the interval (tracefs trace_clock:
  // `local`, seconds since boot, unless the host says otherwise).
  uptime: number;
  entries: TraceEntry[];
}

export interface TraceStream {
  buffer: string;
  inFormat: boolean;
  format: string[];
  pending: TraceEntry[];
  intervals: TraceInterval[];
  overruns?: number;
  unavailable?: string;
  // The instance's trace clock, and the wall clock read between trace
  // markers at the start and the end (clock.ts).
  clock?: string;
  clockRefs?: ClockReference[];
}

// The tracer writes two references; a host printing more is not believed.
const MAX_CLOCK_REFS = 8;

export function newTraceStream(): TraceStream {
  return { buffer: '', inFormat: false, format: [], pending: [], intervals: [] };
}

export function feedTrace(st: TraceStream, chunk: string): void {
  st.buffer += chunk;
  let nl = st.buffer.indexOf('\n');
  while (nl >= 0) {
    const line = st.buffer.slice(0, nl);
    st.buffer = st.buffer.slice(nl + 1);
    nl = st.buffer.indexOf('\n');
    if (line === 'F<') st.inFormat = true;
    else if (line === 'F>') st.inFormat = false;
    else if (st.inFormat) st.format.push(line);
    else if (line.startsWith('I ')) {
      const [, count, reason, location] = line.split(' ');
      const n = Number(count);
      if (Number.isFinite(n) && location)
        st.pending.push({ count: n, reason: reason && reason !== '-' ? reason : null, location });
    } else if (line.startsWith('T ')) {
      st.intervals.push({ uptime: Number(line.slice(2)), entries: st.pending });
      st.pending = [];
    } else if (line.startsWith('R ')) {
      const r = parseClockReference(line.slice(2));
      st.clockRefs ??= [];
      if (r && st.clockRefs.length < MAX_CLOCK_REFS) st.clockRefs.push(r);
    } else if (line.startsWith('K ')) {
      const clock = traceClockName(line.slice(2));
      if (clock) st.clock = clock;
    } else if (line.startsWith('O ')) st.overruns = Number(line.slice(2));
    else if (line.startsWith('Q ')) st.unavailable = line.slice(2);
  }
}

// Totals over the run, by reason and location.
export function traceTotals(st: TraceStream): TraceEntry[] {
  const m = new Map<string, TraceEntry>();
  for (const i of st.intervals) {
    for (const e of i.entries) {
      const k = `${e.reason ?? '-'} ${e.location}`;
      const t = m.get(k) ?? { reason: e.reason, location: e.location, count: 0 };
      t.count += e.count;
      m.set(k, t);
    }
  }
  return [...m.values()].sort((a, b) => b.count - a.count);
}

export function kernelHasReasons(st: TraceStream): boolean {
  return st.format.some((l) => /\breason\b/.test(l));
}

// One row per reason and location per interval. With `toMs` (a reproduction:
// trace clock to the operator's), each row starts with the interval's end on
// the series' time axis, t_ms and ISO time, empty where it cannot be placed.
// An interval with no drop has one row too, count 0 and no reason or
// location: the tracer counted that second and nothing was dropped, which a
// missing row would not tell from a tracer that was not running.
export function traceCsv(
  host: string,
  st: TraceStream,
  toMs?: (traceS: number) => number | undefined,
): string {
  const lines = [`${toMs ? 't_ms,time,' : ''}uptime_s,host,reason,location,count`];
  for (const i of st.intervals) {
    const t = toMs?.(i.uptime);
    const time = !toMs ? [] : t === undefined ? ['', ''] : [t.toFixed(3), isoTime(t)];
    for (const e of i.entries)
      lines.push(csvLine([...time, i.uptime, host, e.reason ?? '', e.location, e.count]));
    if (!i.entries.length) lines.push(csvLine([...time, i.uptime, host, '', '', 0]));
  }
  return `${lines.join('\n')}\n`;
}
