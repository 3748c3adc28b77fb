import type { ChartSpec } from './chart-spec.js';
import { attrs, h } from './html.js';

// Each chart's element: a figure the page's script draws into, with what
// the chart holds on it as data attributes (its series, hosts and
// counters), so a reader's tools and the browser tests can check the chart
// against the bundle. The data itself goes in one JSON element. Pure.

const uniq = (xs: Array<string | undefined>) => [...new Set(xs.filter((x) => x !== undefined))];

export function figure(c: ChartSpec): string {
  return `<figure${attrs({
    class: `chart chart-${c.kind}`,
    id: c.id,
    'data-chart': c.group,
    'data-kind': c.kind,
    'data-series': JSON.stringify(c.series.map((s) => s.label)),
    'data-hosts': JSON.stringify(uniq(c.series.map((s) => s.host))),
    'data-counters': JSON.stringify(uniq(c.series.map((s) => s.counter))),
  })}><figcaption><strong>${h(c.title)}</strong>${c.caption ? ` <span class="caption">${h(c.caption)}</span>` : ''}</figcaption><div class="plot"></div><noscript><p class="none">This chart needs JavaScript; the tables hold its figures.</p></noscript></figure>`;
}

export function chartsBlock(
  title: string,
  charts: readonly ChartSpec[],
  notes: string[] = [],
): string {
  if (!charts.length && !notes.length) return '';
  return `<h3>${h(title)}</h3>
${notes.map((n) => `<p class="note">${h(n)}</p>`).join('\n')}
${charts.some((c) => c.kind !== 'bars') ? charts.map(figure).join('\n') : `<div class="grid">${charts.map(figure).join('\n')}</div>`}`;
}
