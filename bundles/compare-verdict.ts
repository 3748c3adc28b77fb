import type { FigureChange } from './compare-change.js';
import { figureFor, formatPercent } from './compare-figures.js';

// One sentence per variant: what it did to each figure against the
// baseline, e.g. "backlog=32768 removed all BACKLOG drops (4,768 → 0) and
// cut UDP loss from 1.5% to 0.0%". Pure.

// The verdict names the median throughput only; the 10th percentile is in
// the table and in compare.json.
const IN_VERDICT = (c: FigureChange) => c.figure !== 'throughputP10Bps';

function signed(p: number | undefined): string {
  if (p === undefined) return '';
  return ` (${p >= 0 ? '+' : '−'}${formatPercent(Math.abs(p))})`;
}

export function clause(c: FigureChange): string | undefined {
  const f = figureFor(c.figure);
  const [a, b] = [f.show(c.from), f.show(c.to)];
  const rate = f.better === 'higher' ? signed(c.percent) : '';
  switch (c.change) {
    case 'same':
      return undefined;
    case 'removed':
      return `removed all ${f.label} (${a} → ${b})`;
    case 'noise':
      return `left ${f.label} within noise (${a} → ${b})`;
    default:
      return `${c.change} ${f.label} from ${a} to ${b}${rate}`;
  }
}

// "a", "a and b", "a, b and c".
export function joinClauses(parts: readonly string[]): string {
  if (parts.length < 2) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export function verdictLine(name: string, baseline: string, changes: FigureChange[]): string {
  const parts = changes.filter(IN_VERDICT).flatMap((c) => clause(c) ?? []);
  return parts.length ? `${name} ${joinClauses(parts)}` : `${name}: no change against ${baseline}`;
}
