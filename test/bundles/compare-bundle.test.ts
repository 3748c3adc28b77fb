import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarGz } from '../../bundles/archive.js';
import { compareBundleParts } from '../../bundles/compare-bundle.js';
import { pathSegment, runDirs } from '../../bundles/compare-layout.js';
import { checkEntryPaths } from '../../bundles/entries.js';
import type { Manifest } from '../../bundles/manifest.js';
import { verifyBundle } from '../../bundles/verify.js';
import { writeParts } from '../../bundles/write-parts.js';
import { loadCapture } from '../../collectors/offline/load.js';
import { formatCompare } from '../../kit/cli/format-compare.js';
import type { CompareRecord, VariantRun } from '../../repro/compare/record.js';
import { runRepro } from '../../repro/run/run.js';
import { LOSE } from '../fakes/fake-transport.js';
import * as h from '../repro/run-hosts.js';
import { BACKLOG_SETTING, backlogComparison, compareRecord, fakeRun } from './compare-runs.js';

// A whole comparison bundle from real fake-host runs: where each run's files
// go, what the top-level summary and compare.json say, a host left changed,
// and the bundle written, read back, verified and analysed.

const META = {
  createdAt: new Date('2026-01-01T00:00:00Z'),
  command: ['repro', 'compare', '--pair', 'vmA', 'vmB'],
  redacted: false,
};

let cr: CompareRecord;
let dir: string;
const savedConfig = process.env['XDG_CONFIG_HOME'];
beforeAll(async () => {
  cr = await backlogComparison();
  dir = await mkdtemp(join(tmpdir(), 'dropkit-compare-'));
  // The case keys are made here, never in the user's ~/.config.
  process.env['XDG_CONFIG_HOME'] = join(dir, 'config');
});
afterAll(async () => {
  if (savedConfig === undefined) delete process.env['XDG_CONFIG_HOME'];
  else process.env['XDG_CONFIG_HOME'] = savedConfig;
  await rm(dir, { recursive: true, force: true });
});

const text = (parts: ReturnType<typeof compareBundleParts>, path: string) =>
  parts.files.find((f) => f.path === path)?.bytes.toString('utf8');

describe('the layout', () => {
  it("each run's repro bundle under runs/<dir>/ and hosts/<host>/<dir>/, one folder per host", () => {
    const parts = compareBundleParts(cr, META);
    const paths = parts.files.map((f) => f.path);
    expect(paths.slice(0, 3)).toEqual(['summary.md', 'summary.json', 'compare.json']);
    for (const d of ['01-baseline', '02-backlog=32768'])
      for (const f of [
        'summary.md',
        'summary.json',
        'repro/run.json',
        'repro/iperf3/burst-server.json',
      ])
        expect(paths).toContain(`runs/${d}/${f}`);
    expect(parts.hosts.map((h) => [h.label, h.spec, h.status])).toEqual([
      ['vmA', 'vmA', 'complete'],
      ['vmB', 'vmB', 'complete'],
    ]);
    expect(parts.hosts[1]!.rawSets.map((s) => `${s.dir}:${s.raw.length}`)).toEqual([
      '01-baseline/before:5',
      '01-baseline/after:5',
      '02-backlog=32768/before:5',
      '02-backlog=32768/after:5',
    ]);
    expect(parts.hosts[1]!.files.map((f) => f.path)).toEqual([
      '01-baseline/before/snapshot.json',
      '01-baseline/after/snapshot.json',
      '01-baseline/delta.json',
      '02-backlog=32768/before/snapshot.json',
      '02-backlog=32768/after/snapshot.json',
      '02-backlog=32768/delta.json',
    ]);
    expect(() => checkEntryPaths(parts.files)).not.toThrow();
  });

  it('run folders: readable, numbered in the order the runs ran, one segment whatever the name', () => {
    const run = (variant: string, repeat: number) => ({ variant, repeat }) as VariantRun;
    expect(runDirs([run('baseline', 1), run('ring=4096+backlog@B', 1)], 1)).toEqual([
      '01-baseline',
      '02-ring=4096+backlog@B',
    ]);
    expect(runDirs([run('baseline', 1), run('rps', 1), run('baseline', 2)], 2)).toEqual([
      '01-baseline-r1',
      '02-rps-r1',
      '03-baseline-r2',
    ]);
    expect(['../x', 'a b/c', '\u001b[2J', '', '..'].map(pathSegment)).toEqual([
      '..-x',
      'a-b-c',
      '2J',
      'variant',
      '..',
    ]);
  });
});

describe('the summary and compare.json', () => {
  it('open with the table, then the verdicts, what was changed, the runs, and the findings', () => {
    const parts = compareBundleParts(cr, META);
    const md = text(parts, 'summary.md')!;
    expect(md.split('\n').slice(0, 6)).toEqual([
      '# dropkit packet-loss comparison',
      '',
      'Case (none) · created 2026-01-01T00:00:00.000Z · status **COMPLETE** · hosts: vmA (complete), vmB (complete)',
      '',
      '## Comparison',
      '',
    ]);
    const at = (s: string) => md.indexOf(s);
    const order = [
      '## Comparison',
      '## Verdicts',
      '## What was changed and restored',
      '## Runs',
      '## Findings',
    ];
    expect(order.map(at)).toEqual([...order.map(at)].sort((a, b) => a - b));
    expect(at('## Comparison')).toBeGreaterThan(0);
    expect(md).toContain(
      '| variant | settings | throughput median | throughput p10 | UDP loss | BACKLOG drops | change vs baseline |',
    );
    expect(md).toContain(
      '| baseline | none | 999.7 Mbit/s | 998.6 Mbit/s | 0.024% | 7 | baseline |',
    );
    expect(md).toContain('- backlog=32768 removed all BACKLOG drops (7 → 0)\n');
    expect(md).toContain(
      '### vmB (receiver)\n\n- backlog=32768: `net.core.netdev_max_backlog` 1000 → 32768\n\nRestored: every changed value read back equal to its original.',
    );
    expect(md).toContain(
      '### vmA (sender)\n\n- no setting changed\n\nNothing was changed on this host.',
    );
    expect(md).toContain(
      '- [01-baseline](runs/01-baseline/summary.md): baseline, repeat 1, complete, ',
    );
    expect(md).toContain('- **BACKLOG** ');
    expect(md).toContain('those of `runs/01-baseline/`');
    expect(md).toContain('`hosts/<host>/<run>/{before,after}/raw/`');
  });

  it('compare.json has each variant with its figures, runs, change and verdict', () => {
    const parts = compareBundleParts(cr, META);
    const j = JSON.parse(text(parts, 'compare.json')!);
    expect(j).toMatchObject({
      schema: 'dropkit.compare/1',
      status: 'complete',
      profile: 'burst-test',
      order: 'interleaved',
      repeats: 1,
      baseline: 'baseline',
      interrupted: false,
      error: null,
      restore: [
        { host: 'vmA', role: 'sender', status: 'unchanged', command: null },
        { host: 'vmB', role: 'receiver', status: 'restored', command: null },
      ],
    });
    const [base, backlog] = j.variants;
    expect(base).toMatchObject({
      name: 'baseline',
      settings: [],
      throughputP10Bps: 998_641_895.4429975,
      retransmits: null,
      dropsByClass: { BACKLOG: 7 },
      squeezeEvents: 0,
      runs: [{ repeat: 1, dir: '01-baseline', status: 'complete', dropsByClass: { BACKLOG: 7 } }],
      vsBaseline: null,
      verdict: null,
    });
    expect(base.lossPercent).toBeCloseTo((100 * 42) / 178_560, 9);
    expect(base.range).toBeUndefined();
    expect(backlog).toMatchObject({
      name: 'backlog=32768',
      settings: [{ ...BACKLOG_SETTING, host: 'vmB' }],
      dropsByClass: { BACKLOG: 0 },
      verdict: 'backlog=32768 removed all BACKLOG drops (7 → 0)',
    });
    expect(backlog.vsBaseline.changes[0]).toEqual({
      figure: 'drops.BACKLOG',
      from: 7,
      to: 0,
      change: 'removed',
      percent: -100,
    });
    // The json returned is compare.json's content; summary.json holds it too.
    expect(
      JSON.parse(JSON.stringify(parts.json, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))),
    ).toEqual(j);
    const summary = JSON.parse(text(parts, 'summary.json')!);
    expect([summary.kind, summary.findingsFrom, summary.findings[0].class]).toEqual([
      'compare',
      'runs/01-baseline',
      'BACKLOG',
    ]);
    expect(summary.compare).toEqual(j);
  });

  it('repeats: per-run figures and the range; runs named with their repeat', async () => {
    const runs: VariantRun[] = [
      { variant: 'baseline', repeat: 1, settings: [], rec: await fakeRun(7) },
      { variant: 'baseline', repeat: 2, settings: [], rec: await fakeRun(9) },
      { variant: 'backlog=32768', repeat: 1, settings: [BACKLOG_SETTING], rec: await fakeRun(0) },
      { variant: 'backlog=32768', repeat: 2, settings: [BACKLOG_SETTING], rec: await fakeRun(1) },
    ];
    const parts = compareBundleParts(compareRecord(runs, { order: 'blocked' }), META);
    const j = JSON.parse(text(parts, 'compare.json')!);
    expect(j.repeats).toBe(2);
    expect(j.variants[0].runs.map((r: { dir: string }) => r.dir)).toEqual([
      '01-baseline-r1',
      '02-baseline-r2',
    ]);
    expect(j.variants[0].dropsByClass).toEqual({ BACKLOG: 8 });
    expect(j.variants[0].range.dropsByClass).toEqual({ BACKLOG: [7, 9] });
    expect(j.variants[1].range.dropsByClass).toEqual({ BACKLOG: [0, 1] });
    // 8 → 0 (rounded down from 0.5), the ranges 7–9 and 0–1 apart.
    expect(j.variants[1].verdict).toBe('backlog=32768 removed all BACKLOG drops (8 → 0)');
    expect(parts.table.rows[0]).toContain('8 (7–9)');
    expect(text(parts, 'summary.md')).toContain('min–max range in parentheses');
  });
});

describe('a run that lost a host', () => {
  it('makes the host and the bundle partial, and claims nothing about its drops', async () => {
    const p = h.pair({ vmB: () => ({ [h.SNAPSHOT_AFTER]: LOSE }) });
    const lost = await runRepro(h.options(p));
    const runs: VariantRun[] = [
      { variant: 'baseline', repeat: 1, settings: [], rec: await fakeRun(7) },
      { variant: 'backlog=32768', repeat: 1, settings: [BACKLOG_SETTING], rec: lost },
    ];
    const parts = compareBundleParts(compareRecord(runs), META);
    expect(parts.status).toBe('partial');
    expect(parts.hosts.map((x) => x.status)).toEqual(['complete', 'partial']);
    expect(parts.hosts[1]!.error).toMatch(/^02-backlog=32768: /);
    expect(parts.hosts[1]!.rawSets.map((s) => s.dir)).toEqual([
      '01-baseline/before',
      '01-baseline/after',
      '02-backlog=32768/before',
    ]);
    const backlog = parts.json.variants[1]!;
    expect([backlog.dropsByClass, backlog.runs[0]!.status]).toEqual([null, 'partial']);
    // The traffic had ended: its figures are there; drops are not compared.
    expect(backlog.verdict).toBe(
      "backlog=32768: no change against baseline; drops not compared where a run lacks a host's snapshots",
    );
    expect(text(parts, 'summary.md')).toContain(
      '| backlog=32768 | net.core.netdev_max_backlog 1000 → 32768 (receiver) | 999.7 Mbit/s | 998.6 Mbit/s | 0.024% | - | no change |',
    );
  });
});

describe('a host left changed', () => {
  it('is loud: partial, the restore command in summary.md, compare.json and on the terminal', async () => {
    const pending = await backlogComparison({
      restore: [
        { host: 'vmA', status: 'unchanged' },
        {
          host: 'vmB',
          status: 'pending',
          detail: 'connection lost\u001b[2J',
          script: '/run/dropkit-restore.sh',
        },
      ],
    });
    const parts = compareBundleParts(pending, META);
    expect(parts.status).toBe('partial');
    const md = text(parts, 'summary.md')!;
    expect(md).toContain('status **PARTIAL**');
    expect(md).toContain(
      '**NOT RESTORED: the host could not be reached or verified: connection lost\\e[2J.** Its settings may still be changed (its restore script is still on it: `/run/dropkit-restore.sh`). Restore them now: `repro restore --pair vmA vmB`.',
    );
    expect(parts.json.restore[1]).toEqual({
      host: 'vmB',
      role: 'receiver',
      status: 'pending',
      detail: 'connection lost\u001b[2J',
      script: '/run/dropkit-restore.sh',
      command: 'repro restore --pair vmA vmB',
    });
    const out = formatCompare(parts.table, parts.json);
    expect(out).not.toContain('\u001b');
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      'NOT RESTORED (could not be reached or verified): vmB (receiver): connection lost\\e[2J; run: repro restore --pair vmA vmB',
    );
    expect(out).toContain('verdicts:\n  backlog=32768 removed all BACKLOG drops (7 → 0)');
  });
});

describe('the written bundle', () => {
  it('passes the path check and the leak scan, verifies, and `collect analyze` reads its first run', async () => {
    const parts = compareBundleParts(cr, { ...META, redacted: true });
    const out = await writeParts('compare', parts, {
      command: META.command,
      outDir: join(dir, 'out'),
      redact: true,
      keywords: [],
      createdAt: META.createdAt,
    });
    expect(out.exitCode).toBe(0);
    const m: Manifest = out.written.manifest;
    expect([m.kind, m.status, m.hosts.length]).toEqual(['compare', 'complete', 2]);
    expect(out.written.file).toMatch(/-compare-2-hosts\.tar\.gz$/);
    const back = await readTarGz(out.written.file);
    const top = back.entries[0]!.path.split('/')[0]!;
    const paths = back.entries.map((e) => e.path.slice(top.length + 1));
    const receiver = m.hosts[1]!.host;
    expect(receiver).not.toBe('vmB');
    // Each run's own summary.md names where its snapshots are in this bundle.
    const runMd = back.entries.find((e) => e.path.endsWith('/runs/02-backlog=32768/summary.md'));
    expect(runMd?.bytes.toString('utf8')).toContain(
      'Raw outputs are under `hosts/<host>/02-backlog=32768/{before,after}/raw/`, parsed ones in `hosts/<host>/02-backlog=32768/{before,after}/snapshot.json`',
    );
    for (const p of [
      'compare.json',
      'runs/02-backlog=32768/summary.md',
      `hosts/${receiver}/01-baseline/after/raw/proc/net/softnet_stat`,
      `hosts/${receiver}/02-backlog=32768/delta.json`,
    ])
      expect(paths).toContain(p);
    expect(m.files.map((f) => f.path).sort()).toEqual(
      paths.filter((p) => p !== 'manifest.json').sort(),
    );
    const verified = await verifyBundle(out.written.file);
    expect(verified.problems).toEqual([]);
    const capture = await loadCapture(out.written.file);
    expect(capture.after.map((s) => s.host).sort()).toEqual(m.hosts.map((h) => h.host).sort());
    expect(capture.before).toHaveLength(2);
  });
});
