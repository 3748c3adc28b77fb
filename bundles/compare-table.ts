import type { SettingChange } from '../repro/mitigations/types.js';
import { classesSeen, dropsOf } from './compare-aggregate.js';
import type { FigureChange } from './compare-change.js';
import {
  dropFigure,
  figureFor,
  formatPercent,
  showCount,
  showRate,
  showSpread,
} from './compare-figures.js';
import type { ComparedVariants, VariantResult } from './compare-variants.js';

// The comparison as a table (one row per variant, aggregated over its
// repeats) with its verdict lines: the same cells for summary.md (mdTable)
// and for the terminal (kit/cli/format-compare.ts). Pure.

export const CHANGE_COLUMN = 'change vs baseline';

export interface CompareTable {
  header: string[];
  rows: string[][];
  // One per variant other than the baseline.
  verdicts: string[];
  // How to read the table (ranges, single runs).
  notes: string[];
}

// `net.core.netdev_max_backlog 1000 → 32768 (receiver)`: one entry per
// setting, the roles that got it together.
export function settingsCell(settings: readonly SettingChange[]): string {
  if (!settings.length) return 'none';
  const groups = new Map<string, string[]>();
  for (const s of settings) {
    const key = `${s.setting} ${s.from} → ${s.to}`;
    const roles = groups.get(key) ?? [];
    if (!roles.includes(s.role)) roles.push(s.role);
    groups.set(key, roles);
  }
  return [...groups].map(([k, roles]) => `${k} (${roles.join(', ')})`).join('; ');
}

// The change column: what moved, in a few words; the verdict says it in full.
function changeWords(c: FigureChange): string | undefined {
  if (c.change === 'same' || c.figure === 'throughputP10Bps') return undefined;
  const f = figureFor(c.figure);
  const short = f.label.replace(/^receiver /, '').replace(/^(UDP|TCP) /, '');
  const sign = c.percent === undefined ? '' : c.percent >= 0 ? '+' : '−';
  const moved =
    f.better === 'higher' && c.percent !== undefined
      ? `${short} ${sign}${formatPercent(Math.abs(c.percent))}`
      : `${short} ${f.show(c.from)} → ${f.show(c.to)}`;
  return c.change === 'noise' ? `${moved} (noise)` : moved;
}

function changeCell(v: VariantResult, baseline: string | undefined): string {
  if (v.name === baseline) return 'baseline';
  if (!v.vsBaseline) return '-';
  const words = v.vsBaseline.changes.flatMap((c) => changeWords(c) ?? []);
  return words.length ? words.join(', ') : 'no change';
}

interface Column {
  title: string;
  cell: (v: VariantResult) => string;
}

function columns(c: ComparedVariants): Column[] {
  const vs = c.variants;
  const figs = vs.map((v) => v.figures);
  const classes = classesSeen(figs);
  const cols: Column[] = [
    { title: 'variant', cell: (v) => v.name },
    { title: 'settings', cell: (v) => settingsCell(v.settings) },
    { title: 'throughput median', cell: (v) => showSpread(v.figures.throughputBps, showRate) },
    { title: 'throughput p10', cell: (v) => showSpread(v.figures.throughputP10Bps, showRate) },
  ];
  if (figs.some((f) => f.lossPercent))
    cols.push({
      title: 'UDP loss',
      cell: (v) => showSpread(v.figures.lossPercent, (x) => formatPercent(Number(x))),
    });
  if (figs.some((f) => f.retransmits))
    cols.push({
      title: 'TCP retransmits',
      cell: (v) => showSpread(v.figures.retransmits, showCount),
    });
  for (const cls of classes)
    cols.push({
      title: dropFigure(cls).label,
      cell: (v) => showSpread(dropsOf(v.figures, cls), showCount),
    });
  if (!classes.length)
    cols.push({ title: 'drops', cell: (v) => (v.figures.dropsByClass ? 'none' : '-') });
  if (figs.some((f) => (f.squeezeEvents?.max ?? 0n) > 0n))
    cols.push({
      title: 'time_squeeze events',
      cell: (v) => showSpread(v.figures.squeezeEvents, showCount),
    });
  cols.push({ title: CHANGE_COLUMN, cell: (v) => changeCell(v, c.baseline) });
  return cols;
}

function notes(c: ComparedVariants): string[] {
  const runs = c.variants.map((v) => v.runs.length);
  if (runs.some((n) => n > 1))
    return [
      'Figures are medians over the repeats, with their min–max range in parentheses; a difference whose ranges overlap is within noise.',
    ];
  if (c.variants.length > 1)
    return [
      'One run per variant: each difference is a single observation; --repeat 3 or more shows the run-to-run spread.',
    ];
  return [];
}

export function compareTable(c: ComparedVariants): CompareTable {
  const cols = columns(c);
  return {
    header: cols.map((x) => x.title),
    rows: c.variants.map((v) => cols.map((x) => x.cell(v))),
    verdicts: c.variants.flatMap((v) => (v.verdict ? [v.verdict] : [])),
    notes: notes(c),
  };
}
