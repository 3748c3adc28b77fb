import type { Finding } from '../collectors/diagnosis/engine.js';
import type { RunRecord } from '../repro/run/run.js';
import type { SamplerStats } from '../repro/run/series.js';
import type { BundleHost } from './bundle-input.js';
import { type BundleEntry, jsonEntry } from './entries.js';
import { SUMMARY_JSON, SUMMARY_MD } from './manifest.js';
import { cpuTime, kernelLogFiles } from './repro-datapath.js';
import { reproDiagnosis } from './repro-diagnosis.js';
import { reproHosts } from './repro-host-files.js';
import { iperf3Files, reproTraceFiles, runFiles } from './repro-run-files.js';
import { reproSeries, seriesFiles } from './repro-series.js';
import {
  type ReproMeta,
  type ReproSummary,
  reproPhases,
  reproSummary,
  reproSummaryMd,
} from './repro-summary.js';
import { timelineFiles } from './repro-timeline.js';

// A reproduction bundle: both hosts' before/after snapshots and deltas, the
// sampler series on one time axis, iperf3's own JSON, the profile and the
// exact commands, a standalone repro.sh, and the summary. Pure.

export type { ReproMeta } from './repro-summary.js';

export interface ReproParts {
  hosts: BundleHost[];
  files: BundleEntry[];
  summary: ReproSummary;
  findings: Finding[];
  status: ReproSummary['status'];
  stats: SamplerStats[];
}

export function reproBundleParts(rec: RunRecord, meta: ReproMeta): ReproParts {
  const series = reproSeries(rec);
  const phases = reproPhases(rec);
  const diagnosis = reproDiagnosis(rec, series.series, phases);
  // Partial too when a finding's fix depends on a setting that could not be read.
  const status =
    rec.error ||
    rec.hosts.some((h) => h.failure || !h.after) ||
    diagnosis.findings.some((f) => f.unknown?.length)
      ? 'partial'
      : 'complete';
  const run = {
    status,
    phases,
    moved: series.moved,
    cpuTime: cpuTime(rec, series.series),
  } as const;
  const summary = reproSummary(rec, meta, diagnosis, run);
  // The order of the files is the manifest's and the tarball's.
  const files: BundleEntry[] = [
    {
      path: SUMMARY_MD,
      bytes: Buffer.from(reproSummaryMd(rec, summary, diagnosis, run, meta.rawAt)),
    },
    jsonEntry(SUMMARY_JSON, summary),
    ...seriesFiles(rec, series),
    ...runFiles(rec, meta.command),
    ...timelineFiles(rec),
    ...kernelLogFiles(rec),
    ...reproTraceFiles(rec),
    ...iperf3Files(rec),
  ];
  return {
    hosts: reproHosts(rec, diagnosis.inputs),
    files,
    summary,
    findings: diagnosis.findings,
    status,
    stats: series.stats,
  };
}
