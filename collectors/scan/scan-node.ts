import { asDropkitError, DropkitError, type ErrorCode } from '../../kit/errors.js';
import type { Semaphore } from '../../kit/semaphore.js';
import type { Opener } from '../../kit/transport/open.js';
import type { Transport } from '../../kit/transport/types.js';
import { LIGHT_COLLECTORS } from '../snapshot/light.js';
import { type TakenSnapshot, takeSnapshot } from '../snapshot/take.js';

// One node of `collect scan`: connect, a light snapshot, the interval, a
// second one, close. Never throws: a node that failed is a result with its
// reason, and the others go on. `work` bounds what is in flight across the
// fleet (connecting and snapshotting); a node waiting out its interval holds
// no slot, so 64 nodes take one interval, not four.

export type NodePhase =
  | 'waiting'
  | 'connecting'
  | 'before'
  | 'interval'
  | 'after'
  | 'done'
  | 'failed';

export interface ScanTarget {
  /** As the host list names it. */
  name: string;
  /** What to connect to: the name, an alias of the run's generated ssh config. */
  spec: string;
}

export interface NodeScan {
  name: string;
  spec: string;
  user?: string;
  before?: TakenSnapshot;
  after?: TakenSnapshot;
  /** Between the starts of the two snapshots. */
  elapsedMs?: number;
  error?: { code: ErrorCode; step: string; message: string };
}

export interface ScanNodeOptions {
  open: Opener;
  work: Semaphore;
  intervalMs: number;
  /** Each snapshot's bound on the host. */
  snapshotTimeoutMs: number;
  /** The whole node's bound from its turn on: one hung host never holds the scan. */
  deadlineMs: number;
  /** Ctrl-C: nodes not yet connected are not scanned; a waiting node's interval is cut short. */
  signal: AbortSignal;
  onPhase: (name: string, phase: NodePhase) => void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

// Resolves with the transport, or rejects when the deadline or Ctrl-C comes
// first; a connection that completes afterwards is closed, never leaked.
function openWithin(open: Opener, spec: string, stop: AbortSignal): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const onStop = () => reject(stop.reason);
    if (stop.aborted) return onStop();
    stop.addEventListener('abort', onStop, { once: true });
    open(spec).then(
      (t) => {
        stop.removeEventListener('abort', onStop);
        if (stop.aborted) void t.close();
        else resolve(t);
      },
      (e) => {
        stop.removeEventListener('abort', onStop);
        reject(e);
      },
    );
  });
}

export async function scanNode(target: ScanTarget, o: ScanNodeOptions): Promise<NodeScan> {
  const result: NodeScan = { name: target.name, spec: target.spec };
  let step = 'connect';
  let transport: Transport | undefined;
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // Armed when the node's turn comes: the queue before it is not its fault.
  const arm = () => {
    timer = setTimeout(
      () =>
        deadline.abort(
          new DropkitError({
            code: 'CONNECT_TIMEOUT',
            message: `no answer within the node's deadline (${Math.round(o.deadlineMs / 1000)} s)`,
            host: target.name,
            step,
          }),
        ),
      o.deadlineMs,
    );
  };
  const stop = AbortSignal.any([deadline.signal, o.signal]);
  const snapshot = async (t: Transport, which: string): Promise<TakenSnapshot> => {
    step = which;
    o.onPhase(target.name, which === 'first snapshot' ? 'before' : 'after');
    const taken = await takeSnapshot(t, {
      specs: LIGHT_COLLECTORS,
      // Ctrl-C does not cut a snapshot: it takes a fraction of a second, and
      // the pair of them is the node's result.
      signal: deadline.signal,
      timeoutMs: o.snapshotTimeoutMs,
      step: which,
    });
    if (deadline.signal.aborted) throw deadline.signal.reason;
    return taken;
  };
  try {
    o.onPhase(target.name, 'waiting');
    await o.work.run(async () => {
      if (o.signal.aborted) {
        throw new DropkitError({
          code: 'ABORTED',
          message: 'not scanned: interrupted',
          host: target.name,
          step,
        });
      }
      o.onPhase(target.name, 'connecting');
      arm();
      transport = await openWithin(o.open, target.spec, stop);
      result.user = transport.info.user;
      result.before = await snapshot(transport, 'first snapshot');
    });
    o.onPhase(target.name, 'interval');
    step = 'interval';
    // The interval runs from the first snapshot's start, so the counters span it.
    const since = Date.now() - Date.parse(result.before!.snapshot.takenAt);
    await sleep(Math.max(0, o.intervalMs - since), stop);
    if (deadline.signal.aborted) throw deadline.signal.reason;
    result.after = await o.work.run(() => snapshot(transport!, 'second snapshot'));
    result.elapsedMs =
      Date.parse(result.after.snapshot.takenAt) - Date.parse(result.before!.snapshot.takenAt);
    o.onPhase(target.name, 'done');
  } catch (e) {
    // Ctrl-C while connecting rejects with the signal's own reason.
    const interrupted = o.signal.aborted && !(e instanceof DropkitError);
    const err = interrupted
      ? new DropkitError({
          code: 'ABORTED',
          message: 'not scanned: interrupted',
          host: target.name,
          step,
        })
      : asDropkitError(e, { code: 'COMMAND_FAILED', host: target.name, step });
    result.error = { code: err.code, step: err.step ?? step, message: err.message };
    o.onPhase(target.name, 'failed');
  } finally {
    clearTimeout(timer);
    await transport?.close().catch(() => undefined);
  }
  return result;
}
