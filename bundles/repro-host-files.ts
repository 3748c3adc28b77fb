import { deltaView } from '../collectors/analyze-json.js';
import type { DiagnosisInput } from '../collectors/diagnosis/engine.js';
import type { HostRun, RunRecord } from '../repro/run/run.js';
import { type BundleHost, manifestSkipped } from './bundle-input.js';
import { type BundleEntry, jsonEntry } from './entries.js';
import { labelOf } from './repro-label.js';

// Each host's folder in a reproduction bundle: raw outputs and snapshot.json
// before and after the traffic, and the delta between them. Pure.

// What went wrong on the host, for the manifest and the summary.
export function hostProblem(h: HostRun): string | undefined {
  if (h.failure) return `${h.failure.step}: ${h.failure.message}`;
  return h.after ? undefined : 'no "after" snapshot';
}

function hostFiles(h: HostRun, inputs: DiagnosisInput[]): BundleEntry[] {
  const label = labelOf(h);
  const files: BundleEntry[] = [];
  if (h.before)
    files.push(jsonEntry('before/snapshot.json', { ...h.before.snapshot, host: label }));
  if (h.after) files.push(jsonEntry('after/snapshot.json', { ...h.after.snapshot, host: label }));
  // The delta the diagnosis used, not a second computation of it.
  const delta = inputs.find((i) => i.after.host === label)?.delta;
  if (delta) files.push(jsonEntry('delta.json', deltaView(delta)));
  return files;
}

export function reproHosts(rec: RunRecord, inputs: DiagnosisInput[]): BundleHost[] {
  return rec.hosts.map((h) => {
    const problem = hostProblem(h);
    return {
      label: labelOf(h),
      spec: h.spec,
      ...(h.transport?.info.user ? { user: h.transport.info.user } : {}),
      status: !h.before && !h.after ? 'failed' : problem ? 'partial' : 'complete',
      ...(problem ? { error: problem } : {}),
      ...manifestSkipped(h.before?.snapshot ?? h.after?.snapshot),
      rawSets: [
        ...(h.before ? [{ dir: 'before', raw: h.before.raw }] : []),
        ...(h.after ? [{ dir: 'after', raw: h.after.raw }] : []),
      ],
      files: hostFiles(h, inputs),
    };
  });
}
