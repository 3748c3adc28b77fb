import { byText } from '../../kit/compare.js';
import { buildFinding } from './build-finding.js';
import { CLASS_ORDER, SEVERITY_RANK } from './classes.js';
import type { DiagnosisContext } from './context.js';
import type { Finding } from './finding.js';
import { groupObservations } from './group.js';
import type { DiagnosisInput } from './input.js';
import { observe } from './observe.js';
import { dedupeSharedKernel } from './shared-kernel.js';

export { checkedCounters, summarizeNoFindings } from './checked.js';
export type { Confidence, DropClass, Severity } from './classes.js';
export type { Evidence, Finding, Mitigation, TimeWindow } from './finding.js';
export { findingFix, findingLine, findingWhere } from './format.js';
export type { CounterSeries, DiagnosisInput, DropTrace, TestSocket } from './input.js';

// The findings engine's entry point: pure, one host per call. Most severe first; nothing when nothing moved.
export function diagnose(input: DiagnosisInput): Finding[] {
  const { observations, ctx } = observe(input);
  const groups = groupObservations(observations, { haveSoftnet: input.after.softnet.length > 0 });
  const full: DiagnosisContext = {
    ...ctx,
    groups,
    ...(input.sockets?.length ? { sockets: input.sockets } : {}),
  };
  return groups.map((g) => buildFinding(full, g, input.series)).sort(compareFindings);
}

// Several hosts (the two ends of `repro run`, a multi-node bundle), one
// sorted list. Hosts on one kernel (same boot_id) share softnet_stat: a
// machine-wide finding is kept once (see shared-kernel.ts).
export function diagnoseAll(inputs: readonly DiagnosisInput[]): Finding[] {
  const boot = new Map(inputs.map((i) => [i.after.host, i.after.facts.bootId]));
  return dedupeSharedKernel(inputs.flatMap(diagnose), (h) => boot.get(h)).sort(compareFindings);
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    CLASS_ORDER.indexOf(a.class) - CLASS_ORDER.indexOf(b.class) ||
    (a.packets === b.packets ? 0 : a.packets < b.packets ? 1 : -1) ||
    byText(a.host, b.host) ||
    byText(a.iface ?? '', b.iface ?? '')
  );
}
