import type { SettingChange } from '../repro/mitigations/types.js';
import { aggregate, type VariantFigures } from './compare-aggregate.js';
import { changesVs, type FigureChange } from './compare-change.js';
import type { RunFigures } from './compare-metrics.js';
import { verdictLine } from './compare-verdict.js';

// Each variant's runs, aggregated, set against the baseline, with its
// verdict. Pure.

export interface VariantRunFigures {
  repeat: number;
  // Its folder under runs/ and hosts/<host>/.
  dir: string;
  status: 'complete' | 'partial';
  figures: RunFigures;
}

export interface VariantInput {
  name: string;
  settings: SettingChange[];
  runs: VariantRunFigures[];
}

export interface VariantResult extends VariantInput {
  figures: VariantFigures;
  // Absent for the baseline itself.
  vsBaseline?: { baseline: string; changes: FigureChange[] };
  verdict?: string;
}

export interface ComparedVariants {
  // Undefined only when there is no variant at all.
  baseline: string | undefined;
  variants: VariantResult[];
}

// The variant named `baseline`, else the first one asked for.
export function baselineOf(names: readonly string[]): string | undefined {
  return names.includes('baseline') ? 'baseline' : names[0];
}

function judged(
  v: VariantResult,
  base: VariantResult | undefined,
  baseline: string,
): VariantResult {
  if (!v.runs.length) return { ...v, verdict: `${v.name}: did not run` };
  if (!base?.runs.length) return { ...v, verdict: `${v.name}: no ${baseline} run to compare with` };
  const changes = changesVs(base.figures, v.figures);
  if (!changes.length)
    return {
      ...v,
      vsBaseline: { baseline, changes },
      verdict: `${v.name}: nothing to compare with ${baseline} (no traffic result or diagnosis in common)`,
    };
  // Said, so that "no change" is never read as "no drop" for a run whose
  // drops are unknown.
  const unknown =
    v.figures.diagnosedRuns < v.runs.length || base.figures.diagnosedRuns < base.runs.length
      ? "; drops not compared where a run lacks a host's snapshots"
      : '';
  return {
    ...v,
    vsBaseline: { baseline, changes },
    verdict: `${verdictLine(v.name, baseline, changes)}${unknown}`,
  };
}

export function compareVariants(input: readonly VariantInput[]): ComparedVariants {
  const baseline = baselineOf(input.map((v) => v.name));
  const results: VariantResult[] = input.map((v) => ({
    ...v,
    figures: aggregate(v.runs.map((r) => r.figures)),
  }));
  const base = results.find((v) => v.name === baseline);
  return {
    baseline,
    variants: results.map((v) =>
      v.name === baseline || baseline === undefined ? v : judged(v, base, baseline),
    ),
  };
}
