import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import {
  feedTrace,
  kernelHasReasons,
  newTraceStream,
  traceCsv,
  traceTotals,
} from '../../../collectors/trace/parse.js';
import { traceScript } from '../../../collectors/trace/script.js';
import { TraceSession } from '../../../collectors/trace/session.js';
import { FakeTransport } from '../../fakes/fake-transport.js';

describe('drop trace stream', () => {
  it('aggregates intervals into totals by reason and location, across split chunks', () => {
    const st = newTraceStream();
    const text =
      'F<\nname: kfree_skb\n\tfield:enum skb_drop_reason reason;\toffset:36;\nF>\nI 5 CPU_BACKLOG enqueue_to_backlog\nI 2 - __udp4_lib_rcv\nT 100.5\nI 7 CPU_BACKLOG enqueue_to_backlog\nT 101.5\nO 3\n';
    for (let i = 0; i < text.length; i += 7) feedTrace(st, text.slice(i, i + 7));
    expect(kernelHasReasons(st)).toBe(true);
    expect(st.intervals).toHaveLength(2);
    expect(traceTotals(st)).toEqual([
      { reason: 'CPU_BACKLOG', location: 'enqueue_to_backlog', count: 12 },
      { reason: null, location: '__udp4_lib_rcv', count: 2 },
    ]);
    expect(st.overruns).toBe(3);
    expect(traceCsv('h', st).split('\n')[1]).toBe('100.5,h,CPU_BACKLOG,enqueue_to_backlog,5');
  });

  it('reports why it could not trace', () => {
    const st = newTraceStream();
    feedTrace(st, 'Q tracefs not mounted\n');
    expect(st.unavailable).toBe('tracefs not mounted');
  });

  it('the script is valid POSIX sh for dash and busybox', async () => {
    const s = traceScript({ instance: 'dropkit-x', intervalMs: 1000 });
    for (const sh of [['dash'], ['busybox', 'sh']]) {
      const r = await execa(sh[0]!, [...sh.slice(1), '-n', '-c', s], { reject: false });
      expect(r.exitCode, r.stderr).toBe(0);
    }
  });
});

describe('the tracer session', () => {
  const session = (bufferKb?: number) => {
    const t = new FakeTransport('vmB', {
      'drop tracing: tracer script': { stdout: 'O 0\n' },
      'drop tracing cleanup: tracer leftover script': { stdout: '' },
    });
    return new TraceSession(t, {
      runId: 'r1',
      intervalMs: 1000,
      maxSeconds: 5,
      ...(bufferKb ? { bufferKb } : {}),
    });
  };

  it('asks the kernel for the buffer size it reports (1 MiB per CPU unless told)', async () => {
    const dflt = session();
    dflt.start();
    await dflt.stop();
    expect(dflt.bufferKb).toBe(1024);
    expect(dflt.script).toContain('echo 1024 > "$I/buffer_size_kb"');
    const big = session(4096);
    big.start();
    await big.stop();
    expect(big.bufferKb).toBe(4096);
    expect(big.script).toContain('echo 4096 > "$I/buffer_size_kb"');
    expect(big.leftoverRemoved).toBe(false);
  });
});
