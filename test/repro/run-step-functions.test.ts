import { describe, expect, it } from 'vitest';
import { parseProbe } from '../../kit/doctor/probe.js';
import { DropkitError } from '../../kit/errors.js';
import { RUN_ID } from '../../kit/transport/command-line.js';
import { cleanup } from '../../repro/run/cleanup.js';
import { connect } from '../../repro/run/connect.js';
import { dataPlane } from '../../repro/run/data-plane.js';
import { liveStatus } from '../../repro/run/live.js';
import { preflight, preflightError } from '../../repro/run/preflight.js';
import type { HostRun, RunRecord } from '../../repro/run/record.js';
import { rootCause } from '../../repro/run/root-cause.js';
import { firstSamples, samplerRecord, startSamplers } from '../../repro/run/samplers.js';
import { serverPort } from '../../repro/run/server-port.js';
import { snapshotsAfterFailure } from '../../repro/run/snapshots.js';
import { startTrace, traceRecord, traceSkipReason } from '../../repro/run/trace.js';
import { capture } from '../fakes/captures.js';
import { FakeTransport, LOSE } from '../fakes/fake-transport.js';
import { traceFormat } from '../fakes/host-output.js';
import * as h from './run-hosts.js';
import { softnetRows } from './run-hosts.js';

// Each step of the run on its own, with plain data in and out.

const signal = new AbortController().signal;
const facts = (host: 'vmA' | 'vmB') => parseProbe(capture(`probe-${host}.txt`));

describe('connect', () => {
  it('keeps the host that opened when the other fails, and names the one that failed', async () => {
    const { vmA } = h.pair();
    const err = new Error('refused');
    const c = await connect(
      async (spec) => {
        if (spec === 'vmA') return vmA;
        throw err;
      },
      ['vmA', 'vmB'],
    );
    expect(c.transports).toEqual([vmA, undefined]);
    expect(c.failed).toEqual({ spec: 'vmB', error: err });
  });
});

describe('preflight', () => {
  it("gives both hosts' reports, clocks included, and blocks on iperf3 missing", async () => {
    const { vmA, vmB } = h.pair({
      vmB: () => ({ [h.PROBE]: { stdout: capture('probe-vmB-no-iperf3.txt') } }),
    });
    const [a, b] = await preflight(vmA, vmB, signal);
    expect([a.host, a.ok, b.host, b.ok]).toEqual(['vmA', true, 'vmB', false]);
    expect(a.clock?.resolution).toBe('ns');
    expect(preflightError([a])).toBeUndefined();
    expect(preflightError([a, b])).toMatchObject({
      code: 'PREFLIGHT_FAILED',
      host: 'vmB',
      step: 'preflight',
      message: 'vmB tools: iperf3 MISSING, ethtool 6.1, ip 6.1.0, tc 6.1.0',
    });
  });
});

describe('server port', () => {
  it('takes the first free port from 5201, or the one asked for when free', async () => {
    const { vmB } = h.pair({
      vmB: () => ({ [h.PORTS]: { stdout: capture('proc-net-vmB-iperf3-5201.txt') } }),
    });
    expect(await serverPort(vmB, { spec: 'vmB', signal })).toBe(5202);
    expect(await serverPort(vmB, { spec: 'vmB', wanted: 5290, signal })).toBe(5290);
    await expect(serverPort(vmB, { spec: 'vmB', wanted: 5201, signal })).rejects.toMatchObject({
      message: 'port 5201 is already in use',
      host: 'vmB',
    });
  });
});

describe('data plane', () => {
  const base = {
    senderAddresses: facts('vmA').addresses,
    receiverAddresses: facts('vmB').addresses,
    senderSpec: 'vmA',
    receiverSpec: 'vmB',
    signal,
  };

  it("finds the receiver's address on the shared subnet and both interfaces", async () => {
    expect(await dataPlane(h.pair().vmA, base)).toEqual({
      serverAddress: '198.18.0.12',
      senderIface: 'eth0',
      receiverIface: 'eth0',
    });
  });

  it('reports no route from the sender, and a receiver without an address, by host', async () => {
    const vmA = new FakeTransport('vmA', {
      'ip -o route get 203.0.113.9': {
        stderr: capture('route-get-vmA-unreachable.txt'),
        exitCode: 2,
      },
    });
    await expect(dataPlane(vmA, { ...base, serverAddress: '203.0.113.9' })).rejects.toMatchObject({
      oneLine: 'vmA: addresses: no route to 203.0.113.9',
    });
    await expect(dataPlane(vmA, { ...base, receiverAddresses: [] })).rejects.toMatchObject({
      oneLine: 'vmB: addresses: the receiver has no global address',
      hint: 'give one with --server-address',
    });
    expect(vmA.keys()).toEqual(['ip -o route get 203.0.113.9']);
  });
});

describe('snapshots after a failure', () => {
  it('only where wanted and reachable; a host that fails is left without one', async () => {
    const { vmA } = h.pair();
    const vmB = new FakeTransport('vmB', { [h.SNAPSHOT_AFTER]: LOSE });
    const after = await snapshotsAfterFailure([
      { transport: vmA, wanted: true },
      { transport: vmB, wanted: true },
      { transport: undefined, wanted: true },
      { transport: vmA, wanted: false },
    ]);
    expect(after.map((s) => s?.snapshot.facts.hostname)).toEqual([
      'vmA',
      undefined,
      undefined,
      undefined,
    ]);
    expect(vmA.keys()).toEqual([h.SNAPSHOT_AFTER]);
  });
});

describe('samplers', () => {
  it('start on every host, produce, and leave a plain record once stopped', async () => {
    const { vmA, vmB } = h.pair();
    const sessions = startSamplers([{ transport: vmA, dataIface: 'eth0' }, { transport: vmB }], {
      intervalMs: 100,
      maxSeconds: 122,
      signal,
    });
    await firstSamples(sessions, ['vmA', 'vmB']);
    await Promise.all(sessions.map((s) => s.stop()));
    const [a, b] = sessions.map(samplerRecord);
    expect(a?.samples.map((s) => s.seq)).toEqual([0, 1, 2]);
    expect(a?.script).toContain('di=eth0; max=122');
    expect(b?.script).toContain("di=''; max=122");
    expect(a?.warnings).toEqual([]);
    expect(vmA.call(h.SAMPLER)).toMatchObject({ tied: true, released: true });
  });
});

describe('drop tracing', () => {
  it('is skipped without the event or without privilege, with the reason', () => {
    expect(traceSkipReason(facts('vmB'))).toBeUndefined();
    expect(traceSkipReason({ ...facts('vmB'), kfreeSkb: 'absent', tracefs: 'unmounted' })).toBe(
      'skb:kfree_skb not available (unmounted)',
    );
    expect(traceSkipReason({ ...facts('vmB'), uid: 1000, sudo: 'password' })).toBe(
      'needs root or passwordless sudo',
    );
    expect(traceSkipReason(undefined)).toBe('skb:kfree_skb not available (unknown)');
  });

  it('a tracer that ended without its last line has its instance removed, as root', async () => {
    const vmB = new FakeTransport('vmB', {
      [h.TRACER]: async (call) => {
        call.emit(traceFormat(capture('kfree_skb-format.txt')));
        await call.ended;
        return { exitCode: 137 };
      },
      'drop tracing cleanup: tracer leftover script': { stdout: 'removed\n' },
    });
    const s = startTrace(vmB, { runId: RUN_ID, maxSeconds: 122, signal });
    await s.stop();
    const r = traceRecord(s);
    expect(r).toMatchObject({ instance: `dropkit-${RUN_ID}`, leftoverRemoved: true });
    expect(r.stream.format.join('\n')).toContain('field:enum skb_drop_reason reason;');
    expect(vmB.calls.map((c) => [c.key, c.root])).toEqual([
      [h.TRACER, true],
      ['drop tracing cleanup: tracer leftover script', true],
    ]);
  });
});

describe('root cause', () => {
  const hosts = (failure?: HostRun['failure']): HostRun[] => [
    { role: 'sender', spec: 'vmA' },
    { role: 'receiver', spec: 'vmB', ...(failure ? { failure } : {}) },
  ];
  const refused = new DropkitError({
    code: 'COMMAND_FAILED',
    message: 'iperf3 client: unable to connect to server: Connection refused',
    host: 'vmA',
    step: 'traffic: burst',
  });

  it('names the host that went away when the other one failed because of it', () => {
    const e = rootCause(refused, hosts({ step: 'connection', message: 'SSH connection lost' }));
    expect(e.toJSON()).toMatchObject({
      code: 'CONNECTION_LOST',
      host: 'vmB',
      step: 'traffic: burst',
    });
    expect(e.message).toBe(
      'SSH connection lost (during traffic: burst; then vmA: traffic: burst: iperf3 client: unable to connect to server: Connection refused)',
    );
  });

  it('keeps the error when no host was lost, or when it is an interrupt', () => {
    expect(rootCause(refused, hosts({ step: 'preflight', message: 'x' }))).toBe(refused);
    const ctrlC = new DropkitError({ code: 'ABORTED', message: 'interrupted', step: 'samplers' });
    expect(rootCause(ctrlC, hosts({ step: 'connection', message: 'lost' }))).toBe(ctrlC);
  });
});

describe('cleanup', () => {
  it('sweeps as root where sudo allows it, skips hosts never reached, and closes every connection', async () => {
    const { vmA } = h.pair();
    const vmB = new FakeTransport(
      'vmB',
      { [h.SWEEP_KILL]: {} },
      { user: 'azureuser', isRoot: false },
    );
    const r = await cleanup(
      [
        { spec: 'vmA', transport: vmA, sudo: 'root' },
        { spec: 'vmB', transport: vmB, sudo: 'passwordless' },
        { spec: 'vmC', transport: undefined, sudo: undefined },
      ],
      RUN_ID,
    );
    expect(r).toEqual({ leftovers: [[], [], undefined], problems: [] });
    expect(vmA.calls.map((c) => [c.key, c.root])).toEqual([[h.SWEEP_KILL, false]]);
    expect(vmB.calls.map((c) => [c.key, c.root])).toEqual([[h.SWEEP_KILL, true]]);
    expect([vmA.closed, vmB.closed]).toEqual([true, true]);
  });
});

describe('the live status line', () => {
  it("reads the receiver's throughput and each host's drops per second from the last two samples", () => {
    const rec = {
      profile: h.PROFILE,
      phases: [],
      hosts: [
        { role: 'sender', spec: 'vmA' },
        { role: 'receiver', spec: 'vmB', dataIface: 'eth0' },
      ],
    } as unknown as RunRecord;
    const sample = (seq: number, ms: number, rxBytes: bigint, rxDropped: bigint) => ({
      seq,
      hostNs: BigInt(ms) * 1_000_000n,
      softnet: softnetRows(),
      ifaces: { eth0: { rx_bytes: rxBytes, rx_dropped: rxDropped } },
    });
    const quiet = [sample(0, 1000, 0n, 0n), sample(1, 1100, 0n, 0n)];
    const busy = [sample(0, 1000, 0n, 0n), sample(1, 1100, 12_500_000n, 40n)];
    const s = liveStatus(rec, [quiet, busy], Date.now() - 1500, 2);
    expect(s.phase).toBe('burst');
    expect(s.throughputBps).toBeCloseTo(1e9, 0);
    expect(s.dropRates).toEqual([
      { host: 'vmA', perSec: 0 },
      { host: 'vmB', perSec: expect.closeTo(400, 6) },
    ]);
  });
});
