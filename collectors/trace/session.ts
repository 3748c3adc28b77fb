import type { ExecResult, Transport } from '../../kit/transport/types.js';
import { feedTrace, newTraceStream, type TraceStream } from './parse.js';
import { DEFAULT_TRACE_BUFFER_KB, leftoverScript, traceScript } from './script.js';

// What a stopped tracer leaves for a bundle: the counts, and the per-CPU
// buffer it asked for, which is the cap its overrun count refers to.
export interface TraceCapture {
  stream: TraceStream;
  bufferKb: number;
}

// Drop-reason tracing on one host, for the length of the traffic (repro run)
// or a fixed time (collect bundle --trace-drops). Root (sudo -n when needed),
// tied to the channel: releasing it, or losing the connection, runs the
// script's teardown (disable the event, remove the private instance).
export class TraceSession {
  readonly stream: TraceStream = newTraceStream();
  private readonly release = new AbortController();
  private running: Promise<ExecResult | Error> | undefined;

  constructor(
    private readonly t: Transport,
    private readonly opts: {
      runId: string;
      intervalMs: number;
      maxSeconds: number;
      signal?: AbortSignal;
      // Per CPU, in KiB; DEFAULT_TRACE_BUFFER_KB when not given.
      bufferKb?: number;
    },
  ) {}

  get instance(): string {
    return `dropkit-${this.opts.runId}`;
  }

  // The buffer size the script asks the kernel for.
  get bufferKb(): number {
    return this.opts.bufferKb ?? DEFAULT_TRACE_BUFFER_KB;
  }

  // The script as run, for the bundle's commands.txt.
  script = '';
  // stop() found the instance still there and removed it.
  leftoverRemoved = false;

  start(): void {
    this.script = traceScript({
      instance: this.instance,
      intervalMs: this.opts.intervalMs,
      bufferKb: this.bufferKb,
    });
    this.running = this.t
      .exec({
        script: this.script,
        root: true,
        tied: true,
        release: this.release.signal,
        ...(this.opts.signal ? { signal: this.opts.signal } : {}),
        timeoutMs: (this.opts.maxSeconds + 30) * 1000,
        step: 'drop tracing',
        onStdout: (c) => feedTrace(this.stream, c.toString('utf8')),
      })
      .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  }

  // Settles when the tracer ends on its own (no tracefs, sudo refused, lost
  // connection) or after stop().
  get ended(): Promise<unknown> {
    return this.running ?? Promise.resolve();
  }

  async stop(): Promise<ExecResult | Error | undefined> {
    this.release.abort();
    const end = await this.running;
    if (this.running && !this.stream.unavailable) await this.removeLeftover();
    return end;
  }

  // Checked after every tracer, not only one that ended without its final
  // line: a sweep's SIGKILL can cut its teardown short, and on a loaded host
  // CI saw an instance left although the tracer had printed that line. One
  // round trip removes it while the connection lasts; a lost host's own
  // teardown does the rest.
  private async removeLeftover(): Promise<void> {
    const r = await this.t
      .exec({
        script: leftoverScript(this.instance),
        root: true,
        timeoutMs: 5000,
        step: 'drop tracing cleanup',
      })
      .catch(() => undefined);
    this.leftoverRemoved = !!r?.stdout.toString().includes('removed');
  }
}
