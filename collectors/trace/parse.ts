import { csvLine } from '../../kit/csv.js';
// Incremental parser of the tracer's stream. Pure.

export interface TraceEntry {
  reason: string | null;
  location: string;
  count: number;
}

export interface TraceInterval {
  // Host uptime seconds at the end of the interval (trace clock).
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
}

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

export function traceCsv(host: string, st: TraceStream): string {
  const lines = ['uptime_s,host,reason,location,count'];
  for (const i of st.intervals)
    for (const e of i.entries)
      lines.push(csvLine([i.uptime, host, e.reason ?? '', e.location, e.count]));
  return `${lines.join('\n')}\n`;
}
