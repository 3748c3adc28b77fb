import { describe, expect, it } from 'vitest';
import { spread } from '../../bundles/compare-aggregate.js';
import { formatPercent } from '../../bundles/compare-figures.js';
import type { RunFigures } from '../../bundles/compare-metrics.js';
import { compareTable, settingsCell } from '../../bundles/compare-table.js';
import { compareVariants, type VariantInput } from '../../bundles/compare-variants.js';
import { BACKLOG_SETTING } from './compare-runs.js';

// The table and the verdicts from figures made by hand: what a change, a
// removal, noise, TCP and a missing baseline read like.

const M = 1e6;
const figures = (over: Partial<RunFigures> = {}): RunFigures => ({
  throughputBps: 900 * M,
  throughputP10Bps: 850 * M,
  lossPercent: 1.5,
  retransmits: undefined,
  dropsByClass: { BACKLOG: 4768n },
  squeezeEvents: 0n,
  ...over,
});
const variant = (name: string, runs: RunFigures[], settings = [BACKLOG_SETTING]): VariantInput => ({
  name,
  settings: name === 'baseline' ? [] : settings,
  runs: runs.map((f, i) => ({
    repeat: i + 1,
    dir: `0${i + 1}-${name}`,
    status: 'complete',
    figures: f,
  })),
});
const compare = (...vs: VariantInput[]) => {
  const c = compareVariants(vs);
  return { c, t: compareTable(c) };
};

describe('one run per variant', () => {
  it('backlog: drops removed, loss cut, throughput raised; the table says it in short', () => {
    const { c, t } = compare(
      variant('baseline', [figures()]),
      variant('backlog=32768', [
        figures({
          dropsByClass: {},
          lossPercent: 0,
          throughputBps: 950 * M,
          throughputP10Bps: 940 * M,
        }),
      ]),
    );
    expect(c.baseline).toBe('baseline');
    expect(t.verdicts).toEqual([
      'backlog=32768 removed all BACKLOG drops (4,768 → 0), cut UDP loss from 1.5% to 0.0% and raised receiver throughput from 900.0 Mbit/s to 950.0 Mbit/s (+5.6%)',
    ]);
    expect(t.header).toEqual([
      'variant',
      'settings',
      'throughput median',
      'throughput p10',
      'UDP loss',
      'BACKLOG drops',
      'change vs baseline',
    ]);
    expect(t.rows).toEqual([
      ['baseline', 'none', '900.0 Mbit/s', '850.0 Mbit/s', '1.5%', '4,768', 'baseline'],
      [
        'backlog=32768',
        'net.core.netdev_max_backlog 1000 → 32768 (receiver)',
        '950.0 Mbit/s',
        '940.0 Mbit/s',
        '0.0%',
        '0',
        'BACKLOG drops 4,768 → 0, loss 1.5% → 0.0%, throughput +5.6%',
      ],
    ]);
    expect(t.notes[0]).toMatch(/^One run per variant: each difference is a single observation/);
    const changes = c.variants[1]!.vsBaseline!.changes;
    expect(changes.find((x) => x.figure === 'drops.BACKLOG')).toEqual({
      figure: 'drops.BACKLOG',
      from: 4768n,
      to: 0n,
      change: 'removed',
      percent: -100,
    });
  });

  it('the same figures: no change; lower throughput and more drops are said as such', () => {
    const { t } = compare(
      variant('baseline', [figures()]),
      variant('ring=4096', [figures({ throughputBps: 900.04 * M })]),
      variant('rps', [
        figures({ throughputBps: 800 * M, dropsByClass: { BACKLOG: 4768n, SOCKET: 12n } }),
      ]),
    );
    expect(t.verdicts).toEqual([
      'ring=4096: no change against baseline',
      'rps raised SOCKET drops from 0 to 12 and lowered receiver throughput from 900.0 Mbit/s to 800.0 Mbit/s (−11.1%)',
    ]);
    expect(t.header).toContain('SOCKET drops');
    expect(t.rows.map((r) => r[r.length - 1])).toEqual([
      'baseline',
      'no change',
      'SOCKET drops 0 → 12, throughput −11.1%',
    ]);
  });

  it('TCP: retransmits instead of loss; no drop class gives one "drops" column', () => {
    const tcp = (retransmits: number) =>
      figures({ lossPercent: undefined, retransmits, dropsByClass: {} });
    const { t } = compare(variant('baseline', [tcp(1200)]), variant('rmem', [tcp(300)]));
    expect(t.verdicts).toEqual(['rmem cut TCP retransmits from 1,200 to 300']);
    expect(t.header).toEqual([
      'variant',
      'settings',
      'throughput median',
      'throughput p10',
      'TCP retransmits',
      'drops',
      'change vs baseline',
    ]);
    expect(t.rows[1]!.slice(4)).toEqual(['300', 'none', 'retransmits 1,200 → 300']);
  });
});

describe('repeats', () => {
  it('medians with their range; overlapping ranges are within noise, separate ones are not', () => {
    const base = [
      figures({ lossPercent: 1.2, throughputBps: 900 * M, dropsByClass: { BACKLOG: 4000n } }),
      figures({ lossPercent: 1.5, throughputBps: 910 * M, dropsByClass: { BACKLOG: 4768n } }),
      figures({ lossPercent: 1.8, throughputBps: 920 * M, dropsByClass: { BACKLOG: 5000n } }),
    ];
    const rps = [1.1, 1.4, 1.6].map((loss, i) =>
      figures({
        lossPercent: loss,
        throughputBps: (905 + 10 * i) * M,
        dropsByClass: { SOCKET: 12n },
      }),
    );
    const { c, t } = compare(variant('baseline', base), variant('rps', rps));
    expect(t.verdicts).toEqual([
      'rps removed all BACKLOG drops (4,768 → 0), raised SOCKET drops from 0 to 12, left UDP loss within noise (1.5% → 1.4%) and left receiver throughput within noise (910.0 Mbit/s → 915.0 Mbit/s)',
    ]);
    expect(t.rows[0]!.slice(2, 7)).toEqual([
      '910.0 Mbit/s (900.0 Mbit/s–920.0 Mbit/s)',
      '850.0 Mbit/s (850.0 Mbit/s–850.0 Mbit/s)',
      '1.5% (1.2%–1.8%)',
      '4,768 (4,000–5,000)',
      '0 (0–0)',
    ]);
    expect(t.rows[1]!.at(-1)).toBe(
      'BACKLOG drops 4,768 → 0, SOCKET drops 0 → 12, loss 1.5% → 1.4% (noise), throughput +0.55% (noise)',
    );
    expect(t.notes[0]).toMatch(
      /min–max range in parentheses; a difference whose ranges overlap is within noise/,
    );
    expect(c.variants[1]!.figures.lossPercent).toEqual({ median: 1.4, min: 1.1, max: 1.6, n: 3 });
  });

  it('a median of two drop counts stays an exact bigint, rounded down', () => {
    expect(spread([4769n, 4000n])).toEqual({ median: 4384n, min: 4000n, max: 4769n, n: 2 });
    expect(spread([undefined, 2, 1])).toEqual({ median: 1.5, min: 1, max: 2, n: 2 });
    expect(spread([undefined])).toBeUndefined();
  });
});

describe('without a baseline to compare with', () => {
  it('no variant named baseline: the first one is the baseline', () => {
    const { c, t } = compare(
      variant('ring=4096', [figures()]),
      variant('ring=4096+backlog', [figures({ dropsByClass: { BACKLOG: 100n } })]),
    );
    expect(c.baseline).toBe('ring=4096');
    expect(t.rows[0]![t.header.length - 1]).toBe('baseline');
    expect(t.verdicts).toEqual(['ring=4096+backlog cut BACKLOG drops from 4,768 to 100']);
  });

  it('a variant that did not run, and a baseline that did not', () => {
    let { t } = compare(variant('baseline', [figures()]), variant('budget', []));
    expect(t.verdicts).toEqual(['budget: did not run']);
    expect(t.rows[1]).toEqual(['budget', settingsCell([BACKLOG_SETTING]), '-', '-', '-', '-', '-']);
    ({ t } = compare(variant('baseline', []), variant('backlog', [figures()])));
    expect(t.verdicts).toEqual(['backlog: no baseline run to compare with']);
  });
});

describe('numbers', () => {
  it('a loss is written with enough digits to tell it from none', () => {
    expect([0, 0.0235, 0.5, 1.5, 12.345, 100].map(formatPercent)).toEqual([
      '0.0%',
      '0.024%',
      '0.5%',
      '1.5%',
      '12.3%',
      '100.0%',
    ]);
  });

  it('one setting on both hosts is one entry', () => {
    expect(
      settingsCell([
        { ...BACKLOG_SETTING, host: 'vmA', role: 'sender' },
        BACKLOG_SETTING,
        { ...BACKLOG_SETTING, setting: 'eth0 rx ring', from: '1024', to: '4096' },
      ]),
    ).toBe(
      'net.core.netdev_max_backlog 1000 → 32768 (sender, receiver); eth0 rx ring 1024 → 4096 (receiver)',
    );
  });
});
