import { asDropkitError } from '../../kit/errors.js';
import type { Progress } from '../../kit/progress.js';
import { RUN_ID } from '../../kit/transport/command-line.js';
import type { Opener } from '../../kit/transport/open.js';
import type { Transport } from '../../kit/transport/types.js';
import { totalDuration } from '../profile-caps.js';
import type { Profile } from '../profile-types.js';
import { cleanup } from './cleanup.js';
import { connect } from './connect.js';
import { dataPlane } from './data-plane.js';
import { liveStatus } from './live.js';
import { keepSessions, type LiveRun, newLiveRun, stopSessions } from './live-run.js';
import { findPod, type Pod } from './pod.js';
import { preflight, preflightError, preflightNotes } from './preflight.js';
import type { RunRecord } from './record.js';
import { rootCause } from './root-cause.js';
import { firstSamples, startSamplers } from './samplers.js';
import { serverPort } from './server-port.js';
import { snapshotBoth, snapshotsAfterFailure } from './snapshots.js';
import { type Step, stepRunner, stepTimer } from './step-runner.js';
import { startTrace, traceSkipReason } from './trace.js';
import { runPhase } from './traffic.js';

// The record's types live in record.ts; readers of the run import them here.
export type { HostRun, RunRecord, StepRecord } from './record.js';
export { samplesOf } from './record.js';

export interface RunOptions {
  // As the user gave them: A sends, B receives; `reverse` swaps the roles.
  pair: [string, string];
  reverse: boolean;
  profile: Profile;
  serverAddress?: string;
  port?: number;
  // iperf3 in a pod on each host (pod.ts), not in the hosts' own namespaces.
  pod?: boolean;
  sampleIntervalMs: number;
  open: Opener;
  signal: AbortSignal;
  progress: Progress;
}

// A run in progress. `repro compare` keeps one for all its runs and swaps in
// each run's record and step runner, keeping the connections.
export interface Run {
  o: RunOptions;
  rec: RunRecord;
  live: LiveRun;
  step: Step;
}

// The reproduction, step by step. It never throws: whatever happened is in
// the record, so the caller can always write a (possibly partial) bundle.
export async function runRepro(o: RunOptions): Promise<RunRecord> {
  const rec = newRecord(o);
  const run: Run = { o, rec, live: newLiveRun(), step: stepRunner(rec, o.signal, o.progress) };
  const onInterrupt = () => {
    rec.interrupted = true;
    run.live.stop.abort();
  };
  o.signal.addEventListener('abort', onInterrupt, { once: true });
  try {
    await setupSteps(run);
    await measureSteps(run);
  } catch (e) {
    await afterFailure(run, e);
  } finally {
    run.live.stop.abort();
    o.signal.removeEventListener('abort', onInterrupt);
    await cleanupStep(run);
    keepSessions(rec, run.live);
    rec.endedAt = new Date().toISOString();
  }
  return rec;
}

export function newRecord(
  o: Pick<RunOptions, 'pair' | 'reverse' | 'profile' | 'sampleIntervalMs'>,
): RunRecord {
  const [a, b] = o.reverse ? [o.pair[1], o.pair[0]] : o.pair;
  return {
    runId: RUN_ID,
    startedAt: new Date().toISOString(),
    profile: o.profile,
    sampleIntervalMs: o.sampleIntervalMs,
    hosts: [
      { role: 'sender', spec: a },
      { role: 'receiver', spec: b },
    ],
    phases: [],
    steps: [],
    interrupted: false,
  };
}

function specsOf(rec: RunRecord): string[] {
  return rec.hosts.map((h) => h.spec);
}

// The run's steps, in order: first those that reach the hosts and find the
// data path, then those that measure. The first that fails ends them;
// afterFailure then keeps what can still be had.
export async function setupSteps(run: Run): Promise<void> {
  const { o, rec, live, step } = run;
  const [sender, receiver] = rec.hosts;
  await step('connect', () => connectStep(run));
  const [ts, tr] = live.transports as [Transport, Transport];
  await step('preflight', async () => {
    [sender.doctor, receiver.doctor] = await preflight(ts, tr, o.signal);
    for (const note of preflightNotes([sender.doctor, receiver.doctor])) o.progress.note(note);
    const failed = preflightError([sender.doctor, receiver.doctor]);
    if (failed) throw failed;
  });
  if (o.pod)
    await step(
      'pods',
      async () => {
        [sender.pod, receiver.pod] = await Promise.all([
          findPod(ts, o.signal),
          findPod(tr, o.signal),
        ]);
      },
      () =>
        rec.hosts
          .map((h) => `${h.spec}: ${h.pod!.netns} ${h.pod!.address} (${h.pod!.hostVeth})`)
          .join(', '),
    );
  rec.port = await step(
    'port',
    () =>
      serverPort(tr, {
        spec: receiver.spec,
        wanted: o.port,
        signal: o.signal,
        ...(receiver.pod ? { pod: receiver.pod } : {}),
      }),
    (p) => `${p} on ${receiver.spec}`,
  );
  rec.serverAddress = await step(
    'addresses',
    async () => {
      const d = await dataPlane(ts, {
        serverAddress: o.serverAddress,
        senderAddresses: sender.doctor?.facts?.addresses ?? [],
        receiverAddresses: receiver.doctor?.facts?.addresses ?? [],
        senderSpec: sender.spec,
        receiverSpec: receiver.spec,
        signal: o.signal,
      });
      sender.dataIface = d.senderIface;
      receiver.dataIface = d.receiverIface;
      // The hosts' data path is as found; the traffic is the pods'.
      return receiver.pod?.address ?? d.serverAddress;
    },
    (addr) => `${sender.spec} → ${addr} (${receiver.spec}) via ${sender.dataIface}`,
  );
}

export async function measureSteps(run: Run): Promise<void> {
  const { o, rec, live, step } = run;
  const [sender, receiver] = rec.hosts;
  const [ts, tr] = live.transports as [Transport, Transport];
  const maxSeconds = totalDuration(o.profile) + 120;
  // The samplers start with the "before" snapshots: their start (a channel,
  // a shell, the first sample) took 0.1 s more after them, and a sample
  // changes nothing a snapshot reads. The step waits for their first
  // samples, which are there by then. Any failure from here stops them
  // (afterFailure).
  live.samplers = startSamplers(
    rec.hosts.map((h, i) => ({
      transport: live.transports[i]!,
      dataIface: h.dataIface,
      ...(h.pod ? { watch: [h.pod.hostVeth] } : {}),
    })),
    { intervalMs: o.sampleIntervalMs, maxSeconds, signal: o.signal },
  );
  await step('snapshots before', async () => {
    [sender.before, receiver.before] = await snapshotBoth(ts, tr, 'snapshot before', o.signal);
  });
  await step('samplers', () => firstSamples(live.samplers, specsOf(rec)));
  await step(
    'drop tracing',
    async () => {
      const skipped = traceSkipReason(receiver.doctor?.facts);
      if (skipped) receiver.traceSkipped = skipped;
      else live.trace = startTrace(tr, { runId: rec.runId, maxSeconds, signal: o.signal });
    },
    () => (live.trace ? `skb:kfree_skb on ${receiver.spec}` : `skipped: ${receiver.traceSkipped}`),
  );
  await trafficSteps(run, ts, tr);
  // The samplers and the tracer wind down (their last sample, the tracer's
  // teardown: about 0.2 s) while the hosts are read: nothing in the snapshot
  // depends on them having ended, and they only add to what the series saw.
  const stopping = step('samplers stopped', () => stopSessions(live));
  // Interrupted: the stop fails as the step's error, and afterFailure takes
  // the snapshots, as without the overlap.
  if (o.signal.aborted) return void (await stopping);
  const stopped = stopping.catch(() => undefined);
  await step('snapshots after', async () => {
    const taken = snapshotBoth(ts, tr, 'snapshot after', o.signal, [
      sender.before,
      receiver.before,
    ]);
    // Ends after the stop, so the record keeps the steps in their order
    // (both settled first: a snapshot that fails meanwhile is not left
    // unhandled).
    await Promise.allSettled([taken, stopped]);
    [sender.after, receiver.after] = await taken;
  });
  await stopping;
}

// Both connections, each watched from then on: a lost one is this host's
// failure (in the record of the run under way then), and stops everything
// tied to a channel on both hosts.
async function connectStep(run: Run): Promise<void> {
  const { o, rec, live } = run;
  const c = await connect(o.open, specsOf(rec));
  c.transports.forEach((t, i) => {
    live.transports[i] = t;
    if (t) rec.hosts[i]!.transport = { info: { ...t.info } };
  });
  if (c.failed) throw c.failed.error;
  rec.hosts.forEach((_, i) => {
    live.transports[i]!.onClose((err) => {
      live.lost[i] = true;
      run.rec.hosts[i]!.failure ??= {
        step: 'connection',
        message: `SSH connection lost${err ? `: ${err.message}` : ''}`,
      };
      live.stop.abort();
    });
  });
}

// One step per phase, with a live status line while the traffic flows.
async function trafficSteps(run: Run, ts: Transport, tr: Transport): Promise<void> {
  const { o, rec, live, step } = run;
  const [sender, receiver] = rec.hosts;
  const duration = totalDuration(o.profile);
  const trafficStart = Date.now();
  const ticker = setInterval(() => {
    const samples = live.samplers.map((s) => s.samples);
    o.progress.status(liveStatus(rec, samples, trafficStart, duration));
  }, 1000);
  try {
    for (const phase of o.profile.phases) {
      const done = await step(
        `traffic: ${phase.name}`,
        () =>
          runPhase(ts, tr, phase, {
            serverAddress: rec.serverAddress!,
            port: rec.port!,
            signal: o.signal,
            stop: live.stop.signal,
            ...(o.pod ? { pods: [sender.pod, receiver.pod] as [Pod, Pod] } : {}),
          }),
        () =>
          `${phase.duration} s of ${phase.protocol.toUpperCase()} ${sender.spec} → ${receiver.spec}`,
      );
      rec.phases.push(done);
    }
  } finally {
    clearInterval(ticker);
    o.progress.done();
  }
}

// The run stopped early: name the cause, stop what still runs, and keep what
// can still be had.
export async function afterFailure({ o, rec, live }: Run, e: unknown): Promise<void> {
  const error = asDropkitError(e, { code: 'COMMAND_FAILED' });
  rec.error = error;
  // A lost connection's listeners may fire just after the error it caused.
  await new Promise((r) => setTimeout(r, 200));
  rec.error = rootCause(error, rec.hosts);
  if (o.signal.aborted) rec.interrupted = true;
  live.stop.abort();
  await stopSessions(live);
  const after = await snapshotsAfterFailure(
    rec.hosts.map((h, i) => ({
      transport: live.transports[i],
      wanted: !!h.before && !h.after && h.failure?.step !== 'connection',
    })),
  );
  after.forEach((s, i) => {
    if (s) rec.hosts[i]!.after = s;
  });
}

// Always, whatever happened before: recorded as a step, but never throws.
export async function cleanupStep({ o, rec, live }: Run): Promise<void> {
  const done = stepTimer(rec, o.progress, 'cleanup');
  const { leftovers, problems } = await cleanup(
    rec.hosts.map((h, i) => ({
      spec: h.spec,
      transport: live.transports[i],
      sudo: h.doctor?.facts?.sudo,
    })),
    rec.runId,
  );
  leftovers.forEach((l, i) => {
    if (l) rec.hosts[i]!.leftovers = l;
  });
  const error = problems.join('; ');
  done(!error, error || 'no dropkit process left on either host');
}
