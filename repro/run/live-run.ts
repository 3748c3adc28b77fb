import type { TraceSession } from '../../collectors/trace/session.js';
import type { Transport } from '../../kit/transport/types.js';
import type { RunRecord } from './record.js';
import type { SamplerSession } from './sampler-session.js';
import { samplerRecord } from './samplers.js';
import { traceRecord } from './trace.js';

// What a run holds while it lasts and never hands out: the connections, and
// the sessions that outlive their step.
export interface LiveRun {
  // By host, in the record's order: sender, receiver.
  transports: Array<Transport | undefined>;
  samplers: SamplerSession[];
  trace?: TraceSession;
  // Graceful stop of everything tied to a channel: iperf3, samplers, tracer.
  stop: AbortController;
  // By host: its connection was lost.
  lost: boolean[];
}

export function newLiveRun(): LiveRun {
  return { transports: [], samplers: [], stop: new AbortController(), lost: [] };
}

// Never throws: each session settles with its end, or the error that ended it.
export async function stopSessions(live: LiveRun): Promise<void> {
  await Promise.all([...live.samplers.map((s) => s.stop()), live.trace?.stop()]);
}

// Once they have stopped, what the sessions hold goes into the record.
// The sessions are then gone from the live run: the next run of a
// comparison starts its own.
export function keepSessions(rec: RunRecord, live: LiveRun): void {
  live.samplers.forEach((s, i) => {
    rec.hosts[i]!.sampler = samplerRecord(s);
  });
  if (live.trace) rec.hosts[1].trace = traceRecord(live.trace);
  live.samplers = [];
  delete live.trace;
}
