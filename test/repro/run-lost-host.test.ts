import { describe, expect, it } from 'vitest';
import { type RunRecord, runRepro } from '../../repro/run/run.js';
import { type Answer, LOSE } from '../fakes/fake-transport.js';
import { samplerOutput } from '../fakes/host-output.js';
import * as h from './run-hosts.js';

// One host's connection drops at each step of a run. The record must say
// which host and where, keep what was collected, and the cleanup must still
// sweep and close the host that is left.

const LOST = 'SSH connection lost: connection closed by remote host';
const connectionLost = { step: 'connection', message: LOST };
const unreachable = (host: string) =>
  `${host}: unreachable, could not check for leftover processes (${LOST}); the samplers and iperf3 there stop by themselves when their connection closes`;

// The other host's run ends with the sweep (a kill that prints what survived) and a close.
function cleanedUp(t: h.Pair['vmA']): void {
  expect(t.keys().slice(-1)).toEqual([h.SWEEP_KILL]);
  expect(t.calls.slice(-1).map((c) => c.end)).toEqual(['answered']);
  expect(t.closed).toBe(true);
}

// The lost host cannot be swept: its cleanup is refused, reported, and it is closed.
function unreachableAtCleanup(rec: RunRecord, t: h.Pair['vmA']): void {
  expect(t.call(h.SWEEP_KILL)?.end).toBe('refused');
  expect(rec.steps.at(-1)).toMatchObject({
    step: 'cleanup',
    ok: false,
    error: unreachable(t.info.name),
  });
  expect(t.closed).toBe(true);
}

const START = ['ok connect', 'ok preflight', 'ok port', 'ok addresses', 'ok snapshots before'];

describe('a host lost during the run', () => {
  it('preflight: the receiver goes away during the doctor probe', async () => {
    const p = h.pair({ vmB: () => ({ [h.PROBE]: LOSE }) });
    const rec = await runRepro(h.options(p));
    expect(rec.error?.code).toBe('PREFLIGHT_FAILED');
    expect(rec.error?.oneLine).toBe(`vmB: preflight: vmB connection: vmB: doctor probe: ${LOST}`);
    expect(rec.hosts[1].failure).toEqual(connectionLost);
    expect(h.stepsOf(rec)).toEqual(['ok connect', 'FAIL preflight', 'FAIL cleanup']);
    // Kept: the sender's full report.
    expect(rec.hosts[0].doctor?.ok).toBe(true);
    expect(rec.hosts[0].doctor?.facts?.hostname).toBe('vmA');
    cleanedUp(p.vmA);
    unreachableAtCleanup(rec, p.vmB);
  });

  it('clocks: the receiver goes away while its clock is read', async () => {
    const p = h.pair({ vmB: () => ({ [h.CLOCK]: LOSE }) });
    const rec = await runRepro(h.options(p));
    expect(rec.error?.code).toBe('PREFLIGHT_FAILED');
    expect(rec.error?.oneLine).toBe(`vmB: preflight: vmB connection: vmB: clock: ${LOST}`);
    expect(rec.hosts[1].failure).toEqual(connectionLost);
    // Kept: the sender's offset, measured against this machine's clock.
    expect(Math.abs(rec.hosts[0].doctor?.clock?.offsetMs ?? Number.NaN)).toBeLessThan(1000);
    expect(rec.hosts[0].doctor?.clock?.samples).toBe(3);
    cleanedUp(p.vmA);
    unreachableAtCleanup(rec, p.vmB);
  });

  it('addresses: the sender goes away on its route lookup', async () => {
    const p = h.pair({ vmA: () => ({ [h.ROUTE]: LOSE }) });
    const rec = await runRepro(h.options(p));
    expect(rec.error?.code).toBe('CONNECTION_LOST');
    expect(rec.error?.oneLine).toBe(`vmA: addresses: ${LOST}`);
    expect(rec.hosts[0].failure).toEqual(connectionLost);
    expect(h.stepsOf(rec)).toEqual([
      'ok connect',
      'ok preflight',
      'ok port',
      'FAIL addresses',
      'FAIL cleanup',
    ]);
    expect(rec.port).toBe(5201);
    expect(rec.hosts.map((x) => x.doctor?.ok)).toEqual([true, true]);
    cleanedUp(p.vmB);
    unreachableAtCleanup(rec, p.vmA);
  });

  it('snapshots: the receiver goes away during its "before" snapshot', async () => {
    const p = h.pair({ vmB: () => ({ [h.SNAPSHOT_BEFORE]: LOSE }) });
    const rec = await runRepro(h.options(p));
    expect(rec.error?.oneLine).toBe(`vmB: snapshot before: ${LOST}`);
    expect(rec.hosts[1].failure).toEqual(connectionLost);
    expect(h.stepsOf(rec)).toEqual([...START.slice(0, 4), 'FAIL snapshots before', 'FAIL cleanup']);
    expect([rec.serverAddress, rec.hosts[0].dataIface]).toEqual(['198.18.0.12', 'eth0']);
    // Both snapshots come as one step: the sender's is not kept either, so
    // there is nothing to bundle (and no "after" snapshot is attempted).
    expect(rec.hosts.map((x) => !!x.before)).toEqual([false, false]);
    expect(p.vmA.keys()).not.toContain(h.SNAPSHOT_AFTER);
    cleanedUp(p.vmA);
    unreachableAtCleanup(rec, p.vmB);
  });

  it('samplers: the sender goes away once its sampler has sent a sample', async () => {
    // The samplers start with the "before" snapshots; the sender is lost
    // after both (as the receiver's tracer starts), its sampler having sent
    // one sample.
    const firstSampleThenRun: Answer = (call) => {
      const hostNs = BigInt(Date.now()) * 1_000_000n;
      call.emit(
        samplerOutput(call.req.script!, [
          { hostNs, softnet: '', counters: { 'eth0/rx_bytes': 1n } },
        ]),
      );
      return call.ended.then(() => ({}));
    };
    let p: h.Pair | undefined;
    p = h.pair({
      vmA: () => ({ [h.SAMPLER]: firstSampleThenRun }),
      vmB: () => ({
        [h.TRACER]: (call) => {
          p!.vmA.lose();
          return typeof h.tracer === 'function' ? h.tracer(call) : h.tracer;
        },
      }),
    });
    const rec = await runRepro(h.options(p));
    // The samplers started (both had a sample); the loss stops the run at the traffic.
    expect(h.stepsOf(rec)).toEqual([
      ...START,
      'ok samplers',
      'ok drop tracing',
      'FAIL traffic: burst',
      'FAIL cleanup',
    ]);
    // The receiver's server started; the sender's client could not.
    expect(rec.error?.code).toBe('CONNECTION_LOST');
    expect(rec.error?.oneLine).toBe(`vmA: iperf3 client (burst): ${LOST}`);
    expect(rec.hosts[0].failure).toEqual(connectionLost);
    expect(p.vmA.call(h.SAMPLER)?.end).toBe('lost');
    // Kept: both "before" snapshots, the sample that arrived, and the
    // receiver's samples, trace and "after" snapshot.
    expect(rec.hosts.map((x) => !!x.before)).toEqual([true, true]);
    expect(rec.hosts[0].sampler?.samples.length).toBe(1);
    expect(rec.hosts[1].sampler?.samples.length).toBe(3);
    expect(rec.hosts[1].trace?.stream.intervals.length).toBe(1);
    expect(rec.hosts.map((x) => !!x.after)).toEqual([false, true]);
    expect(p.vmB.call(h.SAMPLER)?.end).toBe('released');
    cleanedUp(p.vmB);
    unreachableAtCleanup(rec, p.vmA);
  });

  it('traffic: the receiver goes away while the client sends, and is named as the cause', async () => {
    let p: h.Pair | undefined;
    p = h.pair({ vmA: (t) => ({ [h.CLIENT]: h.clientStoppedBy(t, () => p!.vmB.lose()) }) });
    const rec = await runRepro(h.options(p));
    expect(rec.error?.code).toBe('CONNECTION_LOST');
    expect(rec.error?.oneLine).toBe(`vmB: iperf3 server (burst): ${LOST}`);
    expect(rec.hosts[1].failure).toEqual(connectionLost);
    expect(h.stepsOf(rec)).toEqual([
      ...START,
      'ok samplers',
      'ok drop tracing',
      'FAIL traffic: burst',
      'FAIL cleanup',
    ]);
    // The sender's iperf3 and sampler were stopped, not left to run out.
    expect(p.vmA.call(h.CLIENT)).toMatchObject({ released: true, end: 'released' });
    expect(p.vmA.call(h.SAMPLER)).toMatchObject({ released: true, end: 'released' });
    expect(p.vmB.call(h.SERVER)?.end).toBe('lost');
    // Kept: what both samplers and the tracer sent before the loss, both
    // "before" snapshots, and the sender's "after" snapshot.
    expect(rec.hosts.map((x) => x.sampler?.samples.length)).toEqual([3, 2]);
    expect(rec.hosts[1].trace?.stream.intervals[0]?.entries[0]?.count).toBe(7);
    expect(rec.hosts.map((x) => [!!x.before, !!x.after])).toEqual([
      [true, true],
      [true, false],
    ]);
    expect(p.vmA.keys().slice(-2)).toEqual([h.SNAPSHOT_AFTER, h.SWEEP_KILL]);
    cleanedUp(p.vmA);
    unreachableAtCleanup(rec, p.vmB);
  });

  it('cleanup: the receiver goes away when swept; the run stands, the sender is still cleaned', async () => {
    const p = h.pair({ vmB: () => ({ [h.SWEEP_KILL]: LOSE }) });
    const rec = await runRepro(h.options(p));
    expect(rec.error).toBeUndefined();
    expect(h.stepsOf(rec).slice(-3)).toEqual([
      'ok samplers stopped',
      'ok snapshots after',
      'FAIL cleanup',
    ]);
    expect(rec.steps.at(-1)?.error).toBe(unreachable('vmB'));
    expect(rec.hosts[1].failure).toEqual(connectionLost);
    expect(rec.hosts.map((x) => x.leftovers)).toEqual([[], undefined]);
    expect(rec.hosts.map((x) => !!x.after)).toEqual([true, true]);
    cleanedUp(p.vmA);
    expect(p.vmB.call(h.SWEEP_KILL)?.end).toBe('lost');
    expect(p.vmB.keys().filter((k) => k.startsWith('sweep'))).toEqual([h.SWEEP_KILL]);
    expect(p.vmB.closed).toBe(true);
  });
});
