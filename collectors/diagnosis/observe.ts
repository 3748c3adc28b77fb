import type { Snapshot } from '../model.js';
import { type SnapshotDelta, snapshotDelta } from '../snapshot-delta.js';
import { softnetDelta } from '../softnet-delta.js';
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
  const delta = withBootAwareSoftnet(
    input.delta ?? (input.before ? snapshotDelta(input.before, after) : undefined),
    input.before,
    after,
  );
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

// softnet_stat is 32-bit: with both boot ids a counter that went down is a wrap on one boot and
// a restart across a reboot, never a guess from the distance. snapshotDelta() does not pass
// the boot ids yet, so the softnet part is computed again here when they are known.
function withBootAwareSoftnet(
  delta: SnapshotDelta | undefined,
  before: Snapshot | undefined,
  after: Snapshot,
): SnapshotDelta | undefined {
  const boots = { before: before?.facts.bootId, after: after.facts.bootId };
  if (!delta || !before || boots.before === undefined || boots.after === undefined) return delta;
  return {
    ...delta,
    softnet: softnetDelta(before.softnet, after.softnet, delta.intervalSec, boots),
  };
}
