import { DropkitError } from '../../kit/errors.js';
import { diagnose, diagnoseAll, type Finding } from '../diagnosis/engine.js';
import type { DiagnosisInput } from '../diagnosis/input.js';
import type { Snapshot } from '../model.js';
import { snapshotDelta } from '../snapshot-delta.js';
import { type LoadOptions, loadCapture, loadSnapshots } from './load.js';

// What `collect analyze` and `repro mitigate` read: one capture (counters
// since boot), a reproduction bundle (its own before and after), or two
// captures of the same hosts (the deltas between them). One reading, so the
// fix written to a file is the fix the analysis printed.
export interface AnalyzedPaths {
  // Each host's latest capture.
  hosts: Snapshot[];
  // One per host; with `before` and `delta` when two captures were compared.
  inputs: DiagnosisInput[];
  deltas: boolean;
  findings: Finding[];
}

export async function analyzePaths(
  path: string,
  after: string | undefined,
  load: LoadOptions = {},
): Promise<AnalyzedPaths> {
  const capture = await loadCapture(path, load);
  // A reproduction bundle carries its own "before": one path is enough.
  if (!after && capture.before) return compared(capture.before, capture.after, path, path);
  const first = capture.after;
  if (!after) {
    const inputs = first.map((s) => ({ after: s }));
    return { hosts: first, inputs, deltas: false, findings: inputs.flatMap(diagnose) };
  }
  return compared(first, await loadSnapshots(after, load), path, after);
}

function compared(
  first: Snapshot[],
  second: Snapshot[],
  path: string,
  after: string,
): AnalyzedPaths {
  const inputs = second.map((a) => {
    const b =
      first.find((x) => x.host === a.host) ??
      (first.length === 1 && second.length === 1 ? first[0] : undefined);
    if (!b)
      throw new DropkitError({
        code: 'USAGE',
        message: `host ${a.host} is in ${after} but not in ${path}`,
        step: 'analyze',
      });
    const before = { ...b, host: a.host };
    return { before, after: a, delta: snapshotDelta(before, a) };
  });
  return { hosts: second, inputs, deltas: true, findings: diagnoseAll(inputs) };
}
