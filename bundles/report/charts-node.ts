import type { ChartSpec } from './chart-spec.js';
import { arr, field, num, str } from './json-read.js';

// A node bundle's charts, from summary.json's hosts: the counters since
// boot, softnet per CPU, the loss counters per interface, and each ring's
// size against its maximum. Bars, one series per host. Pure.

interface Host {
  host: string;
  doc: unknown;
}

function hostsOf(summary: unknown): Host[] {
  return arr(field(summary, 'hosts')).flatMap((doc) => {
    const host = str(field(doc, 'host'));
    return host === undefined ? [] : [{ host, doc }];
  });
}

// Categories (x) in first-seen order, and each host's value per category.
function grouped(
  hosts: readonly Host[],
  rows: (h: Host) => Array<[category: string, value: number]>,
): { categories: string[]; series: Array<{ host: string; values: Array<number | null> }> } {
  const per = hosts.map((h) => ({ host: h.host, rows: new Map(rows(h)) }));
  const categories = [...new Set(per.flatMap((p) => [...p.rows.keys()]))];
  return {
    categories,
    series: per
      .filter((p) => p.rows.size)
      .map((p) => ({ host: p.host, values: categories.map((c) => p.rows.get(c) ?? null) })),
  };
}

function barChart(
  base: Pick<ChartSpec, 'id' | 'title' | 'yLabel' | 'unit' | 'caption'>,
  g: ReturnType<typeof grouped>,
  counter: (host: string) => string,
): ChartSpec | undefined {
  if (!g.categories.length || !g.series.length) return undefined;
  return {
    ...base,
    kind: 'bars',
    group: base.id,
    x: g.categories.map((_, i) => i),
    categories: g.categories,
    series: g.series.map((s) => ({
      label: s.host,
      host: s.host,
      counter: counter(s.host),
      values: s.values,
    })),
  };
}

function softnet(hosts: Host[], key: 'dropped' | 'timeSqueeze'): ChartSpec | undefined {
  const name = key === 'dropped' ? 'dropped' : 'time_squeeze';
  return barChart(
    {
      id: `node-softnet-${key === 'dropped' ? 'dropped' : 'squeeze'}`,
      title: `softnet ${name} per CPU, since boot`,
      yLabel: key === 'dropped' ? 'packets dropped' : 'NAPI polls cut short',
      unit: 'count',
    },
    grouped(hosts, (h) =>
      arr(field(h.doc, 'softnet')).flatMap((r) => {
        const cpu = num(field(r, 'cpu'));
        const v = num(field(r, key));
        return cpu === undefined || v === undefined ? [] : [[`cpu${cpu}`, v]];
      }),
    ),
    () => `softnet ${name}`,
  );
}

function lossCounters(hosts: Host[]): ChartSpec | undefined {
  return barChart(
    {
      id: 'node-loss',
      title: 'Loss counters per interface, since boot (non-zero only)',
      yLabel: 'packets',
      unit: 'count',
    },
    grouped(hosts, (h) =>
      arr(field(h.doc, 'loss')).flatMap((r) => {
        const iface = str(field(r, 'iface'));
        const counter = str(field(r, 'counter'));
        const v = num(field(r, 'value'));
        return iface === undefined || counter === undefined || v === undefined
          ? []
          : [[`${iface} ${counter}`, v]];
      }),
    ),
    () => 'loss counters',
  );
}

function rings(hosts: Host[]): ChartSpec[] {
  const out: ChartSpec[] = [];
  for (const dir of ['rx', 'tx'] as const) {
    const rows = hosts.flatMap((h) =>
      arr(field(h.doc, 'nics')).flatMap((n) => {
        const iface = str(field(n, 'name'));
        const ring = field(n, 'ring');
        const size = num(field(ring, dir));
        const max = num(field(ring, `${dir}Max`));
        return iface === undefined || (size === undefined && max === undefined)
          ? []
          : [{ category: `${h.host} ${iface}`, size: size ?? null, max: max ?? null }];
      }),
    );
    if (!rows.length) continue;
    out.push({
      id: `node-ring-${dir}`,
      kind: 'bars',
      group: `node-ring-${dir}`,
      title: `${dir.toUpperCase()} ring size against its maximum`,
      yLabel: 'descriptors',
      unit: 'descriptors',
      x: rows.map((_, i) => i),
      categories: rows.map((r) => r.category),
      series: [
        { label: `${dir} ring in use`, counter: `${dir} ring`, values: rows.map((r) => r.size) },
        {
          label: `${dir} ring maximum`,
          counter: `${dir} ring max`,
          values: rows.map((r) => r.max),
        },
      ],
      caption: `From ethtool -g. A ring well below its maximum can be raised (ethtool -G <iface> ${dir} <n>).`,
    });
  }
  return out;
}

export function nodeCharts(summary: unknown): ChartSpec[] {
  const hosts = hostsOf(summary);
  return [
    lossCounters(hosts),
    ...rings(hosts),
    softnet(hosts, 'dropped'),
    softnet(hosts, 'timeSqueeze'),
  ].filter((c): c is ChartSpec => c !== undefined);
}
