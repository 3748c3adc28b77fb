import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartLibrary } from '../../../bundles/report/chart-library.js';
import { reportHtml } from '../../../bundles/report/report-html.js';
import { CHROMIUM, launch, type OpenedPage, openReport } from './browser.js';
import { bundleFiles, jsonOf, LAB_BUNDLE, runAsRepro, type SummaryDoc } from './fixture-bundle.js';

// The reports of the real lab bundle (20261207T103655Z-compare-2-hosts.tar.gz)
// opened in headless Chromium with the network refused: no console error,
// no request but the file, every chart drawn with the series the bundle
// holds, and the findings' fixes on their cards.

// What the callbacks run in the page use of it (the project's lib has no DOM).
interface PageElement {
  id: string;
  hidden: boolean;
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
declare const document: { querySelector(selector: string): PageElement | null };
declare function getComputedStyle(el: PageElement, pseudo: string): { content: string };
// Callbacks run in the page: only casts, never a function of this module.

const ROOT = process.getuid?.() === 0;
// CI runs as root and installs chromium (scripts/install-deps.sh): there a
// missing browser is a failure, not a skip.
const skip = !CHROMIUM && !ROOT;
if (skip)
  console.warn(
    'report-browser.test.ts: SKIPPED: no chromium (apt-get install chromium, or run scripts/install-deps.sh as root)',
  );

const RECEIVER = 'aks-r31b3d15e-96679761-vmss000001';
const SENDER = 'aks-r31b3d15e-96679761-vmss000000';

interface Drawn {
  id: string;
  kind: string;
  rendered: string | null;
  points: number;
  xMin: number;
  xMax: number;
  yMax: number;
  series: string[];
  hosts: string[];
  counters: string[];
  legend: string[];
  canvas: boolean;
}

async function charts(p: OpenedPage): Promise<Drawn[]> {
  return p.page.$$eval('figure.chart', (figs) =>
    figs.map((f) => {
      const el = f as unknown as PageElement;
      const d = el.dataset;
      return {
        id: el.id,
        kind: d['kind'] ?? '',
        rendered: d['rendered'] ?? null,
        points: Number(d['points']),
        xMin: Number(d['xMin']),
        xMax: Number(d['xMax']),
        yMax: Number(d['yMax']),
        series: JSON.parse(d['series'] ?? '[]') as string[],
        hosts: JSON.parse(d['hosts'] ?? '[]') as string[],
        counters: JSON.parse(d['counters'] ?? '[]') as string[],
        legend: Array.from(el.querySelectorAll('.u-legend .u-series .u-label'))
          .map((l) => l.textContent ?? '')
          .slice(1),
        canvas: !!el.querySelector('.uplot canvas'),
      };
    }),
  );
}

const byId = (all: Drawn[], id: string) => all.find((c) => c.id === id)!;

let dir: string;
let browser: Browser;
const pages: Record<'compare' | 'repro' | 'node', OpenedPage> = {} as never;
let summary: SummaryDoc;

describe.skipIf(skip)('report.html in Chromium', () => {
  beforeAll(async () => {
    if (!CHROMIUM) throw new Error('chromium is missing: run scripts/install-deps.sh (as root)');
    dir = await mkdtemp(join(tmpdir(), 'dropkit-report-browser-'));
    const files = await bundleFiles(LAB_BUNDLE);
    summary = jsonOf<SummaryDoc>(files, 'summary.json');
    const lib = await chartLibrary();
    // The node report: the lab hosts' counters since boot, as a node bundle holds them.
    const node = new Map([
      ['summary.json', Buffer.from(JSON.stringify({ ...summary, kind: 'node' }))],
    ]);
    const inputs = { compare: files, repro: runAsRepro(files, '01-baseline'), node };
    browser = await launch();
    for (const [kind, f] of Object.entries(inputs)) {
      const file = join(dir, `${kind}.html`);
      await writeFile(file, reportHtml(f, lib, { version: 'test' }).html);
      pages[kind as keyof typeof pages] = await openReport(browser, file);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('logs no error and asks for nothing but its own file', () => {
    for (const [kind, p] of Object.entries(pages)) {
      expect(p.errors, kind).toEqual([]);
      expect(p.aborted, kind).toEqual([]);
      expect(p.requests, kind).toEqual([`file://${join(dir, `${kind}.html`)}`]);
    }
  });

  it('draws every chart it declares, each with points and a range', async () => {
    for (const [kind, p] of Object.entries(pages)) {
      const all = await charts(p);
      expect(all.length, kind).toBeGreaterThan(0);
      for (const c of all) {
        expect(c.rendered, `${kind} ${c.id}`).toBe('true');
        expect(c.canvas, `${kind} ${c.id}`).toBe(true);
        expect(c.points, `${kind} ${c.id}`).toBeGreaterThan(0);
        expect(c.legend, `${kind} ${c.id}`).toEqual(c.series);
        if (c.kind === 'bars') expect(c.xMax, c.id).toBeGreaterThanOrEqual(c.xMin);
        else expect(c.xMax - c.xMin, `${kind} ${c.id}`).toBeGreaterThan(5);
      }
    }
  });

  it('compare: each variant’s drops by host and counter, its throughput and its reasons', async () => {
    const all = await charts(pages.compare);
    const drops = byId(all, 'run1-drops');
    expect(drops.hosts).toEqual([RECEIVER, SENDER]);
    expect(drops.counters).toEqual(
      expect.arrayContaining(['softnet.cpu1.dropped', 'iface.eth0.rx_dropped']),
    );
    expect(drops.yMax).toBeGreaterThan(10_000);
    // The fix's run: the same series, flat.
    expect(byId(all, 'run2-drops').counters).toEqual(drops.counters);
    expect(byId(all, 'run2-drops').yMax).toBe(0);
    expect(byId(all, 'run1-throughput').hosts).toEqual([RECEIVER]);
    expect(byId(all, 'run1-throughput').yMax).toBeGreaterThan(500e6);
    expect(byId(all, 'run1-reasons').counters[0]).toBe('CPU_BACKLOG at enqueue_to_backlog');
    expect(byId(all, 'compare-drops-0').series).toEqual(['BACKLOG drops']);
    expect(byId(all, 'compare-drops-0').yMax).toBe(17_035);
    expect(all.filter((c) => c.kind === 'heatmap').map((c) => c.hosts)).toContainEqual([RECEIVER]);
  });

  it('node: softnet per CPU for both hosts', async () => {
    const all = await charts(pages.node);
    expect(byId(all, 'node-softnet-dropped').hosts).toEqual([SENDER, RECEIVER]);
    expect(byId(all, 'node-softnet-dropped').yMax).toBe(396_372);
    expect(byId(all, 'node-loss').counters).toEqual(['loss counters']);
  });

  it('shows each finding’s exact fix on its card, with a working copy button', async () => {
    for (const p of [pages.compare, pages.repro]) {
      const cards = await p.page.$$eval('article.finding', (as) =>
        as.map((a) => ({
          cls: (a as unknown as PageElement).getAttribute('data-class'),
          fix: (a as unknown as PageElement).querySelector('pre[id^="fix-"]')?.textContent,
          copyShown: !(a as unknown as PageElement).querySelector('button.copy')?.hidden,
        })),
      );
      expect(cards.length).toBeGreaterThan(0);
      expect(cards[0]).toEqual({
        cls: summary.findings[0]!.class,
        fix: summary.findings[0]!.fix.join('\n'),
        copyShown: true,
      });
    }
  });

  it('hovering a time chart shows the time in UTC and each value with its unit', async () => {
    const { page } = pages.repro;
    await page.bringToFront();
    const over = (await page.$('#run-drops .u-over'))!;
    await over.scrollIntoView();
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.waitForFunction(
      () => document.querySelector('#run-drops .u-legend .u-value')?.textContent !== '–',
    );
    const values = await page.$$eval('#run-drops .u-legend .u-series .u-value', (vs) =>
      vs.map((v) => v.textContent ?? ''),
    );
    expect(values[0]).toMatch(/^2026-12-07 10:36:\d\d\.\d{3} UTC$/);
    expect(values.slice(1).every((v) => /\/s$|^–$/.test(v))).toBe(true);
    expect(values.slice(1).some((v) => /\d\/s$/.test(v))).toBe(true);
  });

  it('a hostile bundle’s names stay text: no dialog, no error, the chart still drawn', async () => {
    const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)><!--';
    const summary = {
      kind: 'repro',
      findings: [{ class: hostile, host: hostile, line: hostile, fix: [hostile] }],
      hosts: [{ host: hostile, nics: [{ name: hostile }] }],
      repro: { receiver: hostile },
    };
    const csv = (v: number, t: number) => `${t},x,"${hostile}",receiver,softnet.cpu0.dropped,${v}`;
    const files = new Map([
      ['summary.json', Buffer.from(JSON.stringify(summary))],
      [
        'repro/series.csv',
        Buffer.from(`t_ms,time,host,role,key,value\n${csv(0, 1e12)}\n${csv(9, 1e12 + 100)}\n`),
      ],
    ]);
    const file = join(dir, 'hostile.html');
    await writeFile(file, reportHtml(files, await chartLibrary(), { version: 'test' }).html);
    const p = await openReport(browser, file);
    expect(p.errors).toEqual([]);
    expect(p.aborted).toEqual([]);
    const drops = byId(await charts(p), 'run-drops');
    expect(drops.rendered).toBe('true');
    expect(drops.hosts).toEqual([hostile]);
    expect(drops.legend).toEqual([`${hostile} (receiver): softnet dropped cpu0`]);
    expect(await p.page.$$eval('img', (is) => is.length)).toBe(0);
    await p.page.close();
  });

  it('renders a redaction marker as its text, without script', async () => {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    const marked = {
      kind: 'node',
      findings: [
        {
          class: 'X',
          host: 'h',
          line: 'Authorization: Bearer <REDACTED:secret>',
          fix: ['echo'],
        },
      ],
    };
    const file = join(dir, 'marker.html');
    await writeFile(
      file,
      reportHtml(
        new Map([['summary.json', Buffer.from(JSON.stringify(marked))]]),
        await chartLibrary(),
        {
          version: 'test',
        },
      ).html,
    );
    await page.goto(`file://${file}`);
    const shown = await page.$eval(
      'p.line [data-m]',
      (el) => getComputedStyle(el, '::before').content,
    );
    expect(shown).toBe('"<REDACTED:secret>"');
    // Without script the copy button stays hidden and the fix is plain text.
    expect(await page.$eval('button.copy', (b) => (b as unknown as PageElement).hidden)).toBe(true);
    await page.close();
  });
});
