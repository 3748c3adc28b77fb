import {
  checkedCounters,
  type DiagnosisInput,
  diagnoseAll,
  type Finding,
  type TestSocket,
} from '../collectors/diagnosis/engine.js';
import { snapshotDelta } from '../collectors/snapshot-delta.js';
import type { RunRecord } from '../repro/run/run.js';
import type { Series } from '../repro/run/series.js';
import { labelOf } from './repro-label.js';
import type { PhaseResult } from './repro-results.js';
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

// The test's receiving sockets, by the role of the host they were on: the
// iperf3 server receives (on the receiver) unless the phase runs reversed,
// and a --bidir phase receives on both.
export function testSockets(
  phases: readonly PhaseResult[],
): Record<'sender' | 'receiver', TestSocket[]> {
  const out: Record<'sender' | 'receiver', TestSocket[]> = { sender: [], receiver: [] };
  for (const p of phases)
    for (const d of p.result?.directions ?? []) {
      const side = d.sender === 'client' ? 'server' : 'client';
      const facts = p.result![side];
      if (facts.rcvbufBytes === undefined) continue;
      out[side === 'server' ? 'receiver' : 'sender'].push({
        owner: `the iperf3 ${side} of phase ${p.phase}`,
        rcvbufBytes: facts.rcvbufBytes,
        ...(facts.askedBytes !== undefined ? { askedBytes: facts.askedBytes } : {}),
      });
    }
  return out;
}

export function reproDiagnosis(
  rec: RunRecord,
  series: Series[],
  phases: readonly PhaseResult[] = [],
): ReproDiagnosis {
  const sockets = testSockets(phases);
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
        ...(sockets[h.role].length ? { sockets: sockets[h.role] } : {}),
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
