import type { DropTrace } from '../collectors/diagnosis/engine.js';
import { toJson } from '../collectors/json.js';
import { kernelHasReasons, traceCsv, traceTotals } from '../collectors/trace/parse.js';
import type { TraceCapture } from '../collectors/trace/session.js';
import type { BundleEntry } from './entries.js';

// The drop-reason trace in a bundle, one builder for both kinds: a node
// bundle puts it under hosts/<host>/trace/, a reproduction under
// repro/trace/<role>-…. meta.json records the per-CPU buffer the tracer
// asked for: the cap that eventsLostToTheCap refers to. Pure.

export const TRACE_AGGREGATION =
  'on the host, by reason and drop location (symbol, offset stripped), per 1 s interval';

export function traceFiles(
  prefix: string,
  host: string,
  trace: TraceCapture,
  // A reproduction's meta.json names its host and tracefs instance; a node
  // bundle's sits in its host's folder, and has neither.
  named?: { instance: string },
): BundleEntry[] {
  const tr = trace.stream;
  const meta = {
    ...(named ? { host } : {}),
    event: 'skb:kfree_skb',
    ...(named ? { instance: named.instance } : {}),
    aggregation: TRACE_AGGREGATION,
    bufferKbPerCpu: trace.bufferKb,
    eventsLostToTheCap: tr.overruns ?? null,
    kernelHasReasons: kernelHasReasons(tr),
    unavailable: tr.unavailable ?? null,
    totals: traceTotals(tr),
  };
  return [
    { path: `${prefix}kfree_skb.csv`, bytes: Buffer.from(traceCsv(host, tr)) },
    { path: `${prefix}kfree_skb-format.txt`, bytes: Buffer.from(`${tr.format.join('\n')}\n`) },
    { path: `${prefix}meta.json`, bytes: Buffer.from(`${toJson(meta)}\n`) },
  ];
}

// What the diagnosis reads from a trace, when it counted anything: the
// totals, whether the kernel names reasons, and whether the cap was hit.
export function traceDiagnosis(
  host: string,
  trace: TraceCapture | undefined,
): { trace?: DropTrace } {
  const tr = trace?.stream;
  if (!tr || tr.unavailable || !tr.intervals.length) return {};
  return {
    trace: {
      host,
      kernelHasReasons: kernelHasReasons(tr),
      capped: (tr.overruns ?? 0) > 0,
      entries: traceTotals(tr),
    },
  };
}
