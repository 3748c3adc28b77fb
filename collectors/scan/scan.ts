import type { Progress } from '../../kit/progress.js';
import { Semaphore } from '../../kit/semaphore.js';
import type { Opener } from '../../kit/transport/open.js';
import { type NodePhase, type NodeScan, type ScanTarget, scanNode } from './scan-node.js';

// `collect scan` across the fleet: every node on its own (scan-node.ts), at
// most `parallel` of them connecting or snapshotting at once, with live
// counts of nodes done, failed and in flight.

export interface FleetScanOptions {
  targets: readonly ScanTarget[];
  open: Opener;
  parallel: number;
  intervalMs: number;
  /** Bounds the handshake (and its ProxyCommand or jump host). */
  connectTimeoutMs: number;
  signal: AbortSignal;
  progress: Progress;
}

// Each snapshot's bound on the host: a light one takes well under a second.
const SNAPSHOT_TIMEOUT_MS = 30_000;
// A status line at most this often off a terminal (CI logs, a pipe).
const PLAIN_STATUS_EVERY_MS = 5_000;

const IN_FLIGHT = new Set<NodePhase>(['connecting', 'before', 'interval', 'after']);

export function statusText(phases: ReadonlyMap<string, NodePhase>, startedMs: number): string {
  let done = 0;
  let failed = 0;
  let flight = 0;
  let waiting = 0;
  for (const p of phases.values()) {
    if (p === 'done') done++;
    else if (p === 'failed') failed++;
    else if (IN_FLIGHT.has(p)) flight++;
    else waiting++;
  }
  const s = Math.round((performance.now() - startedMs) / 1000);
  return `scan  ${done} done, ${failed} failed, ${flight} in flight, ${waiting} waiting  ${s}s`;
}

export async function scanFleet(o: FleetScanOptions, plain = false): Promise<NodeScan[]> {
  const started = performance.now();
  const work = new Semaphore(o.parallel);
  const phases = new Map<string, NodePhase>(o.targets.map((t) => [t.name, 'waiting']));
  const nodeStart = new Map<string, number>();
  let lastStatus = 0;
  const status = (force = false) => {
    const now = performance.now();
    if (!force && plain && now - lastStatus < PLAIN_STATUS_EVERY_MS) return;
    lastStatus = now;
    o.progress.status(statusText(phases, started));
  };
  // The elapsed seconds move on their own while nodes wait out the interval.
  const ticker = setInterval(() => status(), plain ? PLAIN_STATUS_EVERY_MS : 1000);
  const onPhase = (name: string, phase: NodePhase) => {
    phases.set(name, phase);
    if (phase === 'connecting') nodeStart.set(name, performance.now());
    status();
  };
  // A node's whole bound from its turn on: the handshake, the interval, two
  // snapshots and a wait for a slot for the second one.
  const deadlineMs = o.connectTimeoutMs + o.intervalMs + 3 * SNAPSHOT_TIMEOUT_MS;
  try {
    status(true);
    return await Promise.all(
      o.targets.map(async (t) => {
        const r = await scanNode(t, {
          open: o.open,
          work,
          intervalMs: o.intervalMs,
          snapshotTimeoutMs: SNAPSHOT_TIMEOUT_MS,
          deadlineMs,
          signal: o.signal,
          onPhase,
        });
        const ms = performance.now() - (nodeStart.get(t.name) ?? started);
        if (r.error) o.progress.step(t.name, ms, false, `${r.error.step}: ${r.error.message}`);
        else
          o.progress.step(
            t.name,
            ms,
            true,
            `2 snapshots ${((r.elapsedMs ?? 0) / 1000).toFixed(1)} s apart`,
          );
        return r;
      }),
    );
  } finally {
    clearInterval(ticker);
    status(true);
    o.progress.done();
  }
}
