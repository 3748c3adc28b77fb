import { describe, expect, it } from 'vitest';
import { runData } from '../../../bundles/report/run-data.js';
import { feedTrace, newTraceStream, traceCsv } from '../../../collectors/trace/parse.js';

// The drop reasons' chart from a receiver's kfree_skb.csv as the bundle
// writes it (traceCsv), intervals with no drop included.
function reasonsOf(stream: string) {
  const st = newTraceStream();
  feedTrace(st, stream);
  // The trace clock placed on the run's axis: uptime 100.5 s -> 100,500 ms.
  const csv = traceCsv('vmB', st, (s) => s * 1000);
  const files = new Map([['repro/trace/receiver-kfree_skb.csv', Buffer.from(csv)]]);
  return { csv, reasons: runData(files, '').reasons };
}

describe('drop reasons over the run', () => {
  const stream = [
    'I 5 CPU_BACKLOG enqueue_to_backlog',
    'T 100.5',
    'T 101.5',
    'I 7 CPU_BACKLOG enqueue_to_backlog',
    'I 2 SOCKET_RCVBUFF udp_queue_rcv_one_skb',
    'T 102.5',
    '',
  ].join('\n');

  it('kfree_skb.csv has a row for a second with no drop: count 0, no reason', () => {
    const { csv } = reasonsOf(stream);
    const rows = csv.trim().split('\n').slice(1);
    expect(rows).toHaveLength(4);
    expect(rows[1]).toMatch(/^101500\.000,[^,]+,101\.5,vmB,,,0$/);
  });

  it('each reason has a point every counted second: 0 where it dropped nothing', () => {
    const { reasons } = reasonsOf(stream);
    const by = new Map(reasons.map((r) => [r.label, r.points]));
    expect([...by.keys()].sort()).toEqual([
      'CPU_BACKLOG at enqueue_to_backlog',
      'SOCKET_RCVBUFF at udp_queue_rcv_one_skb',
    ]);
    expect(by.get('CPU_BACKLOG at enqueue_to_backlog')).toEqual([
      [100_500, 5],
      [101_500, 0],
      [102_500, 7],
    ]);
    expect(by.get('SOCKET_RCVBUFF at udp_queue_rcv_one_skb')).toEqual([
      [100_500, 0],
      [101_500, 0],
      [102_500, 2],
    ]);
  });

  it('a run with no drop at all draws no reason', () => {
    expect(reasonsOf('T 100.5\nT 101.5\n').reasons).toEqual([]);
  });
});
