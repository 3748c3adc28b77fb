import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectNodeBundle } from '../../../bundles/collect-node-bundle.js';
import { sha256 } from '../../../bundles/entries.js';
import type { Manifest } from '../../../bundles/manifest.js';
import type { ChartSpec } from '../../../bundles/report/chart-spec.js';
import { reproBundleParts } from '../../../bundles/repro-bundle.js';
import { verifyBundle } from '../../../bundles/verify.js';
import { writeParts } from '../../../bundles/write-parts.js';
import { DropkitError } from '../../../kit/errors.js';
import { fixture } from '../../collectors/fixture-files.js';
import { capture } from '../../fakes/captures.js';
import { FakeTransport } from '../../fakes/fake-transport.js';
import { snapshotOutput } from '../../fakes/host-output.js';
import { fakeRun } from '../compare-runs.js';
import { bundleFiles, embeddedCharts, jsonOf } from './fixture-bundle.js';

// Every bundle the writers make holds report.html, built from its redacted
// files, listed in its manifest and covered by verify and the leak scan:
// a node bundle from fake hosts answering with real captures, and a repro
// bundle from a whole `repro run` against the fake pair.

const SNAPSHOT = 'snapshot: snapshot script';
const SOFTNET = fixture('softnet_stat/blog-4cpu-11col-time_squeeze-nonzero.txt');
const PROC_NET_DEV = fixture('proc_net_dev/debian11-laptop-lo-enp0s31f6-wlp3s0.txt');
const RING = fixture('ethtool_g/ena-aws-ens5-tabs-na.txt');
const STATS = fixture('ethtool_S/ethq-test-sfc.txt');

let dir: string;
const savedConfig = process.env['XDG_CONFIG_HOME'];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-report-'));
  process.env['XDG_CONFIG_HOME'] = join(dir, 'config');
});
afterAll(async () => {
  if (savedConfig === undefined) delete process.env['XDG_CONFIG_HOME'];
  else process.env['XDG_CONFIG_HOME'] = savedConfig;
  await rm(dir, { recursive: true, force: true });
});

function host(name: 'vmA' | 'vmB'): FakeTransport {
  return new FakeTransport(name, {
    [SNAPSHOT]: (call) => ({
      stdout: snapshotOutput(call.req.script!, [
        { id: 'uname', body: capture(`uname-${name}.txt`) },
        { id: 'hostname', body: capture(`hostname-${name}.txt`) },
        { id: 'proc_net_dev', body: PROC_NET_DEV },
        { id: 'softnet_stat', body: SOFTNET },
        { id: 'ethtool_g', iface: 'enp0s31f6', body: RING },
        { id: 'ethtool_S', iface: 'enp0s31f6', body: STATS },
      ]),
    }),
  });
}

async function nodeBundle(redact: boolean) {
  const hosts: Record<string, FakeTransport> = { vmA: host('vmA'), vmB: host('vmB') };
  return collectNodeBundle({
    specs: ['vmA', 'vmB'],
    open: async (spec) => {
      const t = hosts[spec];
      if (!t) throw new DropkitError({ code: 'CONNECT_TIMEOUT', message: 'x', host: spec });
      return t;
    },
    signal: new AbortController().signal,
    command: ['collect', 'bundle'],
    outDir: join(dir, redact ? 'redacted' : 'clear'),
    redact,
    keywords: [],
    onLog: () => undefined,
  });
}

const chart = (charts: ChartSpec[], id: string) => charts.find((c) => c.id === id)!;

// Listed with its sha256, verified like any file.
async function checkListed(file: string, manifest: Manifest) {
  const files = await bundleFiles(file);
  const report = files.get('report.html')!;
  expect(report).toBeDefined();
  const entry = manifest.files.find((f) => f.path === 'report.html')!;
  expect(entry).toEqual({ path: 'report.html', sha256: sha256(report), bytes: report.length });
  const v = await verifyBundle(file);
  expect(v.problems).toEqual([]);
  expect(v.ok).toBe(true);
  return { files, html: report.toString('utf8') };
}

describe('a node bundle', () => {
  it('holds report.html: loss counters, rings against their maximum, softnet per CPU', async () => {
    const out = await nodeBundle(false);
    const { files, html } = await checkListed(out.written.file, out.written.manifest);
    const charts = embeddedCharts(html);
    expect(html).toContain('<body data-kind="node">');
    const summary = jsonOf<{ hosts: Array<{ host: string }> }>(files, 'summary.json');
    const names = summary.hosts.map((x) => x.host);
    expect(names).toHaveLength(2);

    const loss = chart(charts, 'node-loss');
    // The sfc capture's one non-zero loss counter, as summary.json lists it.
    expect(loss.categories).toEqual(['enp0s31f6 port_rx_dp_di_dropped_packets']);
    expect(loss.series.map((s) => [s.host, s.values])).toEqual(names.map((n) => [n, [27]]));

    // The ENA capture: RX 1024 in use of 16384, TX 1024 of 1024.
    const rx = chart(charts, 'node-ring-rx');
    expect(rx.categories).toEqual(names.map((n) => `${n} enp0s31f6`));
    expect(rx.series.map((s) => [s.label, s.values])).toEqual([
      ['rx ring in use', [1024, 1024]],
      ['rx ring maximum', [16384, 16384]],
    ]);
    expect(chart(charts, 'node-ring-tx').series.map((s) => s.values)).toEqual([
      [1024, 1024],
      [1024, 1024],
    ]);
    expect(html).toContain('<td>1024 of 16384</td>');

    // The capture's column 3, per CPU: 0x36, 0x163, 0xfd, 0x2b8.
    const squeeze = chart(charts, 'node-softnet-squeeze');
    expect(squeeze.categories).toEqual(['cpu0', 'cpu1', 'cpu2', 'cpu3']);
    expect(squeeze.series[0]!.values).toEqual([0x36, 0x163, 0xfd, 0x2b8]);
    expect(html).toContain('<h4>Loss counters since boot</h4>');
  });

  it('redacted: the report names hosts as the manifest does, never by their names', async () => {
    const out = await nodeBundle(true);
    const { html } = await checkListed(out.written.file, out.written.manifest);
    const pseudonyms = out.written.manifest.hosts.map((x) => x.host);
    expect(pseudonyms).not.toContain('vmA');
    expect(chart(embeddedCharts(html), 'node-loss').series.map((s) => s.host)).toEqual(pseudonyms);
    expect(html).not.toMatch(/\bvm[AB]\b/);
  });
});

describe('a repro bundle', () => {
  it('holds report.html with the run’s drops, reasons and throughput on one time axis', async () => {
    const rec = await fakeRun(7);
    const parts = reproBundleParts(rec, {
      createdAt: new Date('2026-01-01T00:00:00Z'),
      command: ['repro', 'run', '--pair', 'vmA', 'vmB'],
      redacted: false,
    });
    const out = await writeParts('repro', parts, {
      command: ['repro', 'run'],
      outDir: join(dir, 'repro'),
      redact: false,
      keywords: [],
      createdAt: new Date('2026-01-01T00:00:00Z'),
    });
    const { html } = await checkListed(out.written.file, out.written.manifest);
    expect(html).toContain('<body data-kind="repro">');
    const charts = embeddedCharts(html);
    // The fake tracer gives no wall-clock reference: its rows are not
    // charted, and the page says why.
    expect(chart(charts, 'run-reasons')).toBeUndefined();
    expect(html).toContain('The drop trace&#39;s 1 row(s) could not be placed on the time axis');
    // No loss counter moved on the fake hosts: the receiver's softnet drops, flat.
    const drops = chart(charts, 'run-drops');
    expect(drops.series.map((s) => [s.host, s.counter])).toEqual([
      ['vmB', 'softnet.cpu0.dropped'],
      ['vmB', 'softnet.cpu1.dropped'],
    ]);
    expect(drops.caption).toMatch(/^No loss counter moved during the run/);
    expect(drops.bands!.map((b) => b.label)).toEqual(rec.phases.map((p) => p.phase));
    const throughput = chart(charts, 'run-throughput');
    expect(throughput.series.map((s) => s.host)).toEqual(['vmB']);
    expect(throughput.series[0]!.values.filter((v) => v !== null).length).toBeGreaterThan(0);
    // Each finding's fix is on its card.
    for (const f of parts.summary.findings) expect(html).toContain(f.fix[0]!);
  });
});
