import {
  checkedCounters,
  type DiagnosisInput,
  diagnoseAll,
  type Finding,
} from '../collectors/diagnosis/engine.js';
import { snapshotDelta } from '../collectors/snapshot-delta.js';
import type { RunRecord } from '../repro/run/run.js';
import type { Series } from '../repro/run/series.js';
import { labelOf } from './repro-label.js';
import { traceDiagnosis } from './trace-files.js';

// The reproduction's findings: per host with an "after" snapshot, what moved
// between its snapshots, its sampled series and its drop-reason trace. Pure.

export interface ReproDiagnosis {
  // One per host with an "after" snapshot; delta.json is the delta in here.
  inputs: DiagnosisInput[];
  findings: Finding[];
  checked: string[];
  // Both hosts on one kernel (the lab, containers): the summary says so.
  sharedKernel: boolean;
}

export function reproDiagnosis(rec: RunRecord, series: Series[]): ReproDiagnosis {
  const inputs: DiagnosisInput[] = rec.hosts
    .filter((h) => h.after)
    .map((h) => {
      const after = { ...h.after!.snapshot, host: labelOf(h) };
      const before = h.before ? { ...h.before.snapshot, host: labelOf(h) } : undefined;
      return {
        after,
        ...(before ? { before, delta: snapshotDelta(before, after) } : {}),
        series: series.filter((s) => s.host === labelOf(h)),
        ...traceDiagnosis(labelOf(h), h.trace),
      };
    });
  const sharedKernel =
    inputs.length === 2 &&
    !!inputs[0]!.after.facts.bootId &&
    inputs[0]!.after.facts.bootId === inputs[1]!.after.facts.bootId;
  return {
    inputs,
    findings: diagnoseAll(inputs),
    checked: [...new Set(inputs.flatMap((i) => checkedCounters(i)))],
    sharedKernel,
  };
}
