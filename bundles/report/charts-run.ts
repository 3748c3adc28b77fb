import { alignTime, type ChartSpec, maxValue, type SeriesSpec } from './chart-spec.js';
import { downsample, moved, type Point, ratePoints, rounded } from './rates.js';
import type { CounterSeries, RunData } from './run-data.js';
import { isLossKey, keyLabel, parseSeriesKey } from './series-keys.js';

// The time charts of one reproduction: drops per second by host and
// counter with the phases as bands, the receivers' throughput, the drop
// reasons, and a per-CPU heatmap of softnet dropped and time_squeeze per
// host. Pure.

// Points per series a chart draws at most (downsample keeps the peaks).
export const MAX_POINTS = 1500;

const idOf = (c: { host: string; key: string }) => `${c.host}\u0000${c.key}`;

// The loss counters that moved during the run, as host and key.
export function movedLossKeys(d: RunData): Set<string> {
  const out = new Set<string>();
  for (const c of d.counters) {
    const k = parseSeriesKey(c.key, d.nics.get(c.host) ?? []);
    if (isLossKey(k, d.nics.get(c.host) ?? []) && moved(rates(c))) out.add(idOf(c));
  }
  return out;
}

function rates(c: CounterSeries): Point[] {
  return ratePoints(c.samples, c.key.startsWith('softnet.'));
}

function roleOf(d: RunData, host: string): string {
  return d.hosts.find((h) => h.host === host)?.role ?? '';
}

const who = (host: string, role: string) => (role ? `${host} (${role})` : host);

// Receiver first: that is where a burst's drops are.
function hostOrder(d: RunData, host: string): number {
  const i = d.hosts.findIndex((h) => h.host === host);
  const r = roleOf(d, host);
  return (r === 'receiver' ? 0 : r === 'sender' ? 1 : 2) * 10_000 + (i < 0 ? 9_999 : i);
}

function timeChart(
  base: Omit<ChartSpec, 'x' | 'series' | 'kind'>,
  series: Array<Omit<SeriesSpec, 'values'> & { points: Point[] }>,
  d: RunData,
): ChartSpec {
  const cut = series.map((s) => downsample(s.points, MAX_POINTS));
  const a = alignTime(cut);
  return {
    ...base,
    kind: 'time',
    x0Ms: a.x0Ms,
    x: a.x,
    series: series.map(({ points: _, ...s }, i) => ({
      ...s,
      values: a.values[i]!.map(rounded),
    })),
    bands: d.phases.map((p) => ({ label: p.name, from: p.fromMs - a.x0Ms, to: p.toMs - a.x0Ms })),
  };
}

// A loss counter another run saw move but this one's series.csv lacks: the
// sampler records interface counters only once they move, so it stayed put.
// Drawn at zero on the host's sample times, so every variant shows it.
function flatCounters(d: RunData, lossKeys: ReadonlySet<string>): CounterSeries[] {
  const present = new Set(d.counters.map(idOf));
  return [...lossKeys].flatMap((id) => {
    if (present.has(id)) return [];
    const [host = '', key = ''] = id.split('\u0000');
    const times = d.counters.find((c) => c.host === host)?.samples.map(([t]) => t) ?? [];
    if (!times.length) return [];
    return [
      {
        host,
        role: roleOf(d, host),
        key,
        samples: times.map((t) => [t, 0] as [number, number]),
      },
    ];
  });
}

function dropsChart(d: RunData, id: string, lossKeys: ReadonlySet<string>): ChartSpec {
  let chosen = [...d.counters.filter((c) => lossKeys.has(idOf(c))), ...flatCounters(d, lossKeys)];
  let caption: string | undefined;
  if (!chosen.length) {
    // Nothing moved: still draw the receiver's softnet drops, flat, so the
    // chart shows a zero rather than nothing.
    const receiver = d.hosts.find((h) => h.role === 'receiver')?.host;
    chosen = d.counters.filter(
      (c) => /^softnet\.cpu\d+\.dropped$/.test(c.key) && (!receiver || c.host === receiver),
    );
    caption = 'No loss counter moved during the run: the per-CPU softnet drops are shown, flat.';
  }
  chosen.sort((a, b) => hostOrder(d, a.host) - hostOrder(d, b.host) || a.key.localeCompare(b.key));
  return timeChart(
    {
      id: `${id}-drops`,
      group: 'drops',
      title: 'Drops per second, by host and counter',
      yLabel: 'drops (packets/s)',
      unit: 'packets/s',
      sync: id,
      ...(caption ? { caption } : {}),
    },
    chosen.map((c) => ({
      label: `${who(c.host, c.role || roleOf(d, c.host))}: ${keyLabel(parseSeriesKey(c.key, d.nics.get(c.host) ?? []), c.key)}`,
      host: c.host,
      counter: c.key,
      points: rates(c),
    })),
    d,
  );
}

function throughputChart(d: RunData, id: string): ChartSpec | undefined {
  if (!d.throughput.length) return undefined;
  const directions = new Set(d.throughput.map((t) => t.direction)).size;
  return timeChart(
    {
      id: `${id}-throughput`,
      group: 'throughput',
      title: 'Receiver throughput per second (iperf3 intervals)',
      yLabel: 'throughput (bit/s)',
      unit: 'bit/s',
      sync: id,
    },
    [...d.throughput]
      .sort((a, b) => hostOrder(d, a.host) - hostOrder(d, b.host))
      .map((t) => ({
        label: `${who(t.host, t.role)} received${directions > 1 ? `, ${t.direction}` : ''}`,
        host: t.host,
        counter: `received ${t.direction}`,
        points: t.points,
      })),
    d,
  );
}

function reasonsChart(d: RunData, id: string): ChartSpec | undefined {
  if (!d.reasons.length) return undefined;
  const hosts = new Set(d.reasons.map((r) => r.host)).size;
  return timeChart(
    {
      id: `${id}-reasons`,
      group: 'reasons',
      title: 'Drop reasons (kfree_skb), counted per 1 s interval',
      yLabel: 'drops (packets/s)',
      unit: 'packets/s',
      sync: id,
    },
    [...d.reasons]
      .sort(
        (a, b) =>
          b.points.reduce((n, p) => n + (p[1] ?? 0), 0) -
          a.points.reduce((n, p) => n + (p[1] ?? 0), 0),
      )
      .map((r) => ({
        label: hosts > 1 ? `${r.host}: ${r.label}` : r.label,
        host: r.host,
        counter: r.label,
        points: r.points,
      })),
    d,
  );
}

// One heatmap per host and counter: a row per CPU, a cell per interval.
function heatmaps(d: RunData, id: string): ChartSpec[] {
  const out: ChartSpec[] = [];
  const hosts = [...new Set(d.counters.map((c) => c.host))].sort(
    (a, b) => hostOrder(d, a) - hostOrder(d, b),
  );
  hosts.forEach((host, hi) => {
    for (const counter of ['dropped', 'time_squeeze']) {
      const cpus = d.counters
        .flatMap((c) => {
          const m = c.host === host ? /^softnet\.cpu(\d+)\.([a-z_]+)$/.exec(c.key) : null;
          return m && m[2] === counter ? [{ cpu: Number(m[1]), c }] : [];
        })
        .sort((a, b) => a.cpu - b.cpu);
      if (!cpus.length) continue;
      const a = alignTime(cpus.map((x) => downsample(rates(x.c), MAX_POINTS)));
      const spec: ChartSpec = {
        id: `${id}-heat-${hi}-${counter === 'dropped' ? 'dropped' : 'squeeze'}`,
        kind: 'heatmap',
        group: `heat-${counter}`,
        title: `${who(host, roleOf(d, host))}: softnet ${counter} per CPU`,
        yLabel: 'CPU',
        unit: counter === 'dropped' ? 'packets/s' : 'count',
        x0Ms: a.x0Ms,
        x: a.x,
        categories: cpus.map((x) => `cpu${x.cpu}`),
        series: cpus.map((x, i) => ({
          label: `cpu${x.cpu}`,
          host,
          counter: x.c.key,
          values: a.values[i]!.map(rounded),
        })),
        bands: d.phases.map((p) => ({
          label: p.name,
          from: p.fromMs - a.x0Ms,
          to: p.toMs - a.x0Ms,
        })),
        sync: id,
        caption:
          counter === 'dropped'
            ? 'Packets dropped per second at each CPU’s backlog (darker: more).'
            : 'NAPI polls cut short per second on each CPU (budget or time ran out; events, not packets).',
      };
      out.push({ ...spec, zMax: maxValue(spec) });
    }
  });
  return out;
}

export function runCharts(
  d: RunData,
  o: { id: string; lossKeys?: ReadonlySet<string> },
): ChartSpec[] {
  return [
    dropsChart(d, o.id, o.lossKeys ?? movedLossKeys(d)),
    throughputChart(d, o.id),
    reasonsChart(d, o.id),
    ...heatmaps(d, o.id),
  ].filter((c): c is ChartSpec => c !== undefined);
}

// The time span a chart covers, in milliseconds since the epoch.
function span(c: ChartSpec): [number, number] | undefined {
  if (c.kind === 'bars' || c.x0Ms === undefined || !c.x.length) return undefined;
  const ends = [c.x[0]!, c.x.at(-1)!, ...(c.bands ?? []).flatMap((b) => [b.from, b.to])];
  return [c.x0Ms + Math.min(...ends), c.x0Ms + Math.max(...ends)];
}

// Every chart of a run on the run's one time range; with several runs (a
// comparison), every run as wide as the longest, and each group of charts
// (drops, throughput, …) on one value scale, so variants read one above
// the other.
export function fitScales(runs: ChartSpec[][]): ChartSpec[][] {
  const ranges = runs.map((charts) => {
    const spans = charts.map(span).filter((s): s is [number, number] => !!s);
    return spans.length
      ? ([Math.min(...spans.map((s) => s[0])), Math.max(...spans.map((s) => s[1]))] as const)
      : undefined;
  });
  const width = Math.max(0, ...ranges.map((r) => (r ? r[1] - r[0] : 0)));
  const yMax = new Map<string, number>();
  for (const c of runs.flat()) {
    const key = c.kind === 'heatmap' ? `${c.group} z` : c.group;
    yMax.set(key, Math.max(yMax.get(key) ?? 0, c.kind === 'heatmap' ? (c.zMax ?? 0) : maxValue(c)));
  }
  const shared = runs.length > 1;
  return runs.map((charts, i) =>
    charts.map((c) => {
      const r = ranges[i];
      const fitted: ChartSpec =
        r && c.x0Ms !== undefined
          ? { ...c, xRange: [r[0] - c.x0Ms, r[0] + width - c.x0Ms] }
          : { ...c };
      if (!shared) return fitted;
      if (c.kind === 'heatmap') return { ...fitted, zMax: yMax.get(`${c.group} z`) ?? 0 };
      return { ...fitted, yMax: yMax.get(c.group) ?? 0 };
    }),
  );
}
