import { baseName } from './drivers/index.js';
import type { Observation } from './observation.js';

// Packets lost, as a lower bound. Instances of one counter family (queues, CPUs, interfaces)
// count different packets and add up; different families count the same packets again
// (rx_missed_errors IS rx_out_of_buffer on mlx5, MLX5-MISSED; softnet dropped and the veth's
// rx_dropped and the trace's CPU_BACKLOG are one drop seen three times), so the headline is the
// largest family total, never their sum. A key repeated by the parser (`key#2`) is the same
// counter printed twice (the mana fixture), so repeats count once, at their largest value.
export function headlinePackets(members: readonly Observation[]): bigint {
  const families = new Map<string, Map<string, bigint>>();
  for (const o of members) {
    const family = `${o.area}:${o.rule.family}`;
    const instance = `${o.iface ?? ''}|${o.cpu ?? ''}|${baseName(o.key)}`;
    const inst = families.get(family) ?? new Map<string, bigint>();
    families.set(family, inst);
    const seen = inst.get(instance);
    if (seen === undefined || o.delta > seen) inst.set(instance, o.delta);
  }
  let best = 0n;
  for (const inst of families.values()) {
    let sum = 0n;
    for (const v of inst.values()) sum += v;
    if (sum > best) best = sum;
  }
  return best;
}
