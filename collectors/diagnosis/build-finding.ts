import { ADVICE } from './advice/index.js';
import type { DiagnosisContext, GroupFacts } from './context.js';
import type { Evidence, Finding, TimeWindow } from './finding.js';
import type { Group } from './group.js';
import { headlinePackets } from './headline.js';
import type { CounterSeries } from './input.js';
import { groupConfidence, groupSeverity } from './judge.js';
import { byDeltaDesc, byEvidenceOrder, type Observation } from './observation.js';
import { findSeries, seriesStats } from './series.js';

export function buildFinding(
  ctx: DiagnosisContext,
  g: Group,
  series: readonly CounterSeries[] | undefined,
): Finding {
  const members = [...g.members].sort(byEvidenceOrder);
  const support = [...g.support].sort(byDeltaDesc);
  const memberEvidence = members.map((o) => evidenceOf(o, ctx.host, series));
  const supportEvidence = support.map((o) => evidenceOf(o, ctx.host, series));
  const packets = headlinePackets(members);
  const sinceBoot = members.every((o) => o.sinceBoot);
  const facts: GroupFacts = {
    packets,
    sinceBoot,
    cpus: [...new Set(members.filter((o) => o.cpu !== undefined).map((o) => o.cpu!))].sort(
      (a, b) => a - b,
    ),
  };
  if (!sinceBoot && ctx.intervalSec !== undefined && ctx.intervalSec > 0) {
    facts.ratePerSec = Number(packets) / ctx.intervalSec;
  }
  // The steepest single counter is a lower bound of the group's peak.
  const peaks = memberEvidence.flatMap((e) =>
    e.peakRatePerSec === undefined ? [] : [e.peakRatePerSec],
  );
  if (peaks.length) facts.peakRatePerSec = Math.max(...peaks);
  const window = union(memberEvidence.flatMap((e) => (e.window ? [e.window] : [])));
  if (window) facts.window = window;

  const confidence = groupConfidence(g);
  const ringLoss = ctx.groups.some((x) => x.class === 'RING');
  const severity = groupSeverity(g, packets, sinceBoot, confidence, ringLoss);
  const advice = ADVICE[g.class](ctx, g, facts);
  return {
    class: g.class,
    severity,
    confidence,
    host: ctx.host,
    ...(g.iface === undefined ? {} : { iface: g.iface }),
    ...(facts.cpus.length ? { cpus: facts.cpus } : {}),
    packets,
    sinceBoot,
    title: advice.title,
    explanation: advice.explanation,
    evidence: [...memberEvidence, ...supportEvidence, ...advice.config],
    mitigation: advice.mitigation,
    ...(advice.unknown?.length ? { unknown: advice.unknown } : {}),
    ...(facts.window ? { window: facts.window } : {}),
    ...(facts.ratePerSec === undefined ? {} : { ratePerSec: facts.ratePerSec }),
    ...(facts.peakRatePerSec === undefined ? {} : { peakRatePerSec: facts.peakRatePerSec }),
  };
}

function evidenceOf(
  o: Observation,
  host: string,
  series: readonly CounterSeries[] | undefined,
): Evidence {
  const e: Evidence = {
    source: o.area === 'trace' ? 'trace' : 'counter',
    name: o.name,
    delta: o.delta,
    meaning: o.rule.meaning,
    cite: o.rule.cite,
  };
  if (o.ratePerSec !== undefined && !o.sinceBoot) e.ratePerSec = o.ratePerSec;
  if (o.sinceBoot) e.sinceBoot = true;
  if (o.reset) e.reset = true;
  const s = o.seriesKey === undefined ? undefined : findSeries(series, host, o.seriesKey);
  if (s) {
    const stats = seriesStats(s, o.wrapBits);
    if (stats.window) e.window = stats.window;
    if (stats.peakRatePerSec !== undefined) e.peakRatePerSec = stats.peakRatePerSec;
  }
  return e;
}

// ISO strings of one clock compare as text.
function union(windows: readonly TimeWindow[]): TimeWindow | undefined {
  if (windows.length === 0) return undefined;
  const froms = windows.map((w) => w.from).sort();
  const tos = windows.map((w) => w.to).sort();
  return { from: froms[0]!, to: tos[tos.length - 1]! };
}
