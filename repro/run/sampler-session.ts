import { newBoundary } from '../../collectors/snapshot/script.js';
import type { ExecResult, Transport } from '../../kit/transport/types.js';
import { feedSampler, newSamplerStream, type Sample } from '../sampler/parse.js';
import { samplerScript } from '../sampler/script.js';

// One sampler on one host, streaming over the host's open connection. Tied to
// the channel: it stops when we release it, and dies with a lost connection.
export class SamplerSession {
  readonly samples: Sample[] = [];
  private readonly release = new AbortController();
  private readonly boundary = newBoundary();
  private readonly stream = newSamplerStream(this.boundary);
  private running: Promise<ExecResult | Error> | undefined;

  constructor(
    private readonly t: Transport,
    private readonly opts: {
      intervalMs: number;
      dataIface?: string;
      watch?: readonly string[];
      maxSeconds: number;
      signal?: AbortSignal;
    },
    private readonly onSample?: (s: Sample) => void,
  ) {}

  // The script as run, for the bundle's commands.txt.
  script = '';

  start(): void {
    const script = samplerScript({
      intervalMs: this.opts.intervalMs,
      // ethtool -S about once a second: drivers take locks to fill it.
      ethtoolEvery: Math.max(1, Math.round(1000 / this.opts.intervalMs)),
      ...(this.opts.dataIface ? { dataIface: this.opts.dataIface } : {}),
      ...(this.opts.watch?.length ? { watch: this.opts.watch } : {}),
      maxSeconds: this.opts.maxSeconds,
      boundary: this.boundary,
    });
    this.script = script;
    this.running = this.t
      .exec({
        script,
        tied: true,
        release: this.release.signal,
        ...(this.opts.signal ? { signal: this.opts.signal } : {}),
        timeoutMs: (this.opts.maxSeconds + 30) * 1000,
        step: 'sampler',
        onStdout: (chunk) => {
          for (const s of feedSampler(this.stream, chunk.toString('utf8'))) {
            this.samples.push(s);
            this.onSample?.(s);
          }
        },
      })
      .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  }

  get warnings(): string[] {
    return this.stream.warnings;
  }

  // Graceful stop; resolves with the sampler's end (or the error that ended it).
  async stop(): Promise<ExecResult | Error | undefined> {
    this.release.abort();
    return this.running;
  }
}
