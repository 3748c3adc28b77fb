import { TraceSession } from '../../collectors/trace/session.js';
import type { ProbeFacts } from '../../kit/doctor/probe.js';
import type { Transport } from '../../kit/transport/types.js';
import type { TraceRecord } from './record.js';

// Why the receiver cannot trace drop reasons, from what the preflight saw, or
// undefined when it can. Pure.
export function traceSkipReason(f: ProbeFacts | undefined): string | undefined {
  if (!f || (f.kfreeSkb !== 'reason' && f.kfreeSkb !== 'location'))
    return `skb:kfree_skb not available (${f?.tracefs ?? 'unknown'})`;
  if (f.uid !== 0 && f.sudo !== 'passwordless') return 'needs root or passwordless sudo';
  return undefined;
}

// The tracer on the receiver only: that is where a burst's drops happen, and
// on one kernel (containers, the lab) a second tracer would count them twice.
// It outlives the step: the run stops it with the samplers.
export function startTrace(
  receiver: Transport,
  o: { runId: string; maxSeconds: number; signal: AbortSignal },
): TraceSession {
  const s = new TraceSession(receiver, {
    runId: o.runId,
    intervalMs: 1000,
    maxSeconds: o.maxSeconds,
    signal: o.signal,
  });
  s.start();
  return s;
}

// The plain record of the tracer, once it has stopped.
export function traceRecord(s: TraceSession): TraceRecord {
  return {
    // Settled once the tracer has stopped; a copy all the same, so nothing the
    // session still holds can change the record.
    stream: structuredClone(s.stream),
    script: s.script,
    instance: s.instance,
    leftoverRemoved: s.leftoverRemoved,
    bufferKb: s.bufferKb,
  };
}
