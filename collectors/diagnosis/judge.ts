import type { Confidence, Severity } from './classes.js';
import { maxConfidence } from './classes.js';
import type { Group } from './group.js';
import { CRITICAL_MIN } from './thresholds.js';

// How sure: the best documented counter among the members, raised to high when two
// independent sources agree (kernel + ethtool, softnet + veth or trace, snmp + trace).
export function groupConfidence(g: Group): Confidence {
  if (g.ambiguousOnly) return 'low';
  const solid = g.members.filter((o) => o.rule.kind !== 'ambiguous' && o.rule.kind !== 'guess');
  const base = solid.reduce<Confidence>((c, o) => maxConfidence(c, o.rule.confidence), 'low');
  const areas = new Set(g.members.map((o) => o.area));
  if (areas.size >= 2) return 'high';
  // softnet `dropped` is certainly a backlog drop, but softnet_stat is per kernel: alone it
  // cannot say whose traffic (which veth, which namespace) it was.
  if (g.class === 'BACKLOG' && areas.has('softnet')) return 'medium';
  return base;
}

export function groupSeverity(
  g: Group,
  packets: bigint,
  sinceBoot: boolean,
  confidence: Confidence,
  ringLossOnHost: boolean,
): Severity {
  // Not a drop itself; critical only as the likely cause of ring drops next to it.
  if (g.class === 'SQUEEZE') return ringLossOnHost ? 'critical' : 'warning';
  // Since boot there is no telling whether it still happens. Provider shaping is worth a
  // warning at any count: nothing inside the VM shows it otherwise.
  if (sinceBoot) return g.class === 'CLOUD' || packets >= CRITICAL_MIN ? 'warning' : 'info';
  // The TX watchdog fired: a queue sent nothing for seconds (and ena, gve reset the device).
  if (g.members.some((o) => o.rule.kind === 'stall')) return 'critical';
  if (g.class === 'OTHER') return packets >= CRITICAL_MIN ? 'warning' : 'info';
  if (packets < CRITICAL_MIN) return 'warning';
  return confidence === 'low' ? 'warning' : 'critical';
}
