// Target (issue 12): report.html renders at a 1280×800 viewport in under 2 s,
// and stays fast with a 5-minute run. Prints the median time from opening the
// file to every chart drawn, in headless Chromium with the network refused,
// for the real lab bundle's compare report (test/fixtures/bundles/) and for a
// 5-minute run made by repeating its first run's 10 s thirty times. Also the
// size of each page and the time to build it.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { readTarGz } from '../../dist/bundles/archive.js';
import { chartLibrary } from '../../dist/bundles/report/chart-library.js';
import { reportHtml } from '../../dist/bundles/report/report-html.js';
import { unwrap } from '../../dist/bundles/verify.js';
import { median, report } from './lib.mjs';

const RUNS = 5;
const BUNDLE = 'test/fixtures/bundles/20261207T103655Z-compare-2-hosts.tar.gz';
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

// runs/01-baseline/… as a repro bundle holds it, its time files repeated
// `times` times, each copy `spanMs` later.
function longRun(files, times) {
  const prefix = 'runs/01-baseline/';
  const out = new Map();
  for (const [p, b] of files) if (p.startsWith(prefix)) out.set(p.slice(prefix.length), b);
  const phases = JSON.parse(out.get('repro/phases.json').toString());
  const from = phases.traffic.startMs - 1000;
  const spanMs = phases.traffic.endMs - from + 1000;
  const tile = (path) => {
    const [head, ...rows] = out.get(path).toString().trimEnd().split('\n');
    const copies = [];
    for (let i = 0; i < times; i++)
      for (const r of rows) {
        const comma = r.indexOf(',');
        const t = Number(r.slice(0, comma));
        copies.push(
          Number.isFinite(t) && comma > 0 ? `${(t + i * spanMs).toFixed(3)}${r.slice(comma)}` : r,
        );
      }
    out.set(path, Buffer.from(`${head}\n${copies.join('\n')}\n`));
  };
  for (const p of [
    'repro/series.csv',
    'repro/iperf3/intervals.csv',
    'repro/trace/receiver-kfree_skb.csv',
  ])
    tile(p);
  phases.phases = Array.from({ length: times }, (_, i) =>
    phases.phases.map((p) => ({
      ...p,
      startMs: p.startMs + i * spanMs,
      endMs: p.endMs + i * spanMs,
    })),
  ).flat();
  phases.traffic.endMs += (times - 1) * spanMs;
  out.set('repro/phases.json', Buffer.from(JSON.stringify(phases)));
  return out;
}

async function renderMs(browser, file) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await page.setRequestInterception(true);
  page.on('request', (r) => (r.url().startsWith('file:') ? r.continue() : r.abort()));
  const t0 = performance.now();
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-charts-ready'));
  // One more frame: the charts are on screen, not only built.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  const ms = performance.now() - t0;
  await page.close();
  return ms;
}

const files = unwrap((await readTarGz(BUNDLE)).entries).files;
const lib = await chartLibrary();
const dir = mkdtempSync(join(tmpdir(), 'dropkit-bench-report-'));
const pages = [
  ['report.html of the lab compare bundle (2 runs of 10 s)', files],
  ['report.html of a 5-minute run (the lab run repeated 30 times)', longRun(files, 30)],
];
try {
  const built = pages.map(([name, input], i) => {
    const ms = [];
    let html = '';
    for (let k = 0; k < RUNS; k++) {
      const t0 = performance.now();
      html = reportHtml(input, lib, { version: 'bench' }).html;
      ms.push(performance.now() - t0);
    }
    const file = join(dir, `page${i}.html`);
    writeFileSync(file, html);
    console.log(
      `${name}: ${(Buffer.byteLength(html) / 1024).toFixed(0)} KB, built in ${median(ms).toFixed(0)} ms (median of ${RUNS})`,
    );
    return [name, file];
  });
  if (!CHROMIUM)
    console.log('report render: skipped, no chromium (scripts/install-deps.sh installs it)');
  else {
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      pipe: true,
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        '--host-resolver-rules=MAP * ~NOTFOUND',
        '--proxy-server=http://127.0.0.1:9',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
    try {
      for (const [name, file] of built) {
        await renderMs(browser, file); // warm-up
        const samples = [];
        for (let k = 0; k < RUNS; k++) samples.push(await renderMs(browser, file));
        report(`${name}, rendered at 1280×800`, samples, 2000);
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
