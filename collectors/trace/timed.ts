import { setTimeout as sleep } from 'node:timers/promises';
import type { Transport } from '../../kit/transport/types.js';
import { type TraceCapture, TraceSession } from './session.js';

// Drop reasons for a while before a snapshot (collect bundle --trace-drops):
// the cause of drops happening now, where counters alone only say "since
// boot". The caller gives each host its own run ID: on one kernel
// (containers, the lab) tracefs is shared, and so would an instance name be.
// Undefined when the tracer failed; a capture saying why when the host
// cannot trace (no tracefs, no event), so the bundle says so.
export async function traceForSeconds(
  t: Transport,
  o: { seconds: number; runId: string; signal: AbortSignal; log: (line: string) => void },
): Promise<TraceCapture | undefined> {
  const s = new TraceSession(t, {
    runId: o.runId,
    intervalMs: 1000,
    maxSeconds: o.seconds + 10,
    signal: o.signal,
  });
  o.log(`${t.info.name}: tracing drop reasons for ${o.seconds} s`);
  const started = performance.now();
  s.start();
  // The full time, unless Ctrl-C comes first (or came already), or the
  // tracer ends on its own (no tracefs, sudo refused): then no need to wait.
  const waited = new AbortController();
  await Promise.race([
    sleep(o.seconds * 1000, undefined, {
      signal: AbortSignal.any([o.signal, waited.signal]),
    }).catch(() => undefined),
    s.ended,
  ]);
  waited.abort(); // no timer left to hold the process
  if (o.signal.aborted)
    o.log(
      `${t.info.name}: interrupted: drop tracing stopped after ${((performance.now() - started) / 1000).toFixed(1)} s of ${o.seconds}`,
    );
  const end = await s.stop();
  const capture = { stream: s.stream, bufferKb: s.bufferKb };
  if (s.stream.unavailable || end instanceof Error) {
    o.log(
      `${t.info.name}: drop tracing skipped: ${s.stream.unavailable ?? (end as Error).message}`,
    );
    return s.stream.unavailable ? capture : undefined;
  }
  return capture;
}
