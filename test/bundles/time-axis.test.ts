import { describe, expect, it } from 'vitest';
import { reproBundleParts } from '../../bundles/repro-bundle.js';
import { traceFiles } from '../../bundles/trace-files.js';
import { feedTrace, newTraceStream } from '../../collectors/trace/parse.js';
import type { RunRecord } from '../../repro/run/record.js';
import { runRepro } from '../../repro/run/run.js';
import { capture } from '../fakes/captures.js';
import { traceFormat } from '../fakes/host-output.js';
import * as h from '../repro/run-hosts.js';
import { withIperf3 } from './compare-runs.js';

// One time axis in a reproduction bundle: series.csv, the drop trace, iperf3's
// intervals and the phases all on the operator's clock, in t_ms and ISO UTC.

// The udp-burst-P2 capture's iperf3 stamped both ends at this second.
const T = 1_795_789_105;

// A fake run whose clocks agree with its iperf3 capture: the client started
// 100 ms into the stamped second and returned 2.3 s later; both hosts' clocks
// measured exact within a millisecond.
async function placedRun(): Promise<RunRecord> {
  const rec = structuredClone(await runRepro(h.options(h.pair())));
  const phase = rec.phases[0]!;
  Object.assign(phase, {
    startedAt: T * 1000 - 200,
    clientStartedAt: T * 1000 + 100,
    clientEndedAt: T * 1000 + 2400,
    endedAt: T * 1000 + 2450,
  });
  for (const host of rec.hosts)
    host.doctor!.clock = { offsetMs: 0, errorMs: 1, samples: 3, resolution: 'ns' };
  return rec;
}

const bundle = (rec: RunRecord) => {
  const parts = reproBundleParts(rec, {
    createdAt: new Date(),
    command: ['repro', 'run'],
    redacted: false,
  });
  return (path: string) => parts.files.find((f) => f.path === path)?.bytes.toString('utf8');
};

describe('series.csv', () => {
  it('keeps t_ms first, then the ISO time and the role of the host', async () => {
    const rec = await runRepro(h.options(h.pair()));
    const rows = bundle(rec)('repro/series.csv')!.trim().split('\n');
    expect(rows[0]).toBe('t_ms,time,host,role,key,value');
    const roles = new Set<string>();
    for (const row of rows.slice(1)) {
      const [tMs, time, host, role] = row.split(',');
      expect(new Date(time!).toISOString()).toBe(time);
      expect(Date.parse(time!)).toBe(Math.floor(Number(tMs)));
      expect(role).toBe(host === 'vmA' ? 'sender' : 'receiver');
      roles.add(role!);
    }
    expect([...roles].sort()).toEqual(['receiver', 'sender']);
  });
});

describe('the drop trace', () => {
  const stream = () => {
    const st = newTraceStream();
    feedTrace(st, traceFormat(capture('kfree_skb-format.txt')));
    // References 100 s apart, the trace clock on time; markers 2 ms apart.
    feedTrace(
      st,
      [
        'K [local] global counter uptime perf mono mono_raw boot',
        'R 800.000000 800.002000 1795789000.001000000',
        'I 7 CPU_BACKLOG enqueue_to_backlog',
        'T 812.250000',
        'R 900.000000 900.002000 1795789100.001000000',
        'T 900.003000',
        'O 0',
        '',
      ].join('\n'),
    );
    return st;
  };

  it("goes on the operator's axis through the tracer's references and the host's offset", () => {
    // The receiver's clock is 1.5 s ahead of the operator's, known within 0.4 ms.
    const files = traceFiles(
      'repro/trace/receiver-',
      'vmB',
      { stream: stream(), bufferKb: 1024 },
      {
        instance: 'dropkit-r1',
        clock: { offsetMs: 1500, errorMs: 0.4 },
      },
    );
    const csv = files.find((f) => f.path.endsWith('kfree_skb.csv'))!.bytes.toString();
    // 812.25 s of trace is 12.249 s after the first reference's middle (800.001 s, …000.001 UTC).
    const t = (1795789000.001 + 12.249) * 1000 - 1500;
    expect(csv.split('\n').slice(0, 2)).toEqual([
      't_ms,time,uptime_s,host,reason,location,count',
      `${t.toFixed(3)},${new Date(Math.floor(t)).toISOString()},812.25,vmB,CPU_BACKLOG,enqueue_to_backlog,7`,
    ]);
    const meta = JSON.parse(files.find((f) => f.path.endsWith('meta.json'))!.bytes.toString());
    expect(meta.timeAxis).toMatchObject({
      traceClock: 'local',
      references: 2,
      driftPpm: 0,
      placed: true,
    });
    // ±1 ms from the markers, ±0.4 ms from the offset.
    expect(meta.timeAxis.errorMs).toBeCloseTo(1.4, 6);
  });

  it('without references (an older tracer, no date on the host) its rows keep their trace time only', () => {
    const st = newTraceStream();
    feedTrace(st, 'I 3 - __udp4_lib_rcv\nT 100.5\n');
    const files = traceFiles(
      'repro/trace/receiver-',
      'vmB',
      { stream: st, bufferKb: 1024 },
      {
        instance: 'dropkit-r1',
        clock: { offsetMs: 0, errorMs: 1 },
      },
    );
    const csv = files.find((f) => f.path.endsWith('kfree_skb.csv'))!.bytes.toString();
    expect(csv.split('\n')[1]).toBe(',,100.5,vmB,,__udp4_lib_rcv,3');
    const meta = JSON.parse(files.find((f) => f.path.endsWith('meta.json'))!.bytes.toString());
    expect(meta.timeAxis).toMatchObject({ placed: false, errorMs: null, references: 0 });
  });

  it("a node bundle's trace is as it was: no operator clock there", () => {
    const files = traceFiles('trace/', 'vmB', { stream: stream(), bufferKb: 1024 });
    const csv = files.find((f) => f.path.endsWith('kfree_skb.csv'))!.bytes.toString();
    expect(csv.split('\n')[0]).toBe('uptime_s,host,reason,location,count');
  });
});

describe('repro/phases.json', () => {
  it('matches the record: each phase as run, iperf3 inside it, and every step', async () => {
    const rec = await placedRun();
    const phases = JSON.parse(bundle(rec)('repro/phases.json')!);
    const p = rec.phases[0]!;
    expect(phases.traffic).toEqual({
      startMs: p.startedAt,
      endMs: p.endedAt,
      start: new Date(p.startedAt).toISOString(),
      end: new Date(p.endedAt).toISOString(),
    });
    expect(phases.phases).toHaveLength(rec.phases.length);
    const [burst] = phases.phases;
    expect(burst).toMatchObject({
      phase: 'burst',
      protocol: 'udp',
      directions: ['client-to-server'],
      durationS: 2,
      startMs: p.startedAt,
      endMs: p.endedAt,
      start: new Date(p.startedAt).toISOString(),
    });
    // The stamps allow T…T+1.25 s, the client T+0.1…T+0.4 (2.000258 s of test).
    expect(burst.iperf3.basis).toBe('timestamps and phase');
    expect(burst.iperf3.startMs).toBeCloseTo(T * 1000 + 249.871, 3);
    expect(burst.iperf3.endMs).toBeCloseTo(T * 1000 + 249.871 + 2000.258, 3);
    expect(burst.iperf3.errorMs).toBe(150);
    expect(burst.iperf3.startMs).toBeGreaterThanOrEqual(p.startedAt);
    expect(burst.iperf3.endMs).toBeLessThanOrEqual(p.endedAt);
    expect(phases.steps.map((s: { step: string }) => s.step)).toEqual(rec.steps.map((s) => s.step));
    rec.steps.forEach((s, i) => {
      expect(phases.steps[i].start).toBe(s.startedAt);
      expect(phases.steps[i].endMs - phases.steps[i].startMs).toBeCloseTo(s.ms, 2);
      expect(phases.steps[i].ok).toBe(s.ok);
    });
  });
});

describe('repro/iperf3/intervals.csv', () => {
  it("both ends' reports, each at its interval's end on the operator's clock", async () => {
    const rec = await placedRun();
    const rows = bundle(rec)('repro/iperf3/intervals.csv')!.trim().split('\n');
    expect(rows[0]).toBe(
      't_ms,time,phase,host,role,direction,side,start_s,end_s,bits_per_second,bytes,packets,lost_packets,jitter_ms,retransmits,omitted',
    );
    const t0 = T * 1000 + 249.871;
    const cells = rows.slice(1).map((r) => r.split(','));
    // The client's four half-second reports of what it sent, the server's two of what it received.
    expect(cells.map((c) => [c[2], c[3], c[4], c[5], c[6], c[8]])).toEqual([
      ['burst', 'vmA', 'sender', 'client-to-server', 'sent', '0.500105'],
      ['burst', 'vmA', 'sender', 'client-to-server', 'sent', '1.000104'],
      ['burst', 'vmA', 'sender', 'client-to-server', 'sent', '1.500108'],
      ['burst', 'vmA', 'sender', 'client-to-server', 'sent', '2.000258'],
      ['burst', 'vmB', 'receiver', 'client-to-server', 'received', '1.000107'],
      ['burst', 'vmB', 'receiver', 'client-to-server', 'received', '2.00009'],
    ]);
    for (const c of cells) {
      expect(Number(c[0])).toBeCloseTo(t0 + Number(c[8]) * 1000, 2);
      expect(c[1]).toBe(new Date(Math.floor(Number(c[0]))).toISOString());
    }
    // UDP: the receiver's loss and jitter, the sender's packets.
    expect(cells[4]!.slice(11, 14)).toEqual(['89216', '42', '0.0012982708098806049']);
  });

  it('a reversed phase: the server on the receiver sends, the client on the sender receives', async () => {
    const rec = withIperf3(await placedRun(), 'udp-reverse-client.json', 'udp-reverse-server.json');
    const rows = bundle(rec)('repro/iperf3/intervals.csv')!.trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(',').slice(3, 7))).toEqual([
      ['vmB', 'receiver', 'server-to-client', 'sent'],
      ['vmA', 'sender', 'server-to-client', 'received'],
    ]);
  });
});
