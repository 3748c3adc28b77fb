import { DropkitError } from '../../kit/errors.js';
import type { ExecResult, Transport } from '../../kit/transport/types.js';
import { clientArgv, serverArgv } from '../iperf3-args.js';
import { parseIperf3Result } from '../iperf3-result.js';
import type { Phase } from '../profile-types.js';
import { inPod, type Pod } from './pod.js';
import { busyPorts, PORTS_SCRIPT } from './ports.js';

export interface PhaseRun {
  phase: string;
  serverArgv: string[];
  clientArgv: string[];
  clientJson: string;
  serverJson: string;
  clientStderr: string;
  serverStderr: string;
  startedAt: number;
  endedAt: number;
  // The operator's clock just before the client was started and once it had
  // returned: the tightest bounds of the test on that clock (iperf3-clock.ts).
  clientStartedAt?: number;
  clientEndedAt?: number;
}

// The ports taken on the host behind `t`.
export async function busyPortsOn(
  t: Transport,
  step: string,
  signal?: AbortSignal,
  pod?: Pod,
): Promise<Set<number>> {
  // /proc/net is the reading process's namespace's: a pod's ports are seen
  // from inside it. The script still comes on stdin, never in argv.
  const r = await t.exec({
    ...(pod
      ? { argv: inPod(pod, ['sh', '-s']), stdin: PORTS_SCRIPT, root: true }
      : { script: PORTS_SCRIPT }),
    timeoutMs: 5000,
    ...(signal ? { signal } : {}),
    step,
  });
  return busyPorts(r.stdout.toString('utf8'));
}

// One phase: a one-off iperf3 server on the receiver, then the client on the
// sender. Both are tied to their channels, so an interrupted run stops them
// (SIGTERM: iperf3 still writes its JSON) and a lost connection kills them.
export async function runPhase(
  sender: Transport,
  receiver: Transport,
  phase: Phase,
  o: {
    serverAddress: string;
    port: number;
    signal: AbortSignal;
    stop: AbortSignal;
    // `--pod`: iperf3 runs inside these pods (root, for `ip netns exec`).
    pods?: [Pod | undefined, Pod | undefined];
  },
): Promise<PhaseRun> {
  const [senderPod, receiverPod] = o.pods ?? [];
  const sArgv = serverArgv({
    port: o.port,
    oneOff: true,
    json: true,
    idleTimeoutS: phase.duration + 30,
  });
  const cArgv = clientArgv(phase, {
    serverAddress: o.serverAddress,
    port: o.port,
    duration: phase.duration,
    json: true,
    getServerOutput: true,
    connectTimeoutMs: 5000,
  });
  const startedAt = Date.now();
  const limit = (phase.duration + 45) * 1000;
  const server: Promise<ExecResult> = receiver.exec({
    argv: inPod(receiverPod, sArgv),
    ...(receiverPod ? { root: true } : {}),
    tied: true,
    release: o.stop,
    signal: o.signal,
    timeoutMs: limit,
    step: `iperf3 server (${phase.name})`,
  });
  let serverDone: ExecResult | undefined;
  void server.then((r) => (serverDone = r)).catch(() => undefined);
  await untilListening(receiver, o.port, o.signal, () => serverDone, receiverPod);
  const clientStartedAt = Date.now();
  const client = await sender.exec({
    argv: inPod(senderPod, cArgv),
    ...(senderPod ? { root: true } : {}),
    tied: true,
    release: o.stop,
    signal: o.signal,
    timeoutMs: limit,
    step: `iperf3 client (${phase.name})`,
  });
  const clientEndedAt = Date.now();
  // iperf3 -J exits 0 even when it could not connect: read its own verdict.
  const result = parseIperf3Result(client.stdout.toString('utf8')).value;
  if (result.error && !result.directions.some((d) => (d.bytesSent ?? 0) > 0) && !o.stop.aborted) {
    throw new DropkitError({
      code: 'COMMAND_FAILED',
      message: `iperf3 client: ${result.error}`,
      host: sender.info.name,
      step: `traffic: ${phase.name}`,
      hint: 'check that the receiver address is reachable from the sender and that no firewall drops the port (TCP and UDP)',
    });
  }
  // The one-off server exits by itself after the test; give it a moment.
  const srv = await Promise.race([
    server,
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000).unref()),
  ]);
  const run: PhaseRun = {
    phase: phase.name,
    serverArgv: sArgv,
    clientArgv: cArgv,
    clientJson: client.stdout.toString('utf8'),
    serverJson: srv?.stdout.toString('utf8') ?? '',
    clientStderr: client.stderr,
    serverStderr: srv?.stderr ?? '',
    startedAt,
    endedAt: Date.now(),
    clientStartedAt,
    clientEndedAt,
  };
  return run;
}

// Waits until the server listens: a client started too early gets "connection
// refused". A server that ended instead is reported with its last words.
async function untilListening(
  receiver: Transport,
  port: number,
  signal: AbortSignal,
  serverDone: () => ExecResult | undefined,
  pod?: Pod,
): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const done = serverDone();
    if (done) {
      throw new DropkitError({
        code: 'COMMAND_FAILED',
        message: `iperf3 server exited before listening: ${(done.stderr || done.stdout.toString()).trim().split('\n').slice(-1)[0] ?? ''}`,
        host: receiver.info.name,
        step: 'iperf3 server',
        hint: 'is the port free and iperf3 working on the receiver?',
      });
    }
    if ((await busyPortsOn(receiver, 'port check', signal, pod)).has(port)) return;
    if (Date.now() > deadline || signal.aborted) {
      throw new DropkitError({
        code: 'COMMAND_FAILED',
        message: `iperf3 server did not listen on port ${port} within 5 s`,
        host: receiver.info.name,
        step: 'iperf3 server',
      });
    }
    // Each check is one exec on the host: 25 ms apart, the traffic starts
    // about 40 ms sooner on average than with 100 ms, at a few more of them.
    await new Promise((r) => setTimeout(r, 25));
  }
}
