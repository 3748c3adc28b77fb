import { describe, expect, it } from 'vitest';
import { reproBundleParts } from '../../bundles/repro-bundle.js';
import { DropkitError } from '../../kit/errors.js';
import { RUN_ID } from '../../kit/transport/command-line.js';
import { runRepro } from '../../repro/run/run.js';
import { fixture } from '../collectors/fixture-files.js';
import { capture } from '../fakes/captures.js';
import { FakeTransport } from '../fakes/fake-transport.js';
import { snapshotOutput } from '../fakes/host-output.js';
import * as h from './run-hosts.js';

// A whole `repro run` against two fake hosts, in milliseconds and without
// root: the order of the commands each host is sent, and what the record
// says after a success, an interrupt, a lost host or a host left dirty.

describe('a complete run', () => {
  it('sends each host its commands in order, releases what it started, and cleans up', async () => {
    const p = h.pair();
    const o = h.options(p);
    const rec = await runRepro(o);
    expect(rec.error).toBeUndefined();
    expect(h.stepsOf(rec)).toEqual([
      'ok connect',
      'ok preflight',
      'ok port',
      'ok addresses',
      'ok snapshots before',
      'ok samplers',
      'ok drop tracing',
      'ok traffic: burst',
      'ok samplers stopped',
      'ok snapshots after',
      'ok cleanup',
    ]);
    expect(p.vmA.keys()).toEqual([
      h.PROBE,
      h.CLOCK,
      h.CLOCK,
      h.CLOCK,
      h.ROUTE,
      h.SAMPLER,
      h.SNAPSHOT_BEFORE,
      h.CLIENT,
      h.SNAPSHOT_AFTER,
      h.SWEEP_KILL,
    ]);
    expect(h.overlapOrder(p.vmB.keys())).toEqual([
      h.PROBE,
      h.CLOCK,
      h.CLOCK,
      h.CLOCK,
      h.PORTS,
      h.SAMPLER,
      h.SNAPSHOT_BEFORE,
      h.TRACER,
      h.SERVER,
      h.PORT_CHECK,
      h.SNAPSHOT_AFTER,
      h.TRACER_LEFTOVER,
      h.SWEEP_KILL,
    ]);
    // The samplers and the tracer ran until the run released them; the tracer as root.
    for (const c of [p.vmA.call(h.SAMPLER), p.vmB.call(h.SAMPLER), p.vmB.call(h.TRACER)])
      expect(c).toMatchObject({ tied: true, released: true, end: 'released' });
    expect(p.vmB.call(h.TRACER)?.root).toBe(true);
    expect(p.vmA.closed && p.vmB.closed).toBe(true);
    expect(o.progress.lines).toEqual([
      'ok connect: ',
      'ok preflight: ',
      'ok port: 5201 on vmB',
      'ok addresses: vmA → 198.18.0.12 (vmB) via eth0',
      'ok snapshots before: ',
      'ok samplers: ',
      'ok drop tracing: skb:kfree_skb on vmB',
      'ok traffic: burst: 2 s of UDP vmA → vmB',
      'ok samplers stopped: ',
      'ok snapshots after: ',
      'ok cleanup: no dropkit process left on either host',
    ]);
  });

  it('returns plain data that the bundle builder reads as it is', async () => {
    const rec = await runRepro(h.options(h.pair()));
    // No connection or session inside: the record clones like any value.
    expect(() => structuredClone(rec)).not.toThrow();
    const [a, b] = rec.hosts;
    expect(a.transport).toEqual({ info: expect.objectContaining({ name: 'vmA', user: 'root' }) });
    expect(a.transport).not.toBeInstanceOf(FakeTransport);
    expect([rec.port, rec.serverAddress, a.dataIface, b.dataIface]).toEqual([
      5201,
      '198.18.0.12',
      'eth0',
      'eth0',
    ]);
    expect(a.sampler?.samples.map((s) => s.seq)).toEqual([0, 1, 2]);
    expect(b.sampler?.samples[2]?.ifaces['eth0']?.['rx_bytes']).toBe(25_000_180n);
    expect(b.trace?.instance).toBe(`dropkit-${RUN_ID}`);
    expect(b.trace?.stream.intervals).toEqual([
      {
        uptime: 812.25,
        entries: [{ count: 7, reason: 'CPU_BACKLOG', location: 'enqueue_to_backlog' }],
      },
    ]);
    expect([b.before?.snapshot.facts.hostname, a.leftovers, b.leftovers]).toEqual(['vmB', [], []]);
    expect(rec.phases[0]?.clientJson).toBe(fixture('iperf3/udp-burst-P2-client.json'));
    expect(rec.phases[0]?.serverJson).toBe(fixture('iperf3/udp-burst-P2-server.json'));

    const parts = reproBundleParts(rec, {
      createdAt: new Date(),
      command: ['repro', 'run'],
      redacted: false,
    });
    expect(parts.status).toBe('complete');
    const file = (path: string) => parts.files.find((f) => f.path === path)?.bytes.toString();
    expect(file('repro/commands.txt')).toContain(a.sampler!.script);
    expect(file('repro/commands.txt')).toContain(b.trace!.script);
    expect(JSON.parse(file('repro/trace/receiver-meta.json')!).totals).toEqual([
      { reason: 'CPU_BACKLOG', location: 'enqueue_to_backlog', count: 7 },
    ]);
    expect(JSON.parse(file('repro/series-meta.json')!).hosts[1].sampler.samples).toBe(3);
    expect(parts.hosts.map((x) => [x.label, x.user, x.status])).toEqual([
      ['vmA', 'root', 'complete'],
      ['vmB', 'root', 'complete'],
    ]);
  });

  it('--reverse swaps the roles: the second host sends', async () => {
    const p = h.pair();
    const rec = await runRepro(h.options(p, { pair: ['vmB', 'vmA'], reverse: true }));
    expect(rec.error).toBeUndefined();
    expect(rec.hosts.map((x) => `${x.role} ${x.spec}`)).toEqual(['sender vmA', 'receiver vmB']);
    expect(p.vmA.keys()).toContain(h.CLIENT);
    expect(p.vmB.keys()).toContain(h.SERVER);
  });
});

describe('the "after" snapshot', () => {
  it('does not read again what cannot change during the run, and keeps its facts', async () => {
    let script = '';
    // The host answers only what the script asks for.
    const p = h.pair({
      vmA: () => ({
        [h.SNAPSHOT_AFTER]: (call) => {
          script = call.req.script!;
          return {
            stdout: snapshotOutput(script, [
              { id: 'proc_net_dev', body: capture('proc-net-dev-vmA.txt') },
            ]),
          };
        },
      }),
    });
    const rec = await runRepro(h.options(p));
    expect(rec.error).toBeUndefined();
    // Taken before: not again. Missing before (the fake host answered only
    // a few sources): read again, as is every counter and boot_id.
    expect(script).not.toMatch(/\bsec (uname|hostname) /);
    expect(script).toMatch(/\bsec lspci /);
    expect(script).toMatch(/\bsec proc_net_dev /);
    expect(script).toMatch(/\bsec boot_id /);
    const a = rec.hosts[0];
    expect(a.after!.snapshot.facts.hostname).toBe(a.before!.snapshot.facts.hostname);
    expect(a.after!.snapshot.facts.uname).toBe(a.before!.snapshot.facts.uname);
    expect(a.after!.snapshot.takenOnce?.sources.map((t) => t.id)).toEqual(['uname', 'hostname']);
    const paths = a.after!.raw.map((f) => f.path);
    expect(paths).toContain('taken-once.txt');
    expect(a.after!.raw.find((f) => f.path === 'host/uname.txt')?.record.source).toMatch(
      /^not run again, copied from the before snapshot: /,
    );
  });
});

describe('a failed preflight', () => {
  it('iperf3 missing on the receiver: the error names the host, the step and the fix, and nothing starts', async () => {
    const p = h.pair({
      vmB: () => ({ [h.PROBE]: { stdout: capture('probe-vmB-no-iperf3.txt') } }),
    });
    const rec = await runRepro(h.options(p));
    expect(rec.error?.code).toBe('PREFLIGHT_FAILED');
    expect(rec.error?.oneLine).toBe(
      'vmB: preflight: vmB tools: iperf3 MISSING, ethtool 6.1, ip 6.1.0, tc 6.1.0',
    );
    expect(rec.error?.hint).toBe('install iperf3 on the host (apt-get install -y iperf3)');
    expect(h.stepsOf(rec)).toEqual(['ok connect', 'FAIL preflight', 'ok cleanup']);
    // Only the checks ran, then the cleanup: no port probe, snapshot, sampler or iperf3.
    const checksThenCleanup = [h.PROBE, h.CLOCK, h.CLOCK, h.CLOCK, h.SWEEP_KILL];
    expect(p.vmA.keys()).toEqual(checksThenCleanup);
    expect(p.vmB.keys()).toEqual(checksThenCleanup);
    expect(rec.hosts[1].failure).toEqual({ step: 'preflight', message: rec.error?.message });
    expect(rec.hosts.some((x) => x.before)).toBe(false);
  });
});

describe('a busy port', () => {
  it('--port taken on the receiver is refused, naming the host and step, before anything starts', async () => {
    const p = h.pair({
      vmB: () => ({ [h.PORTS]: { stdout: capture('proc-net-vmB-iperf3-5290.txt') } }),
    });
    const rec = await runRepro(h.options(p, { port: 5290 }));
    expect(rec.error?.oneLine).toBe('vmB: port: port 5290 is already in use');
    expect(rec.error?.hint).toBe(
      'pick another with --port, or leave --port out to choose a free one',
    );
    expect(h.stepsOf(rec)).toEqual(['ok connect', 'ok preflight', 'FAIL port', 'ok cleanup']);
    expect(p.vmB.keys()).toEqual([h.PROBE, h.CLOCK, h.CLOCK, h.CLOCK, h.PORTS, h.SWEEP_KILL]);
    expect(rec.port).toBeUndefined();
  });
});

describe('Ctrl-C while the traffic flows', () => {
  it('is recorded as an interrupt; everything started is stopped, both hosts keep an "after" snapshot and are cleaned', async () => {
    const ctrlC = new AbortController();
    const p = h.pair({ vmA: (t) => ({ [h.CLIENT]: h.clientStoppedBy(t, () => ctrlC.abort()) }) });
    const rec = await runRepro(h.options(p, { signal: ctrlC.signal }));
    expect(rec.interrupted).toBe(true);
    expect(rec.error?.code).toBe('ABORTED');
    expect(rec.error?.oneLine).toBe('samplers stopped: interrupted');
    expect(h.stepsOf(rec)).toEqual([
      'ok connect',
      'ok preflight',
      'ok port',
      'ok addresses',
      'ok snapshots before',
      'ok samplers',
      'ok drop tracing',
      'ok traffic: burst',
      'FAIL samplers stopped',
      'ok cleanup',
    ]);
    // iperf3 was stopped on both sides and still gave its JSON.
    expect(rec.phases.map((x) => [x.clientJson, x.serverJson])).toEqual([
      [fixture('iperf3/sigterm-client.json'), fixture('iperf3/sigterm-server.json')],
    ]);
    expect(p.vmA.call(h.CLIENT)).toMatchObject({ released: true, end: 'aborted' });
    expect(p.vmB.call(h.SERVER)).toMatchObject({ released: true, end: 'aborted' });
    // Samplers and tracer were stopped too: no tied command is left running.
    for (const t of [p.vmA, p.vmB]) {
      expect(t.calls.filter((c) => c.tied && !c.end)).toEqual([]);
      expect(t.keys().slice(-2)).toEqual([h.SNAPSHOT_AFTER, h.SWEEP_KILL]);
    }
    expect(p.vmB.call(h.TRACER)?.end).toBe('aborted');
    expect(rec.hosts.map((x) => !!x.after)).toEqual([true, true]);
    expect(rec.hosts[0].sampler?.samples.length).toBe(3);
  });
});

describe('a cleanup that finds a survivor', () => {
  it('reports the process and its host; the run itself stands', async () => {
    const survivor = '4242 iperf3 -s -1 -J -p 5201 --idle-timeout 32 ';
    const p = h.pair({ vmB: () => ({ [h.SWEEP_KILL]: { stdout: `${survivor}\n` } }) });
    const o = h.options(p);
    const rec = await runRepro(o);
    expect(rec.error).toBeUndefined();
    expect(rec.hosts.map((x) => x.leftovers)).toEqual([[], [survivor.trim()]]);
    const cleanup = rec.steps.at(-1);
    expect(cleanup).toMatchObject({
      step: 'cleanup',
      ok: false,
      error: `vmB: 1 process(es) left: ${survivor.trim()}`,
    });
    expect(o.progress.lines.at(-1)).toBe(
      `FAIL cleanup: vmB: 1 process(es) left: ${survivor.trim()}`,
    );
    // One sweep: the kill, which printed what survived it.
    expect(p.vmB.keys().filter((k) => k.startsWith('sweep'))).toEqual([h.SWEEP_KILL]);
  });
});

describe('a host that cannot be reached', () => {
  it('at connect: the error is its own; the other host, connected, is still cleaned and closed', async () => {
    const p = h.pair();
    const refused = new DropkitError({
      code: 'CONNECT_FAILED',
      message: 'cannot connect to 198.18.0.12:22: connection refused',
      host: 'vmB',
      step: 'connect',
    });
    const o = h.options(p, {
      open: async (spec) => {
        if (spec === 'vmB') throw refused;
        return p.vmA;
      },
    });
    const rec = await runRepro(o);
    expect(rec.error).toBe(refused);
    expect(h.stepsOf(rec)).toEqual(['FAIL connect', 'ok cleanup']);
    expect(rec.hosts.map((x) => x.failure)).toEqual([
      undefined,
      { step: 'connect', message: refused.message },
    ]);
    expect(p.vmA.keys()).toEqual([h.SWEEP_KILL]);
    expect(p.vmA.closed).toBe(true);
  });
});
