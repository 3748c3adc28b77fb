import { snapshotDelta } from '../snapshot-delta.js';
import type { DiagnosisContext } from './context.js';
import type { DiagnosisInput } from './input.js';
import type { Observation } from './observation.js';
import { observeDelta, observeSinceBoot } from './observe-counters.js';
import { observeQdiscDelta, observeQdiscSinceCreation } from './observe-qdisc.js';
import { observeTrace } from './observe-trace.js';

// Input → classified observations plus the context the advice needs. With `before` (or
// `delta`) counters are run deltas; with `after` alone they are counts since boot.
export function observe(input: DiagnosisInput): {
  observations: Observation[];
  ctx: Omit<DiagnosisContext, 'groups'>;
} {
  const { after } = input;
  // snapshotDelta() tells a 32-bit softnet wrap from a reboot by the boot ids.
  const delta = input.delta ?? (input.before ? snapshotDelta(input.before, after) : undefined);
  const counters = delta ? observeDelta(delta, after) : observeSinceBoot(after);
  const qdiscs = delta ? observeQdiscDelta(delta, after) : observeQdiscSinceCreation(after);
  return {
    observations: [...counters, ...qdiscs, ...observeTrace(input.trace, after.host)],
    ctx: {
      host: after.host,
      after,
      ...(delta ? { delta, intervalSec: delta.intervalSec } : {}),
      sinceBoot: delta === undefined,
    },
  };
}
