import { type TakenSnapshot, takeSnapshot } from '../../collectors/snapshot/take.js';
import type { Transport } from '../../kit/transport/types.js';

// Both hosts' snapshots, taken at once; one that fails fails the step.
export async function snapshotBoth(
  sender: Transport,
  receiver: Transport,
  step: 'snapshot before' | 'snapshot after',
  signal: AbortSignal,
): Promise<[TakenSnapshot, TakenSnapshot]> {
  return Promise.all([
    takeSnapshot(sender, { signal, step }),
    takeSnapshot(receiver, { signal, step }),
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
