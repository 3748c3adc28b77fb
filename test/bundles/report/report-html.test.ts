import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ChartLibrary, chartLibrary } from '../../../bundles/report/chart-library.js';
import type { ChartSpec } from '../../../bundles/report/chart-spec.js';
import { h, hText } from '../../../bundles/report/html.js';
import { reportHtml } from '../../../bundles/report/report-html.js';
import {
  bundleFiles,
  embeddedCharts,
  jsonOf,
  LAB_BUNDLE,
  runAsRepro,
  type SummaryDoc,
} from './fixture-bundle.js';

// report.html from the real lab bundle (20261207T103655Z-compare-2-hosts.tar.gz,
// written before the report existed): what each chart holds is checked
// against the bundle's own summary, figure by figure.

let lib: ChartLibrary;
let files: Map<string, Buffer>;
let compareHtml: string;
const RECEIVER = 'aks-r31b3d15e-96679761-vmss000001';
const SENDER = 'aks-r31b3d15e-96679761-vmss000000';

beforeAll(async () => {
  lib = await chartLibrary();
  files = await bundleFiles(LAB_BUNDLE);
  compareHtml = reportHtml(files, lib, { version: 'test' }).html;
});

const chart = (charts: ChartSpec[], id: string) => {
  const c = charts.find((x) => x.id === id);
  if (!c) throw new Error(`no chart ${id} in ${charts.map((x) => x.id).join(', ')}`);
  return c;
};
const seriesOf = (c: ChartSpec, host: string, counter: string) =>
  c.series.find((s) => s.host === host && s.counter === counter);
const peak = (values: Array<number | null>) => Math.max(...values.map((v) => v ?? 0));

describe('a repro report, from one run of the real lab bundle', () => {
  let html: string;
  let charts: ChartSpec[];
  let summary: SummaryDoc;
  beforeAll(() => {
    const run = runAsRepro(files, '01-baseline');
    summary = jsonOf<SummaryDoc>(run, 'summary.json');
    html = reportHtml(run, lib, { version: 'test' }).html;
    charts = embeddedCharts(html);
  });

  it('draws the drops per second by host and counter, peaking where the summary says', () => {
    const drops = chart(charts, 'run-drops');
    expect(drops.kind).toBe('time');
    const softnet = seriesOf(drops, RECEIVER, 'softnet.cpu1.dropped');
    expect(softnet?.label).toBe(`${RECEIVER} (receiver): softnet dropped cpu1`);
    expect(seriesOf(drops, RECEIVER, 'iface.eth0.rx_dropped')).toBeDefined();
    // The receiver first: that is where the burst's drops are.
    expect(drops.series[0]!.host).toBe(RECEIVER);
    // cpu0 never dropped: a counter that did not move is not drawn.
    expect(seriesOf(drops, RECEIVER, 'softnet.cpu0.dropped')).toBeUndefined();
    const moved = summary.repro!.moved.find(
      (m) => m.host === RECEIVER && m.key === 'softnet.cpu1.dropped',
    )!;
    expect(peak(softnet!.values)).toBe(Math.round(moved.peakRatePerSec));
  });

  it('shades the burst phase from repro/phases.json', () => {
    const drops = chart(charts, 'run-drops');
    const phases = jsonOf<{ phases: Array<{ phase: string; startMs: number; endMs: number }> }>(
      runAsRepro(files, '01-baseline'),
      'repro/phases.json',
    );
    expect(drops.bands).toEqual(
      phases.phases.map((p) => ({
        label: p.phase,
        from: p.startMs - drops.x0Ms!,
        to: p.endMs - drops.x0Ms!,
      })),
    );
  });

  it('draws the receiver’s throughput per interval, whose median is the summary’s', () => {
    const t = chart(charts, 'run-throughput');
    expect(t.series.map((s) => s.host)).toEqual([RECEIVER]);
    const values = t.series[0]!.values.filter((v): v is number => v !== null).sort((a, b) => a - b);
    // 10 whole seconds; iperf3's last 2 ms interval is left out, as in the summary.
    expect(values).toHaveLength(10);
    const median = (values[4]! + values[5]!) / 2;
    const expected = summary.repro!.phases[0]!.directions[0]!.medianBitsPerSecond;
    expect(Math.abs(median - expected)).toBeLessThanOrEqual(1);
  });

  it('draws the drop reasons, CPU_BACKLOG at enqueue_to_backlog first', () => {
    const r = chart(charts, 'run-reasons');
    expect(r.series[0]!.label).toBe('CPU_BACKLOG at enqueue_to_backlog');
    const total = r.series[0]!.values.reduce<number>((n, v) => n + (v ?? 0), 0);
    // The finding's evidence: kfree_skb CPU_BACKLOG +17,035 over the run.
    expect(total).toBe(17_035);
  });

  it('a heatmap per host of softnet dropped and time_squeeze, one row per CPU', () => {
    const heat = charts.filter((c) => c.kind === 'heatmap');
    expect(heat.map((c) => c.id)).toEqual([
      'run-heat-0-dropped',
      'run-heat-0-squeeze',
      'run-heat-1-dropped',
      'run-heat-1-squeeze',
    ]);
    const dropped = chart(charts, 'run-heat-0-dropped');
    expect(dropped.title).toBe(`${RECEIVER} (receiver): softnet dropped per CPU`);
    expect(dropped.categories).toEqual(['cpu0', 'cpu1']);
    expect(peak(dropped.series[0]!.values)).toBe(0);
    expect(dropped.zMax).toBe(peak(dropped.series[1]!.values));
    expect(dropped.zMax).toBeGreaterThan(1000);
  });

  it('every time chart of the run shares one time range', () => {
    const ranges = charts.map((c) => c.xRange!.map((v) => v + c.x0Ms!));
    for (const r of ranges) expect(r).toEqual(ranges[0]);
  });

  it('says the facts: profile, hosts by role, the traffic window in UTC', () => {
    expect(html).toContain('<dt>profile</dt><dd>microburst</dd>');
    expect(html).toContain(`<dt>sender</dt><dd>${SENDER}</dd>`);
    expect(html).toContain(`<dt>receiver</dt><dd>${RECEIVER}</dd>`);
    expect(html).toContain(
      '<dt>traffic</dt><dd>2026-12-07T10:36:33.346Z → 2026-12-07T10:36:43.607Z (UTC)</dd>',
    );
  });

  it('stays under 400 KB for a 10 s run at 100 ms', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(400 * 1024);
  });
});

describe('a compare report, from the real lab bundle', () => {
  let charts: ChartSpec[];
  beforeAll(() => {
    charts = embeddedCharts(compareHtml);
  });

  it('bars per variant: throughput, loss and BACKLOG drops, from compare.json', () => {
    const compare = jsonOf<{
      variants: Array<{ name: string; throughputBps: number; dropsByClass: { BACKLOG: number } }>;
    }>(files, 'compare.json');
    const t = chart(charts, 'compare-throughput');
    expect(t.categories).toEqual(['baseline', 'backlog']);
    expect(t.series[0]!.values).toEqual(compare.variants.map((v) => v.throughputBps));
    const d = chart(charts, 'compare-drops-0');
    expect(d.title).toBe('BACKLOG drops');
    expect(d.series[0]!.values).toEqual([17_035, 0]);
    expect(chart(charts, 'compare-loss').series[0]!.values[1]).toBe(0);
  });

  it('each variant’s time charts draw the same series on the same scales', () => {
    const base = chart(charts, 'run1-drops');
    const fixed = chart(charts, 'run2-drops');
    expect(fixed.series.map((s) => [s.host, s.counter])).toEqual(
      base.series.map((s) => [s.host, s.counter]),
    );
    // The fix removed the drops: the same series, flat.
    expect(peak(base.series[0]!.values)).toBeGreaterThan(1000);
    expect(fixed.series.every((s) => peak(s.values) === 0)).toBe(true);
    expect(fixed.yMax).toBe(base.yMax);
    expect(fixed.yMax).toBe(peak(base.series.flatMap((s) => s.values)));
    const width = (c: ChartSpec) => c.xRange![1] - c.xRange![0];
    expect(width(fixed)).toBe(width(base));
    expect(chart(charts, 'run2-heat-0-dropped').zMax).toBe(
      chart(charts, 'run1-heat-0-dropped').zMax,
    );
  });

  it('shows each finding as a card with its exact fix and persistent setting', () => {
    const summary = jsonOf<SummaryDoc>(files, 'summary.json');
    expect(summary.findings.length).toBeGreaterThan(0);
    for (const f of summary.findings) {
      expect(compareHtml).toContain(`data-class="${f.class}" data-host="${f.host}"`);
      expect(compareHtml).toContain(hText(f.fix.join('\n')));
      for (const line of f.persistent) expect(compareHtml).toContain(h(line));
    }
    expect(compareHtml).toContain('<code>sysctl -w net.core.netdev_max_backlog=32768\n');
  });

  it('has the comparison table and verdict as text, readable without script', () => {
    expect(compareHtml).toContain(
      '<td>backlog</td><td>net.core.netdev_max_backlog 10 → 32768 (receiver)</td><td>1.04 Gbit/s</td>',
    );
    expect(compareHtml).toContain(
      'backlog removed all BACKLOG drops (17,035 → 0), cut UDP loss from 1.9% to 0.0%',
    );
  });

  it('allows only its two inline scripts, by hash, and nothing to load', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
      .exec(compareHtml)![1]!
      .replaceAll('&#39;', "'");
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+'; /);
    const scripts = [...compareHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2);
    for (const s of scripts)
      expect(csp).toContain(`'sha256-${createHash('sha256').update(s).digest('base64')}'`);
    expect(compareHtml).not.toMatch(/\b(?:src|href)=|@import|url\(\s*['"]?(?!data:)/i);
    expect(compareHtml).not.toMatch(/https?:\/\/(?!github\.com\/leeoniya\/uPlot)/);
  });
});

describe('a hostile or incomplete bundle', () => {
  const HOSTILE = '</script><script>alert(1)</script><!--';

  it('escapes names, counters and findings from hosts everywhere they appear', () => {
    const summary = {
      kind: 'repro',
      findings: [
        {
          class: 'BACKLOG"><img src=x onerror=alert(2)>',
          host: HOSTILE,
          line: `${HOSTILE} \u202edrop`,
          fix: [`echo ${HOSTILE}`],
          evidence: ['<b>bold</b>'],
        },
      ],
      hosts: [{ host: HOSTILE, nics: [{ name: '__proto__', kind: 'constructor' }] }],
      repro: { sender: 'a', receiver: HOSTILE, phases: 'not an array' },
    };
    const series = [
      't_ms,time,host,role,key,value',
      `1000,x,"${HOSTILE}",receiver,softnet.cpu0.dropped,0`,
      `1100,x,"${HOSTILE}",receiver,softnet.cpu0.dropped,5`,
      `1000,x,"${HOSTILE}",receiver,iface.<!--x.rx_dropped,0`,
      `1100,x,"${HOSTILE}",receiver,iface.<!--x.rx_dropped,18446744073709551615`,
      '1200,x,h,receiver,softnet.cpu0.dropped,not-a-number',
    ].join('\n');
    const files = new Map([
      ['summary.json', Buffer.from(JSON.stringify(summary))],
      ['repro/series.csv', Buffer.from(series)],
      [
        'repro/phases.json',
        Buffer.from('{"phases":[{"phase":"</script>","startMs":1000,"endMs":1100}]}'),
      ],
    ]);
    const html = reportHtml(files, lib, { version: 'test' }).html;
    // Our three script elements, nothing more; no tag from the input.
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<!--x');
    expect(html).toContain('\\u{202e}drop');
    const charts = embeddedCharts(html);
    const drops = chart(charts, 'run-drops');
    expect(drops.series.map((s) => s.counter).sort()).toEqual([
      'iface.<!--x.rx_dropped',
      'softnet.cpu0.dropped',
    ]);
    expect(drops.series.every((s) => s.host === HOSTILE)).toBe(true);
    expect(drops.bands![0]!.label).toBe('</script>');
  });

  it('renders what is there when files are missing or are not JSON', () => {
    for (const files of [
      new Map<string, Buffer>(),
      new Map([['summary.json', Buffer.from('{not json')]]),
      new Map([
        ['summary.json', Buffer.from('{"kind":"compare"}')],
        ['compare.json', Buffer.from('[]')],
      ]),
      new Map([
        ['summary.json', Buffer.from('{"kind":"repro","repro":{}}')],
        ['repro/series.csv', Buffer.from('nothing,useful\n1,2\n')],
      ]),
    ]) {
      const r = reportHtml(files, lib, { version: 'test' });
      expect(r.html).toMatch(/^<!doctype html>/);
      expect(r.html).toContain('<h2>Findings</h2>');
    }
  });
});
