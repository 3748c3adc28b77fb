import type { DropTrace } from '../collectors/diagnosis/engine.js';
import { toJson } from '../collectors/json.js';
import { traceClockMap } from '../collectors/trace/clock.js';
import {
  kernelHasReasons,
  type TraceStream,
  traceCsv,
  traceTotals,
} from '../collectors/trace/parse.js';
import type { TraceCapture } from '../collectors/trace/session.js';
import type { BundleEntry } from './entries.js';

// The drop-reason trace in a bundle, one builder for both kinds: a node
// bundle puts it under hosts/<host>/trace/, a reproduction under
// repro/trace/<role>-…. meta.json records the per-CPU buffer the tracer
// asked for: the cap that eventsLostToTheCap refers to. Pure.

export const TRACE_AGGREGATION =
  'on the host, by reason and drop location (symbol, offset stripped), per 1 s interval';

export const TRACE_TIME_AXIS = {
  axis: 'operator clock, like series.csv: t_ms (ms since the epoch) and time (ISO-8601 UTC), at the end of each interval',
  method:
    'the tracer reads the host wall clock between two trace markers at its start and end; the trace clock maps to it linearly, then the host offset from the operator is subtracted',
};

// A host's clock against the operator's (host minus operator), as measured
// before the run.
export interface HostOffset {
  offsetMs: number;
  errorMs: number;
}

// How the trace is placed on a reproduction's time axis (operator clock): the
// trace clock to the host's UTC through the tracer's clock references, then
// the host's measured offset. meta.json says how, and how precisely.
export function traceTimeAxis(tr: TraceStream, host: HostOffset) {
  const map = traceClockMap(tr.clock, tr.clockRefs ?? []);
  const toMs = (s: number) => {
    const t = map && Number.isFinite(s) ? map.wallMs(s) - host.offsetMs : Number.NaN;
    return Number.isFinite(t) ? t : undefined;
  };
  const meta = {
    traceClock: tr.clock ?? null,
    references: (tr.clockRefs ?? []).length,
    driftPpm: map?.driftPpm ?? null,
    // The references' bound plus the offset's; null when either is unknown.
    errorMs: map && Number.isFinite(host.errorMs) ? map.errorMs + host.errorMs : null,
    placed: !!map,
  };
  return { toMs, meta };
}

export function traceFiles(
  prefix: string,
  host: string,
  trace: TraceCapture,
  // A reproduction's meta.json names its host and tracefs instance; a node
  // bundle's sits in its host's folder, and has neither. A reproduction's
  // trace is also placed on the series' time axis, with the host's offset.
  named?: { instance: string; clock?: HostOffset },
): BundleEntry[] {
  const tr = trace.stream;
  const axis = named?.clock ? traceTimeAxis(tr, named.clock) : undefined;
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
    ...(axis ? { timeAxis: { ...TRACE_TIME_AXIS, ...axis.meta } } : {}),
  };
  return [
    { path: `${prefix}kfree_skb.csv`, bytes: Buffer.from(traceCsv(host, tr, axis?.toMs)) },
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
