import { parseU64 } from '../../collectors/counter.js';
import { type BundleFiles, jsonAt } from './bundle-files.js';
import { columnOf, eachCsvRecord, MAX_ROWS, readCsv } from './csv-rows.js';
import { arr, field, num, str } from './json-read.js';
import type { Point } from './rates.js';
import type { Nic } from './series-keys.js';

// One reproduction's time data, read from its files (a repro bundle's
// top, or a compare bundle's runs/<run>/): the sampled counters, the
// phases, the receivers' throughput and the drop reasons, all on the
// operator's clock (bundles/README.md, "Time series"). Pure.

export interface CounterSeries {
  host: string;
  role: string;
  key: string;
  samples: Array<[number, number | bigint]>;
}

export interface RunData {
  // '' or 'runs/<run>/'.
  prefix: string;
  hosts: Array<{ host: string; role: string }>;
  nics: Map<string, Nic[]>;
  phases: Array<{ name: string; fromMs: number; toMs: number }>;
  window?: { fromMs: number; toMs: number };
  counters: CounterSeries[];
  throughput: Array<{ host: string; role: string; direction: string; points: Point[] }>;
  reasons: Array<{ host: string; label: string; points: Point[] }>;
  // What could not be read, said under the charts.
  notes: string[];
}

// Bounds against a hostile file: more series than any real host samples.
const MAX_SERIES = 20_000;
// Zero points added to the drop reasons' series (an hour of 1 s intervals is
// 3,600 per reason).
const MAX_ZERO_POINTS = 1_000_000;

// A counter as the chart needs it: a number while exact (15 digits), a
// bigint above, so a u64 near its maximum still gives exact differences.
function counterValue(raw: string): number | bigint | undefined {
  return raw.length <= 15 && /^\d+$/.test(raw) ? Number(raw) : parseU64(raw);
}

function counters(text: Buffer | undefined, notes: string[]): CounterSeries[] {
  if (text === undefined) return [];
  // By host, then key: a file holds a few hosts and tens of keys each.
  const by = new Map<string, Map<string, CounterSeries>>();
  const all: CounterSeries[] = [];
  let cols: number[] | undefined;
  const truncated = eachCsvRecord(text, MAX_ROWS + 1, (r) => {
    if (!cols) {
      cols = ['t_ms', 'host', 'role', 'key', 'value'].map((c) => r.indexOf(c));
      return;
    }
    const [ti, hi, ri, ki, vi] = cols as [number, number, number, number, number];
    if (ti < 0 || hi < 0 || ki < 0 || vi < 0) return;
    const tMs = Number(r[ti]);
    const v = counterValue(r[vi] ?? '');
    if (!Number.isFinite(tMs) || v === undefined) return;
    const host = r[hi] ?? '';
    const key = r[ki] ?? '';
    let keys = by.get(host);
    if (!keys) {
      keys = new Map();
      by.set(host, keys);
    }
    let s = keys.get(key);
    if (!s) {
      if (all.length >= MAX_SERIES) return;
      s = { host, role: r[ri] ?? '', key, samples: [] };
      keys.set(key, s);
      all.push(s);
    }
    s.samples.push([tMs, v]);
  });
  if (cols && [0, 1, 3, 4].some((i) => cols![i]! < 0))
    notes.push('series.csv has no t_ms, host, key and value columns: not charted');
  if (truncated) notes.push('series.csv is longer than the report reads: its end is left out');
  for (const s of all) s.samples.sort((a, b) => a[0] - b[0]);
  return all;
}

// iperf3's receiving side, every phase and direction. As in the summary's
// medians, -O warm-up intervals are left out, and so is a partial interval
// (shorter than half the usual, like iperf3's last few milliseconds),
// whose rate over 2 ms would stand out as a spike that never was.
function throughput(text: Buffer | undefined): RunData['throughput'] {
  if (text === undefined) return [];
  const t = readCsv(text);
  const col = (n: string) => columnOf(t, n);
  const [ti, hi, ri, di, si, bi, oi, s0, s1] = [
    't_ms',
    'host',
    'role',
    'direction',
    'side',
    'bits_per_second',
    'omitted',
    'start_s',
    'end_s',
  ].map(col);
  const by = new Map<string, RunData['throughput'][number] & { lengths: number[] }>();
  for (const r of t.rows) {
    if (r[si!] !== 'received' || r[oi!] === '1') continue;
    const tMs = Number(r[ti!]);
    const bps = Number(r[bi!]);
    if (!Number.isFinite(tMs) || r[ti!] === '' || !Number.isFinite(bps) || r[bi!] === '') continue;
    const host = r[hi!] ?? '';
    const direction = r[di!] ?? '';
    const id = `${host}\u0000${direction}`;
    let s = by.get(id);
    if (!s) {
      if (by.size >= MAX_SERIES) continue;
      s = { host, role: r[ri!] ?? '', direction, points: [], lengths: [] };
      by.set(id, s);
    }
    s.points.push([tMs, bps]);
    s.lengths.push(Number(r[s1!]) - Number(r[s0!]));
  }
  return [...by.values()].map(({ lengths, points, ...s }) => {
    const finite = lengths.filter(Number.isFinite).sort((a, b) => a - b);
    const usual = finite[Math.floor(finite.length / 2)];
    const kept = points.filter((_, i) => usual === undefined || !(lengths[i]! < usual / 2));
    return { ...s, points: kept.sort((a, b) => a[0] - b[0]) };
  });
}

// kfree_skb counts per one-second interval, by reason and location; rows
// the tracer could not place on the time axis (empty t_ms) are left out.
// A reason's series has a point for every interval the tracer counted on its
// host: 0 where that reason dropped nothing (an interval with no drop at all
// is a row of count 0 with no location). Without the zeros a line would run
// straight across the quiet seconds between two bursts.
function reasons(texts: Buffer[], notes: string[]): RunData['reasons'] {
  const by = new Map<string, RunData['reasons'][number]>();
  const intervals = new Map<string, Set<number>>();
  let unplaced = 0;
  for (const text of texts) {
    const t = readCsv(text);
    const [ti, hi, rei, li, ci] = ['t_ms', 'host', 'reason', 'location', 'count'].map((c) =>
      columnOf(t, c),
    );
    for (const r of t.rows) {
      const tMs = Number(r[ti!]);
      const count = Number(r[ci!]);
      if (!Number.isFinite(count) || r[ci!] === '') continue;
      if (ti! < 0 || r[ti!] === '' || !Number.isFinite(tMs)) {
        unplaced++;
        continue;
      }
      const host = r[hi!] ?? '';
      const reason = r[rei!] ?? '';
      const location = r[li!] ?? '';
      const counted = intervals.get(host) ?? new Set<number>();
      intervals.set(host, counted);
      counted.add(tMs);
      if (!reason && !location && count === 0) continue;
      const label = `${reason || 'no reason'} at ${location || '?'}`;
      const id = `${host}\u0000${label}`;
      let s = by.get(id);
      if (!s) {
        if (by.size >= MAX_SERIES) continue;
        s = { host, label, points: [] };
        by.set(id, s);
      }
      s.points.push([tMs, count]);
    }
  }
  if (unplaced)
    notes.push(
      `The drop trace's ${unplaced} row(s) could not be placed on the time axis (see its meta.json's timeAxis): not charted.`,
    );
  // A bundle from elsewhere may hold any number of both: the zeros are bounded.
  const zeros = [...by.values()].reduce((n, s) => n + (intervals.get(s.host)?.size ?? 0), 0);
  const fill = zeros <= MAX_ZERO_POINTS;
  if (!fill)
    notes.push(
      `The drop trace has ${zeros} interval(s) across its reasons: the quiet ones are not charted as 0.`,
    );
  for (const s of by.values()) {
    if (fill) {
      const has = new Set(s.points.map((p) => p[0]));
      for (const t of intervals.get(s.host) ?? []) if (!has.has(t)) s.points.push([t, 0]);
    }
    s.points.sort((a, b) => a[0] - b[0]);
  }
  return [...by.values()];
}

function phases(files: BundleFiles, prefix: string) {
  const doc = jsonAt(files, `${prefix}repro/phases.json`);
  const list = arr(field(doc, 'phases')).flatMap((p) => {
    const fromMs = num(field(p, 'startMs'));
    const toMs = num(field(p, 'endMs'));
    return fromMs !== undefined && toMs !== undefined && toMs >= fromMs
      ? [{ name: str(field(p, 'phase')) ?? '', fromMs, toMs }]
      : [];
  });
  const traffic = field(doc, 'traffic');
  const fromMs = num(field(traffic, 'startMs'));
  const toMs = num(field(traffic, 'endMs'));
  return {
    list,
    ...(fromMs !== undefined && toMs !== undefined ? { window: { fromMs, toMs } } : {}),
  };
}

// Each host's interfaces (for the driver tables) and role, from the summary.
function hostsOf(files: BundleFiles, prefix: string, series: CounterSeries[]) {
  const summary = jsonAt(files, `${prefix}summary.json`);
  const nics = new Map<string, Nic[]>();
  for (const h of arr(field(summary, 'hosts'))) {
    const host = str(field(h, 'host'));
    if (host === undefined) continue;
    nics.set(
      host,
      arr(field(h, 'nics')).flatMap((n) => {
        const name = str(field(n, 'name'));
        const kind = str(field(n, 'kind'));
        const driver = str(field(n, 'driver'));
        return name === undefined
          ? []
          : [{ name, ...(kind ? { kind } : {}), ...(driver ? { driver } : {}) }];
      }),
    );
  }
  const repro = field(summary, 'repro');
  const roles = new Map<string, string>();
  for (const role of ['sender', 'receiver']) {
    const host = str(field(repro, role));
    if (host !== undefined) roles.set(host, role);
  }
  for (const s of series) if (!roles.has(s.host)) roles.set(s.host, s.role);
  return { nics, hosts: [...roles].map(([host, role]) => ({ host, role })) };
}

export function runData(files: BundleFiles, prefix: string): RunData {
  const notes: string[] = [];
  const series = counters(files.get(`${prefix}repro/series.csv`), notes);
  const traces = [...files.keys()]
    .filter((p) => p.startsWith(`${prefix}repro/trace/`) && p.endsWith('-kfree_skb.csv'))
    .filter((p) => !p.slice(`${prefix}repro/trace/`.length).includes('/'))
    .map((p) => files.get(p)!);
  const ph = phases(files, prefix);
  const { nics, hosts } = hostsOf(files, prefix, series);
  return {
    prefix,
    hosts,
    nics,
    phases: ph.list,
    ...(ph.window ? { window: ph.window } : {}),
    counters: series,
    throughput: throughput(files.get(`${prefix}repro/iperf3/intervals.csv`)),
    reasons: reasons(traces, notes),
    notes,
  };
}
