import { type TakenSnapshot, takeSnapshot } from '../../collectors/snapshot/take.js';
import type { Transport } from '../../kit/transport/types.js';

// Both hosts' snapshots, taken at once; one that fails fails the step.
// `before`, for the "after" ones: each host's earlier snapshot, whose
// sources that cannot change during the run are not read again
// (collectors/snapshot/taken-once.ts).
export async function snapshotBoth(
  sender: Transport,
  receiver: Transport,
  step: 'snapshot before' | 'snapshot after',
  signal: AbortSignal,
  before: [TakenSnapshot | undefined, TakenSnapshot | undefined] = [undefined, undefined],
): Promise<[TakenSnapshot, TakenSnapshot]> {
  const once = (b: TakenSnapshot | undefined) => (b ? { onceFrom: b } : {});
  return Promise.all([
    takeSnapshot(sender, { signal, step, ...once(before[0]) }),
    takeSnapshot(receiver, { signal, step, ...once(before[1]) }),
  ]);
}

// After a failure, an "after" snapshot of every host that still answers, so
// the bundle shows what moved up to the failure. No signal: it must run after
// a Ctrl-C too; the timeout bounds it. A host that fails is left without one
// (the bundle records it as missing).
export async function snapshotsAfterFailure(
  hosts: ReadonlyArray<{ transport: Transport | undefined; wanted: boolean }>,
): Promise<Array<TakenSnapshot | undefined>> {
  return Promise.all(
    hosts.map(async (h) => {
      if (!h.transport || !h.wanted) return undefined;
      try {
        return await takeSnapshot(h.transport, { timeoutMs: 10_000, step: 'snapshot after' });
      } catch {
        return undefined;
      }
    }),
  );
}
