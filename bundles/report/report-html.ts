import { createHash } from 'node:crypto';
import { terminalField } from '../../kit/terminal-text.js';
import { type BundleFiles, jsonAt } from './bundle-files.js';
import type { ChartLibrary } from './chart-library.js';
import type { ChartSpec } from './chart-spec.js';
import { compareCharts } from './charts-compare.js';
import { nodeCharts } from './charts-node.js';
import { fitScales, movedLossKeys, runCharts } from './charts-run.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { esc, h, jsonForHtml } from './html.js';
import { arr, field, str } from './json-read.js';
import { PAGE_STYLE } from './page-style.js';
import { chartsBlock } from './render-charts.js';
import { compareFacts, compareSection } from './render-compare.js';
import { commonFacts, factsList, nodeFacts, reproFacts, resultsSection } from './render-facts.js';
import { findingsSection } from './render-findings.js';
import { hostsSection } from './render-hosts.js';
import { scanSection } from './render-scan.js';
import { type RunData, runData } from './run-data.js';

// report.html: one self-contained page from a bundle's (redacted) files.
// The text (facts, findings, results, tables) is plain HTML; the charts
// are drawn by the inlined uPlot from one JSON element. Its
// Content-Security-Policy allows nothing to load: no fetch, font, image or
// frame, and only the two inline scripts, by their hashes. Pure: the files
// and the library come in, the page goes out.

export const REPORT_PATH = 'report.html';

export type Kind = 'node' | 'repro' | 'compare' | 'scan';

function kindOf(files: BundleFiles, summary: unknown, manifest: unknown): Kind {
  const k = str(field(summary, 'kind')) ?? str(field(manifest, 'kind'));
  if (k === 'node' || k === 'repro' || k === 'compare' || k === 'scan') return k;
  if (files.has('compare.json')) return 'compare';
  return files.has('repro/series.csv') ? 'repro' : 'node';
}

// A host's name is drawn on a canvas and in the legend: its control and
// bidi characters are shown escaped there too.
function safeSpec(c: ChartSpec): ChartSpec {
  return {
    ...c,
    title: terminalField(c.title),
    ...(c.caption ? { caption: terminalField(c.caption) } : {}),
    ...(c.categories ? { categories: c.categories.map(terminalField) } : {}),
    series: c.series.map((s) => ({
      ...s,
      label: terminalField(s.label),
      ...(s.host !== undefined ? { host: terminalField(s.host) } : {}),
      ...(s.counter !== undefined ? { counter: terminalField(s.counter) } : {}),
    })),
    ...(c.bands ? { bands: c.bands.map((b) => ({ ...b, label: terminalField(b.label) })) } : {}),
  };
}

interface Body {
  title: string;
  facts: Array<[string, string | undefined]>;
  sections: string[];
  charts: ChartSpec[];
}

function runBlock(title: string, d: RunData, charts: ChartSpec[]): string {
  return `<div class="run">${chartsBlock(title, charts, d.notes)}</div>`;
}

function reproBody(files: BundleFiles, summary: unknown): Body {
  const d = runData(files, '');
  const [charts = []] = fitScales([runCharts(d, { id: 'run' })]);
  return {
    title: `reproduction, profile ${str(field(field(summary, 'repro'), 'profile')) ?? '?'}`,
    facts: reproFacts(summary),
    sections: [
      findingsSection(summary),
      resultsSection(summary),
      `<section id="charts"><h2>Over time</h2>${runBlock('The run', d, charts)}</section>`,
      hostsSection(summary),
    ],
    charts,
  };
}

// Each run of a comparison, in the order the runs were made.
function compareRuns(files: BundleFiles, compare: unknown) {
  const names = new Map<string, string>();
  for (const v of arr(field(compare, 'variants')))
    for (const r of arr(field(v, 'runs'))) {
      const dir = str(field(r, 'dir'));
      if (dir !== undefined) names.set(dir, str(field(v, 'name')) ?? dir);
    }
  const dirs = [
    ...new Set(
      [...files.keys()].flatMap((p) => /^runs\/([^/]+)\/summary\.json$/.exec(p)?.[1] ?? []),
    ),
  ].sort();
  return dirs.map((dir) => ({
    dir,
    variant: names.get(dir) ?? dir,
    summary: jsonAt(files, `runs/${dir}/summary.json`),
    data: runData(files, `runs/${dir}/`),
  }));
}

function compareBody(files: BundleFiles, summary: unknown): Body {
  const compare = jsonAt(files, 'compare.json') ?? field(summary, 'compare');
  const runs = compareRuns(files, compare);
  // Every run draws the loss counters that moved in any run: a variant
  // that removed the drops shows the same series, flat.
  const lossKeys = new Set(runs.flatMap((r) => [...movedLossKeys(r.data)]));
  const perRun = fitScales(runs.map((r, i) => runCharts(r.data, { id: `run${i + 1}`, lossKeys })));
  const bars = compareCharts(compare);
  const from = str(field(summary, 'findingsFrom'));
  return {
    title: `comparison, profile ${str(field(compare, 'profile')) ?? '?'}`,
    facts: compareFacts(compare, runs[0]?.data.hosts ?? []),
    sections: [
      findingsSection(summary, from),
      compareSection(compare, runs),
      `<section id="charts"><h2>Variants side by side</h2>${chartsBlock('Per variant', bars)}
<h2>Over time, one run above the other (same scales)</h2>
${runs.map((r, i) => runBlock(`${r.variant} (${r.dir})`, r.data, perRun[i]!)).join('\n')}</section>`,
      hostsSection(summary, from ? `Hosts (${from})` : 'Hosts'),
    ],
    charts: [...bars, ...perRun.flat()],
  };
}

// A fleet scan reads like a node bundle of many hosts, its ranking first.
function nodeBody(summary: unknown, scan?: unknown): Body {
  const charts = nodeCharts(summary);
  return {
    title: scan ? 'fleet scan' : 'node evidence',
    facts: nodeFacts(summary),
    sections: [
      ...(scan ? [scanSection(scan)] : []),
      findingsSection(summary),
      `<section id="charts"><h2>Counters since boot</h2>${chartsBlock('Per host', charts)}</section>`,
      hostsSection(summary),
    ],
    charts,
  };
}

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

export interface Report {
  html: string;
  kind: Kind;
  charts: number;
}

export function reportHtml(files: BundleFiles, lib: ChartLibrary, o: { version: string }): Report {
  const summary = jsonAt(files, 'summary.json');
  const manifest = jsonAt(files, 'manifest.json');
  const kind = kindOf(files, summary, manifest);
  const body =
    kind === 'compare'
      ? compareBody(files, summary)
      : kind === 'repro'
        ? reproBody(files, summary)
        : nodeBody(summary, kind === 'scan' ? (jsonAt(files, 'scan.json') ?? {}) : undefined);
  const charts = body.charts.map(safeSpec);
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(lib.js)} ${sha256(CLIENT_SCRIPT)}`,
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const caseId = str(field(summary, 'caseId'));
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(terminalField(`dropkit report: ${body.title}${caseId ? `, case ${caseId}` : ''}`))}</title>
<style>${lib.css}
${PAGE_STYLE}</style>
</head>
<body data-kind="${kind}">
<header class="page">
<h1>${h(`dropkit report: ${body.title}`)}</h1>
${factsList([...commonFacts(summary, manifest), ...body.facts])}
</header>
<main>
${body.sections.filter(Boolean).join('\n')}
</main>
<footer>Built by dropkit ${h(o.version)} from this bundle's redacted files; every figure here is also in summary.json and the files it names. Charts: uPlot (MIT), inlined. This page loads nothing from the network.</footer>
<script type="application/json" id="report-data">${jsonForHtml({ charts })}</script>
<script>${lib.js}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
  return { html, kind, charts: charts.length };
}
