import { parseSoftnetStat } from '../../collectors/softnet-stat.js';
import type { Progress } from '../../kit/progress.js';
import { RUN_ID } from '../../kit/transport/command-line.js';
import { parseProfile } from '../../repro/profile.js';
import type { RunOptions, RunRecord } from '../../repro/run/run.js';
import { fixture } from '../collectors/fixture-files.js';
import { capture } from '../fakes/captures.js';
import { type Answer, type FakeCall, FakeTransport, type Reply } from '../fakes/fake-transport.js';
import {
  samplerOutput,
  snapshotOutput,
  traceEnd,
  traceFormat,
  traceInterval,
} from '../fakes/host-output.js';

// A reproduction between the two captured hosts (test/fakes/captures): vmA
// sends, vmB receives at 198.18.0.12, one 2 s UDP burst phase whose iperf3
// arguments are those of the udp-burst-P2 capture (test/fixtures/iperf3).

export const PROFILE = parseProfile(
  'name: burst-test\ndescription: the udp-burst-P2 capture, as a profile\nphases:\n  - name: burst\n    protocol: udp\n    streams: 2\n    bitrate: 500M\n    burst: 32\n    length: 1400\n    duration: 2\n',
  'burst-test.yaml',
);

// The exact commands, as the fake keys them.
export const PROBE = 'doctor probe: probe script';
export const CLOCK = 'date +%s.%N';
export const PORTS = 'port: ports script';
export const PORT_CHECK = 'port check: ports script';
export const ROUTE = 'ip -o route get 198.18.0.12';
export const SNAPSHOT_BEFORE = 'snapshot before: snapshot script';
export const SNAPSHOT_AFTER = 'snapshot after: snapshot script';
export const SAMPLER = 'sampler: sampler script';
export const TRACER = 'drop tracing: tracer script';
export const TRACER_LEFTOVER = 'drop tracing cleanup: tracer leftover script';
// The tracer stops (and its leftover check runs) while the "after" snapshot
// is taken (run.ts overlaps them), so the host sees the two in either order:
// this puts the check after the snapshot when it came just before it.
export function overlapOrder(keys: readonly string[]): string[] {
  const out = [...keys];
  for (let i = 0; i + 1 < out.length; i++)
    if (out[i] === TRACER_LEFTOVER && out[i + 1] === SNAPSHOT_AFTER)
      [out[i], out[i + 1]] = [SNAPSHOT_AFTER, TRACER_LEFTOVER];
  return out;
}
export const SERVER = 'iperf3 -s -1 -J -p 5201 --idle-timeout 32';
export const CLIENT =
  'iperf3 -c 198.18.0.12 -p 5201 -J --get-server-output --connect-timeout 5000 -u -b 500M/32 -P 2 -l 1400 -t 2';
export const SWEEP_KILL = `sweep kill DROPKIT_RUN=${RUN_ID}`;

// The host clock, as `date +%s.%N` prints it: this machine's, so offsets are ~0.
const clockNow: Answer = () => {
  const ms = Date.now();
  return { stdout: `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000000\n` };
};

const SOFTNET = fixture('softnet_stat/aws-ec2-ubuntu-5.4.0-1084-aws-2cpu-11col.txt');

// The same capture, parsed, for samples built by hand.
export function softnetRows() {
  return parseSoftnetStat(SOFTNET).value.rows;
}

function snapshot(host: 'vmA' | 'vmB'): Answer {
  return (call) => ({
    stdout: snapshotOutput(call.req.script!, [
      { id: 'uname', body: capture(`uname-${host}.txt`) },
      { id: 'hostname', body: capture(`hostname-${host}.txt`) },
      { id: 'proc_net_dev', body: capture(`proc-net-dev-${host}.txt`) },
      { id: 'softnet_stat', body: SOFTNET },
      // Both hosts share one kernel in the lab, so one capture serves both.
      { id: 'sysctl', body: capture('sysctl-vmB.txt') },
    ]),
  });
}

// Two samples at once, then more only when stopped: the run sees a sampler
// that is producing, and the record keeps all three.
function sampler(): Answer {
  return async (call) => {
    const t0 = BigInt(Date.now()) * 1_000_000n;
    const at = (i: number, rx: bigint) => ({
      hostNs: t0 + BigInt(i) * 100_000_000n,
      softnet: SOFTNET,
      counters: { 'eth0/rx_bytes': rx, 'eth0/rx_packets': rx / 1400n, 'eth0/rx_dropped': 0n },
    });
    call.emit(samplerOutput(call.req.script!, [at(0, 180n), at(1, 12_500_180n)]));
    await call.ended;
    return { stdout: samplerOutput(call.req.script!, [at(2, 25_000_180n)], 2), exitCode: 143 };
  };
}

// skb:kfree_skb with the captured format file, one interval of backlog drops,
// and its last line once released.
export const tracer: Answer = async (call) => {
  call.emit(traceFormat(capture('kfree_skb-format.txt')));
  call.emit(
    traceInterval({
      uptime: 812.25,
      drops: [{ count: 7, reason: 'CPU_BACKLOG', location: 'enqueue_to_backlog' }],
    }),
  );
  await call.ended;
  return { stdout: traceEnd(0) };
};

// The traffic between the two fakes: the server listens while it runs, and a
// one-off server ends by itself once its client is done.
export class Traffic {
  serverUp = false;
  private finish: () => void = () => undefined;
  readonly clientDone = new Promise<'done'>((r) => {
    this.finish = () => r('done');
  });
  done(): void {
    this.finish();
  }
}

function server(traffic: Traffic): Answer {
  return async (call) => {
    traffic.serverUp = true;
    const why = await Promise.race([traffic.clientDone, call.ended]);
    traffic.serverUp = false;
    const file = why === 'done' ? 'udp-burst-P2-server.json' : 'sigterm-server.json';
    return { stdout: fixture(`iperf3/${file}`) };
  };
}

function client(traffic: Traffic): Answer {
  return () => {
    traffic.done();
    return { stdout: fixture('iperf3/udp-burst-P2-client.json') };
  };
}

// A client during which `act` happens (a Ctrl-C, a lost host); it then runs
// until stopped, and prints what iperf3 prints on SIGTERM.
export function clientStoppedBy(traffic: Traffic, act: (call: FakeCall) => void): Answer {
  return async (call) => {
    act(call);
    await call.ended;
    traffic.done();
    return { stdout: fixture('iperf3/sigterm-client.json') };
  };
}

export interface Pair {
  vmA: FakeTransport;
  vmB: FakeTransport;
  traffic: Traffic;
}

// Both hosts, answering every command of a complete run; `over` replaces or
// adds answers by key.
export function pair(
  over: {
    vmA?: (t: Traffic) => Record<string, Answer>;
    vmB?: (t: Traffic) => Record<string, Answer>;
  } = {},
): Pair {
  const traffic = new Traffic();
  const sweeps: Record<string, Reply> = { [SWEEP_KILL]: {} };
  const vmA = new FakeTransport('vmA', {
    [PROBE]: { stdout: capture('probe-vmA.txt') },
    [CLOCK]: clockNow,
    [ROUTE]: { stdout: capture('route-get-vmA.txt') },
    [SNAPSHOT_BEFORE]: snapshot('vmA'),
    [SNAPSHOT_AFTER]: snapshot('vmA'),
    [SAMPLER]: sampler(),
    [CLIENT]: client(traffic),
    ...sweeps,
    ...over.vmA?.(traffic),
  });
  const vmB = new FakeTransport('vmB', {
    [PROBE]: { stdout: capture('probe-vmB.txt') },
    [CLOCK]: clockNow,
    [PORTS]: { stdout: capture('proc-net-vmB-idle.txt') },
    [PORT_CHECK]: () => ({
      stdout: capture(traffic.serverUp ? 'proc-net-vmB-iperf3-5201.txt' : 'proc-net-vmB-idle.txt'),
    }),
    [SNAPSHOT_BEFORE]: snapshot('vmB'),
    [SNAPSHOT_AFTER]: snapshot('vmB'),
    [SAMPLER]: sampler(),
    [TRACER]: tracer,
    [TRACER_LEFTOVER]: { stdout: '' },
    [SERVER]: server(traffic),
    ...sweeps,
    ...over.vmB?.(traffic),
  });
  return { vmA, vmB, traffic };
}

// The run's steps as `ok NAME` / `FAIL NAME`.
export function stepsOf(rec: RunRecord): string[] {
  return rec.steps.map((s) => `${s.ok ? 'ok' : 'FAIL'} ${s.step}`);
}

// Progress as lines, to check what the operator is shown.
export function recordedProgress(): Progress & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    step: (name, _ms, ok, detail) => lines.push(`${ok ? 'ok' : 'FAIL'} ${name}: ${detail ?? ''}`),
    status() {},
    note() {},
    done() {},
  };
}

// The run's options for this pair; the fakes stand in for the SSH opener.
export function options(
  p: Pair,
  over: Partial<RunOptions> = {},
): RunOptions & { progress: ReturnType<typeof recordedProgress> } {
  return {
    pair: ['vmA', 'vmB'],
    reverse: false,
    profile: PROFILE,
    sampleIntervalMs: 100,
    open: async (spec) => (spec === 'vmA' ? p.vmA : spec === 'vmB' ? p.vmB : fail(spec)),
    signal: new AbortController().signal,
    ...over,
    progress: recordedProgress(),
  };
}

function fail(spec: string): never {
  throw new Error(`no fake host ${spec}`);
}
