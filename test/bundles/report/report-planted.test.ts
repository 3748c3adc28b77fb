import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartSpec } from '../../../bundles/report/chart-spec.js';
import { writeBundle } from '../../../bundles/write-bundle.js';
import type { RawFile } from '../../../collectors/model.js';
import { CORPUS, PLANTED } from '../redact/corpus.js';
import { bundleFiles, embeddedCharts } from './fixture-bundle.js';

// The planted-secret corpus (test/bundles/redact/corpus.ts) as a host's raw
// outputs, and its every line again in the findings, host and interface
// names of the summary and the time series: the bundle's report.html, made
// from the redacted files, holds no planted value under any spelling.

const HOST = PLANTED.hostname;
const ALL_PLANTED: string[] = Object.values(PLANTED).flat();
// Where the writer's discovery reads a host's own names and addresses.
const PLACES: Record<string, string> = {
  'raw/etc_hosts.txt': 'host/etc-hosts',
  'raw/resolv_conf.txt': 'host/resolv.conf',
  'raw/hostname.txt': 'host/hostname.txt',
  'raw/imds_instance.json': 'host/cloud-identity.json',
};

const raw = (path: string, text: string): RawFile => ({
  path,
  bytes: Buffer.from(text),
  record: { id: 'corpus', rawPath: path, source: `cat ${path}`, exitCode: 0, ok: true, bytes: 0 },
});

const json = (v: unknown) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`);
// Lines as a finding could quote them. Left to the raw files: the private
// key block (one marker however many lines it spans, across JSON strings
// too) and lines with a double quote, which JSON escapes (`key=\"value\"`)
// and the redactor's quoted-secret rule then cuts short, leaving
// summary.json unreadable.
const lines = CORPUS.filter((f) => f.path !== 'raw/pem.txt')
  .flatMap((f) => f.text.split('\n'))
  .filter((l) => l.trim() && !l.includes('"'));

function topFiles() {
  const summary = {
    schema: 'dropkit.summary/1',
    kind: 'repro',
    caseId: null,
    status: 'complete',
    redacted: true,
    findings: [
      {
        class: 'BACKLOG',
        severity: 'critical',
        host: HOST,
        line: `${HOST} cpu1 (10.224.0.4, 00:0d:3a:12:34:56): 7 packets dropped. Fix: \`sysctl -w net.core.netdev_max_backlog=32768\``,
        explanation: `The backlog of ${HOST} (${PLANTED.ipv6[0]}) overflowed.`,
        confidence: 'high',
        unknown: [],
        evidence: lines,
        fix: ['sysctl -w net.core.netdev_max_backlog=32768', `# note: on ${HOST}, 10.224.0.4`],
        persistent: [],
      },
    ],
    checked: [],
    hosts: [{ host: HOST, status: 'complete', nics: [{ name: 'eth0', kind: 'veth' }], loss: [] }],
    repro: { profile: 'microburst', sender: 'aks-nodepool1-12345678-vmss000001', receiver: HOST },
  };
  const series = ['t_ms,time,host,role,key,value'];
  for (let i = 0; i < 20; i++)
    for (const key of ['softnet.cpu1.dropped', 'iface.eth0.rx_dropped'])
      series.push(`${1000 + i * 100},x,${HOST},receiver,${key},${i * i * 10}`);
  return [
    { path: 'summary.json', bytes: json(summary) },
    { path: 'repro/series.csv', bytes: Buffer.from(`${series.join('\n')}\n`) },
    {
      path: 'repro/phases.json',
      bytes: json({ phases: [{ phase: 'burst', startMs: 1000, endMs: 3000 }] }),
    },
    {
      path: 'repro/trace/receiver-kfree_skb.csv',
      bytes: Buffer.from(
        `t_ms,time,uptime_s,host,reason,location,count\n2000,x,1,${HOST},CPU_BACKLOG,enqueue_to_backlog,7\n`,
      ),
    },
  ];
}

let dir: string;
let html: string;
let hostToken: string;
let summaryRead: { findings: Array<{ evidence: string[] }> };
const savedConfig = process.env['XDG_CONFIG_HOME'];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dropkit-report-planted-'));
  process.env['XDG_CONFIG_HOME'] = join(dir, 'config');
  // The writer's own leak scan would refuse the bundle on any hit.
  const w = await writeBundle({
    kind: 'repro',
    status: 'complete',
    command: ['repro', 'run', '--pair', 'azureuser@10.224.0.5', `azureuser@${HOST}`],
    outDir: join(dir, 'out'),
    redact: true,
    keywords: ['Contoso'],
    hosts: [
      {
        label: HOST,
        spec: `azureuser@${HOST}`,
        user: 'azureuser',
        status: 'complete',
        rawSets: [{ dir: '', raw: CORPUS.map((f) => raw(PLACES[f.path] ?? f.path, f.text)) }],
        files: [],
      },
    ],
    files: topFiles(),
    createdAt: new Date('2026-01-01T00:00:00Z'),
  });
  hostToken = w.manifest.hosts[0]!.host;
  const files = await bundleFiles(w.file);
  summaryRead = JSON.parse(files.get('summary.json')!.toString('utf8'));
  html = files.get('report.html')!.toString('utf8');
});
afterAll(async () => {
  if (savedConfig === undefined) delete process.env['XDG_CONFIG_HOME'];
  else process.env['XDG_CONFIG_HOME'] = savedConfig;
  await rm(dir, { recursive: true, force: true });
});

describe('report.html of a bundle made of the planted corpus', () => {
  it('holds the corpus’s lines, redacted (the test is not vacuous)', () => {
    expect(lines.length).toBeGreaterThan(150);
    expect(summaryRead.findings[0]!.evidence).toHaveLength(lines.length);
    expect(hostToken).not.toBe(HOST);
    expect(html).toContain(`data-host="${hostToken}"`);
    // Every evidence line is on the finding's card.
    expect(html.match(/<li>/g)!.length).toBeGreaterThanOrEqual(lines.length);
    const drops = embeddedCharts(html).find((c: ChartSpec) => c.id === 'run-drops')!;
    expect(drops.series.map((s) => s.host)).toEqual([hostToken, hostToken]);
  });

  it('holds no planted value under any spelling', () => {
    const lower = html.toLowerCase();
    expect(ALL_PLANTED.filter((v) => lower.includes(v.toLowerCase()))).toEqual([]);
    // Nor HTML-escaped: a value with & or ' could hide behind an entity.
    const decoded = lower
      .replaceAll('&amp;', '&')
      .replaceAll('&#39;', "'")
      .replaceAll('&quot;', '"');
    expect(ALL_PLANTED.filter((v) => decoded.includes(v.toLowerCase()))).toEqual([]);
  });
});
