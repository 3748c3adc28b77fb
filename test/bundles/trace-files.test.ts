import { describe, expect, it } from 'vitest';
import { TRACE_AGGREGATION, traceDiagnosis, traceFiles } from '../../bundles/trace-files.js';
import { feedTrace, newTraceStream } from '../../collectors/trace/parse.js';
import { capture } from '../fakes/captures.js';
import { traceEnd, traceFormat, traceInterval } from '../fakes/host-output.js';

// One builder for the trace files of both bundle kinds.

function stream(overruns: number) {
  const st = newTraceStream();
  feedTrace(st, traceFormat(capture('kfree_skb-format.txt')));
  feedTrace(
    st,
    traceInterval({
      uptime: 100.5,
      drops: [{ count: 3, reason: 'CPU_BACKLOG', location: 'enqueue_to_backlog' }],
    }),
  );
  feedTrace(st, traceEnd(overruns));
  return st;
}

const meta = (files: { path: string; bytes: Buffer }[]) =>
  JSON.parse(files.find((f) => f.path.endsWith('meta.json'))!.bytes.toString());

describe('the trace files', () => {
  it('record the buffer size the tracer asked for, not a constant', () => {
    const files = traceFiles('trace/', 'vmB', { stream: stream(0), bufferKb: 4096 });
    expect(files.map((f) => f.path)).toEqual([
      'trace/kfree_skb.csv',
      'trace/kfree_skb-format.txt',
      'trace/meta.json',
    ]);
    expect(meta(files).bufferKbPerCpu).toBe(4096);
  });

  it('are the same for both kinds, but for the host and instance a reproduction names', () => {
    const trace = { stream: stream(2), bufferKb: 1024 };
    const node = meta(traceFiles('trace/', 'vmB', trace));
    const repro = meta(
      traceFiles('repro/trace/receiver-', 'vmB', trace, { instance: 'dropkit-r1' }),
    );
    expect(Object.keys(node)).toEqual([
      'event',
      'aggregation',
      'bufferKbPerCpu',
      'eventsLostToTheCap',
      'kernelHasReasons',
      'unavailable',
      'totals',
    ]);
    expect(repro).toEqual({ host: 'vmB', ...node, instance: 'dropkit-r1' });
    expect(Object.keys(repro).slice(0, 3)).toEqual(['host', 'event', 'instance']);
    expect(node.aggregation).toBe(TRACE_AGGREGATION);
    expect(node.eventsLostToTheCap).toBe(2);
  });

  it('feed the diagnosis only when something was counted', () => {
    expect(traceDiagnosis('vmB', undefined)).toEqual({});
    const unavailable = newTraceStream();
    feedTrace(unavailable, 'Q tracefs not mounted\n');
    expect(traceDiagnosis('vmB', { stream: unavailable, bufferKb: 1024 })).toEqual({});
    expect(traceDiagnosis('vmB', { stream: stream(5), bufferKb: 1024 })).toEqual({
      trace: {
        host: 'vmB',
        kernelHasReasons: true,
        // Events were lost to the buffer: the counts are lower bounds.
        capped: true,
        entries: [{ reason: 'CPU_BACKLOG', location: 'enqueue_to_backlog', count: 3 }],
      },
    });
  });
});
