import type { CompareRecord } from '../repro/compare/record.js';
import type { BundleHost } from './bundle-input.js';
import { type CompareJson, compareJson } from './compare-json.js';
import { mergedHosts, runDirs, runTopFiles } from './compare-layout.js';
import { runFigures } from './compare-metrics.js';
import { type HostState, hostStates, isRestored } from './compare-restore.js';
import {
  type CompareSummary,
  compareSummary,
  compareSummaryMd,
  findingsRun,
  type SummaryRun,
} from './compare-summary.js';
import { type CompareTable, compareTable } from './compare-table.js';
import { type ComparedVariants, compareVariants } from './compare-variants.js';
import { type BundleEntry, jsonEntry } from './entries.js';
import { SUMMARY_JSON, SUMMARY_MD } from './manifest.js';
import { type ReproMeta, reproBundleParts } from './repro-bundle.js';

// A comparison bundle (kind `compare`): each run's repro bundle, as
// `repro run` would have written it, under its own folder, and on top the
// table, the verdicts, what was changed and restored, and compare.json.
// Pure; written by writeParts('compare', parts, …).

export const COMPARE_JSON = 'compare.json';

export interface CompareParts {
  hosts: BundleHost[];
  files: BundleEntry[];
  summary: CompareSummary;
  status: CompareSummary['status'];
  // For the terminal (kit/cli/format-compare.ts).
  table: CompareTable;
  // compare.json's content; what --json prints.
  json: CompareJson;
}

// Each run laid out, with its repro bundle's parts (built once: its files,
// its findings and the figures all come from the same diagnosis).
function laidRuns(cr: CompareRecord, meta: ReproMeta): SummaryRun[] {
  const dirs = runDirs(cr.runs, cr.repeats);
  return cr.runs.map((r, i) => ({
    variant: r.variant,
    dir: dirs[i]!,
    // The run's own summary.md names where its snapshots are in this bundle.
    parts: reproBundleParts(r.rec, { ...meta, rawAt: `hosts/<host>/${dirs[i]!}/{before,after}/` }),
  }));
}

function compared(cr: CompareRecord, runs: readonly SummaryRun[]): ComparedVariants {
  return compareVariants(
    cr.variants.map((v) => ({
      name: v.name,
      settings: v.settings,
      runs: cr.runs.flatMap((r, i) =>
        r.variant === v.name
          ? [
              {
                repeat: r.repeat,
                dir: runs[i]!.dir,
                status: runs[i]!.parts.status,
                figures: runFigures(r.rec, runs[i]!.parts.findings),
              },
            ]
          : [],
      ),
    })),
  );
}

// Partial: the comparison stopped early, a run is partial, or a host may
// still hold a changed setting.
export function compareStatus(
  cr: CompareRecord,
  runs: readonly SummaryRun[],
  hosts: readonly HostState[],
): CompareSummary['status'] {
  const bad =
    !!cr.error ||
    cr.interrupted ||
    !runs.length ||
    runs.some((r) => r.parts.status === 'partial') ||
    hosts.some((h) => !isRestored(h));
  return bad ? 'partial' : 'complete';
}

export function compareBundleParts(cr: CompareRecord, meta: ReproMeta): CompareParts {
  const runs = laidRuns(cr, meta);
  const hosts = hostStates(cr);
  const status = compareStatus(cr, runs, hosts);
  const variants = compared(cr, runs);
  const json = compareJson(cr, variants, hosts, status);
  const table = compareTable(variants);
  const summary = compareSummary(meta, status, findingsRun(runs, variants.baseline), json);
  // The order of the files is the manifest's and the tarball's.
  const files: BundleEntry[] = [
    { path: SUMMARY_MD, bytes: Buffer.from(compareSummaryMd(cr, summary, table, runs)) },
    jsonEntry(SUMMARY_JSON, summary),
    jsonEntry(COMPARE_JSON, json),
    ...runTopFiles(runs),
  ];
  return { hosts: mergedHosts(runs), files, summary, status, table, json };
}
