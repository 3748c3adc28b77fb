import type { TakenSnapshot } from '../../collectors/snapshot/take.js';
import { takeSnapshot } from '../../collectors/snapshot/take.js';
import { diagnose as doctorDiagnose, type HostReport } from '../../kit/doctor/doctor.js';
import { asDropkitError, DropkitError } from '../../kit/errors.js';
import type { Progress } from '../../kit/progress.js';
import { RUN_ID } from '../../kit/transport/command-line.js';
import { type OpenOptions, openAll } from '../../kit/transport/open.js';
import type { Transport } from '../../kit/transport/types.js';
import { totalDuration } from '../profile-caps.js';
import type { Profile } from '../profile-types.js';
import type { Sample } from '../sampler/parse.js';
import { bareAddress, chooseServerAddress } from './address.js';
import { liveStatus } from './live.js';
import { pickPort } from './ports.js';
import { SamplerSession } from './sampler-session.js';
import { TraceSession } from './trace-session.js';
import { busyPortsOn, type PhaseRun, runPhase } from './traffic.js';

export interface RunOptions {
  // As the user gave them: A sends, B receives; `reverse` swaps the roles.
  pair: [string, string];
  reverse: boolean;
  profile: Profile;
  serverAddress?: string;
  port?: number;
  sampleIntervalMs: number;
  open: OpenOptions;
  signal: AbortSignal;
  progress: Progress;
}

export interface HostRun {
  role: 'sender' | 'receiver';
  spec: string;
  transport?: Transport;
  doctor?: HostReport;
  before?: TakenSnapshot;
  after?: TakenSnapshot;
  sampler?: SamplerSession;
  // skb:kfree_skb drop reasons, on the receiver when tracefs allows.
  trace?: TraceSession;
  traceSkipped?: string;
  dataIface?: string;
  // The first thing that went wrong on this host, with the step.
  failure?: { step: string; message: string };
  // Our processes found on the host after cleanup (should be none).
  leftovers?: string[];
}

export interface StepRecord {
  step: string;
  startedAt: string;
  ms: number;
  ok: boolean;
  error?: string;
}

export interface RunRecord {
  runId: string;
  startedAt: string;
  endedAt?: string;
  profile: Profile;
  serverAddress?: string;
  port?: number;
  sampleIntervalMs: number;
  hosts: [HostRun, HostRun];
  phases: PhaseRun[];
  steps: StepRecord[];
  error?: DropkitError;
  interrupted: boolean;
}

export function samplesOf(h: HostRun): Sample[] {
  return h.sampler?.samples ?? [];
}

// The reproduction, step by step. It never throws: whatever happened is in
// the record, so the caller can always write a (possibly partial) bundle.
export async function runRepro(o: RunOptions): Promise<RunRecord> {
  const [a, b] = o.reverse ? [o.pair[1], o.pair[0]] : o.pair;
  const sender: HostRun = { role: 'sender', spec: a };
  const receiver: HostRun = { role: 'receiver', spec: b };
  const rec: RunRecord = {
    runId: RUN_ID,
    startedAt: new Date().toISOString(),
    profile: o.profile,
    sampleIntervalMs: o.sampleIntervalMs,
    hosts: [sender, receiver],
    phases: [],
    steps: [],
    interrupted: false,
  };
  // Graceful stop of everything tied to a channel: iperf3 and samplers.
  const stop = new AbortController();
  const onInterrupt = () => {
    rec.interrupted = true;
    stop.abort();
  };
  o.signal.addEventListener('abort', onInterrupt, { once: true });
  const both = [sender, receiver];

  const step = async <T>(
    name: string,
    fn: () => Promise<T>,
    detail?: (v: T) => string,
  ): Promise<T> => {
    const t0 = performance.now();
    const startedAt = new Date().toISOString();
    try {
      if (o.signal.aborted)
        throw new DropkitError({ code: 'ABORTED', message: 'interrupted', step: name });
      const v = await fn();
      const ms = performance.now() - t0;
      rec.steps.push({ step: name, startedAt, ms, ok: true });
      o.progress.step(name, ms, true, detail?.(v));
      return v;
    } catch (e) {
      const err = asDropkitError(e, { code: 'COMMAND_FAILED', step: name });
      const ms = performance.now() - t0;
      rec.steps.push({ step: name, startedAt, ms, ok: false, error: err.oneLine });
      o.progress.step(name, ms, false, err.oneLine);
      for (const h of both)
        if (err.host === h.spec) h.failure ??= { step: err.step ?? name, message: err.message };
      throw o.signal.aborted && err.code !== 'ABORTED'
        ? new DropkitError({
            code: 'ABORTED',
            message: `interrupted during ${name}`,
            step: name,
            cause: err,
          })
        : err;
    }
  };

  try {
    await step('connect', async () => {
      const opened = await openAll([sender.spec, receiver.spec], o.open);
      opened.forEach((x, i) => {
        if ('transport' in x) both[i]!.transport = x.transport;
      });
      const failed = opened.find((x) => 'error' in x);
      if (failed && 'error' in failed) throw failed.error;
      for (const h of both) {
        h.transport!.onClose((err) => {
          h.failure ??= {
            step: 'connection',
            message: `SSH connection lost${err ? `: ${err.message}` : ''}`,
          };
          stop.abort();
        });
      }
    });
    const [ts, tr] = [sender.transport!, receiver.transport!];

    await step('preflight', async () => {
      const [ds, dr] = await Promise.all([
        doctorDiagnose(ts, 'repro', o.signal),
        doctorDiagnose(tr, 'repro', o.signal),
      ]);
      sender.doctor = ds;
      receiver.doctor = dr;
      const bad = [ds, dr].flatMap((r) =>
        r.checks.filter((c) => c.status === 'fail').map((c) => ({ host: r.host, c })),
      );
      if (bad.length) {
        const first = bad[0]!;
        throw new DropkitError({
          code: 'PREFLIGHT_FAILED',
          message: bad.map((x) => `${x.host} ${x.c.id}: ${x.c.detail}`).join('; '),
          host: first.host,
          step: 'preflight',
          ...(first.c.hint ? { hint: first.c.hint } : {}),
        });
      }
    });

    rec.port = await step(
      'port',
      async () => {
        const busy = await busyPortsOn(tr, 'port', o.signal);
        if (o.port !== undefined) {
          if (busy.has(o.port)) {
            throw new DropkitError({
              code: 'COMMAND_FAILED',
              message: `port ${o.port} is already in use`,
              host: receiver.spec,
              step: 'port',
              hint: 'pick another with --port, or leave --port out to choose a free one',
            });
          }
          return o.port;
        }
        const p = pickPort(busy);
        if (p === undefined)
          throw new DropkitError({
            code: 'COMMAND_FAILED',
            message: 'no free port in 5201-5299',
            host: receiver.spec,
            step: 'port',
            hint: 'give one with --port',
          });
        return p;
      },
      (p) => `${p} on ${receiver.spec}`,
    );

    rec.serverAddress = await step(
      'addresses',
      async () => {
        const addr =
          o.serverAddress ??
          (() => {
            const c = chooseServerAddress(
              sender.doctor?.facts?.addresses ?? [],
              receiver.doctor?.facts?.addresses ?? [],
            );
            if (!c)
              throw new DropkitError({
                code: 'COMMAND_FAILED',
                message: 'the receiver has no global address',
                host: receiver.spec,
                step: 'addresses',
                hint: 'give one with --server-address',
              });
            return bareAddress(c);
          })();
        // The sender's route to it names the sender's data interface.
        const route = (
          await ts.exec({
            argv: ['ip', '-o', 'route', 'get', addr],
            timeoutMs: 5000,
            signal: o.signal,
            step: 'addresses',
          })
        ).stdout.toString();
        const dev = route.match(/\bdev (\S+)/)?.[1];
        if (!dev)
          throw new DropkitError({
            code: 'COMMAND_FAILED',
            message: `no route to ${addr}`,
            host: sender.spec,
            step: 'addresses',
            hint: 'check --server-address, or the routing between the hosts',
          });
        sender.dataIface = dev;
        receiver.dataIface = receiver.doctor?.facts?.addresses.find(
          (x) => bareAddress(x) === addr,
        )?.ifname;
        return addr;
      },
      (addr) => `${sender.spec} → ${addr} (${receiver.spec}) via ${sender.dataIface}`,
    );

    await step('snapshots before', async () => {
      const [bs, br] = await Promise.all([
        takeSnapshot(ts, { signal: o.signal, step: 'snapshot before' }),
        takeSnapshot(tr, { signal: o.signal, step: 'snapshot before' }),
      ]);
      sender.before = bs;
      receiver.before = br;
    });

    const duration = totalDuration(o.profile);
    await step('samplers', async () => {
      for (const h of both) {
        h.sampler = new SamplerSession(h.transport!, {
          intervalMs: o.sampleIntervalMs,
          ...(h.dataIface ? { dataIface: h.dataIface } : {}),
          // Bounded on the host too, whatever happens to us.
          maxSeconds: duration + 120,
          signal: o.signal,
        });
        h.sampler.start();
      }
      // Traffic starts once both samplers are producing.
      for (let i = 0; i < 50 && both.some((h) => !samplesOf(h).length); i++)
        await new Promise((r) => setTimeout(r, 100));
      const silent = both.find((h) => !samplesOf(h).length);
      if (silent)
        throw new DropkitError({
          code: 'COMMAND_FAILED',
          message: 'the sampler produced no sample within 5 s',
          host: silent.spec,
          step: 'samplers',
        });
    });

    await step(
      'drop tracing',
      async () => {
        const f = receiver.doctor?.facts;
        const privileged = f?.uid === 0 || f?.sudo === 'passwordless';
        if (!f || (f.kfreeSkb !== 'reason' && f.kfreeSkb !== 'location')) {
          receiver.traceSkipped = `skb:kfree_skb not available (${f?.tracefs ?? 'unknown'})`;
          return;
        }
        if (!privileged) {
          receiver.traceSkipped = 'needs root or passwordless sudo';
          return;
        }
        // The receiver only: that is where a burst's drops happen, and on one
        // kernel (containers, the lab) a second tracer would count them twice.
        receiver.trace = new TraceSession(tr, {
          runId: rec.runId,
          intervalMs: 1000,
          maxSeconds: duration + 120,
          signal: o.signal,
        });
        receiver.trace.start();
      },
      () =>
        receiver.trace ? `skb:kfree_skb on ${receiver.spec}` : `skipped: ${receiver.traceSkipped}`,
    );

    const trafficStart = Date.now();
    const ticker = setInterval(() => {
      o.progress.status(liveStatus(rec, trafficStart, duration));
    }, 1000);
    try {
      for (const phase of o.profile.phases) {
        const run = await step(
          `traffic: ${phase.name}`,
          () =>
            runPhase(ts, tr, phase, {
              serverAddress: rec.serverAddress!,
              port: rec.port!,
              signal: o.signal,
              stop: stop.signal,
            }),
          () =>
            `${phase.duration} s of ${phase.protocol.toUpperCase()} ${sender.spec} → ${receiver.spec}`,
        );
        rec.phases.push(run);
      }
    } finally {
      clearInterval(ticker);
      o.progress.done();
    }
    await step('samplers stopped', async () => {
      await Promise.all(both.flatMap((h) => [h.sampler?.stop(), h.trace?.stop()]));
    });
    await step('snapshots after', async () => {
      const [as, ar] = await Promise.all([
        takeSnapshot(ts, { signal: o.signal, step: 'snapshot after' }),
        takeSnapshot(tr, { signal: o.signal, step: 'snapshot after' }),
      ]);
      sender.after = as;
      receiver.after = ar;
    });
  } catch (e) {
    rec.error = asDropkitError(e, { code: 'COMMAND_FAILED' });
    // A lost host makes the other side fail too (the sender's iperf3 sees
    // "connection refused"): name the root cause, the host that went away.
    await new Promise((r) => setTimeout(r, 200));
    const lost = both.find((h) => h.failure?.step === 'connection');
    if (lost && rec.error.code !== 'ABORTED' && rec.error.host !== lost.spec) {
      rec.error = new DropkitError({
        code: 'CONNECTION_LOST',
        message: `${lost.failure!.message} (during ${rec.error.step ?? 'the run'}; then ${rec.error.oneLine})`,
        host: lost.spec,
        step: rec.error.step ?? 'run',
        hint: 'the host rebooted, sshd stopped, or the link dropped; its samplers and iperf3 stop by themselves when the connection closes',
      });
    }
    if (o.signal.aborted) rec.interrupted = true;
    stop.abort();
    await Promise.all(both.flatMap((h) => [h.sampler?.stop(), h.trace?.stop()]));
    // Keep what can still be had: an "after" snapshot of every host that
    // still answers, so the bundle shows what moved up to the failure.
    await Promise.all(
      both.map(async (h) => {
        if (!h.transport || !h.before || h.after || (h.failure && h.failure.step === 'connection'))
          return;
        try {
          h.after = await takeSnapshot(h.transport, { timeoutMs: 10_000, step: 'snapshot after' });
        } catch {
          // Recorded as missing in the bundle.
        }
      }),
    );
  } finally {
    stop.abort();
    o.signal.removeEventListener('abort', onInterrupt);
    await cleanup(rec, o.progress);
    rec.endedAt = new Date().toISOString();
  }
  return rec;
}

// Always: stop our processes on every host we can still reach, then check
// that none is left. A host we cannot reach is reported, not guessed about.
async function cleanup(rec: RunRecord, progress: Progress): Promise<void> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const problems: string[] = [];
  await Promise.all(
    rec.hosts.map(async (h) => {
      const t = h.transport;
      if (!t) return;
      try {
        // Root where we ran something as root (the tracer), so it can be reaped.
        const root = !t.info.isRoot && h.doctor?.facts?.sudo === 'passwordless';
        await t.sweep({ name: 'DROPKIT_RUN', value: rec.runId }, root, 'kill');
        const left = (
          await t.sweep({ name: 'DROPKIT_RUN', value: rec.runId }, root, 'list')
        ).trim();
        h.leftovers = left ? left.split('\n') : [];
        if (h.leftovers.length)
          problems.push(
            `${h.spec}: ${h.leftovers.length} process(es) left: ${h.leftovers.join('; ')}`,
          );
      } catch (e) {
        problems.push(
          `${h.spec}: unreachable, could not check for leftover processes (${(e as Error).message}); the samplers and iperf3 there stop by themselves when their connection closes`,
        );
      } finally {
        await t.close().catch(() => undefined);
      }
    }),
  );
  const ms = performance.now() - t0;
  rec.steps.push({
    step: 'cleanup',
    startedAt,
    ms,
    ok: !problems.length,
    ...(problems.length ? { error: problems.join('; ') } : {}),
  });
  progress.step(
    'cleanup',
    ms,
    !problems.length,
    problems.length ? problems.join('; ') : 'no dropkit process left on either host',
  );
}
