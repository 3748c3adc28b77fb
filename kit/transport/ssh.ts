import type { Client, ClientChannel } from 'ssh2';
import { DropkitError } from '../errors.js';
import { Semaphore } from '../semaphore.js';
import { sweeperLine, sweepScript } from './command-line.js';
import { type Ended, type RawChannel, taggedExec } from './tagged-exec.js';
import type { ConnectionInfo, ExecRequest, ExecResult, SweepMatch, Transport } from './types.js';

// OpenSSH's default MaxSessions is 10; stay under it so parallel collectors
// queue here instead of failing with "open failed" on the server.
const CHANNELS_PER_CONNECTION = 8;

export class SshTransport implements Transport {
  readonly kind = 'ssh' as const;
  private closed = false;
  private lost: Error | undefined;
  private listeners: Array<(err?: Error) => void> = [];
  private readonly channels = new Semaphore(CHANNELS_PER_CONNECTION);

  constructor(
    readonly info: ConnectionInfo,
    private readonly client: Client,
    // What ends after this connection, oldest first: jump-host connections
    // and ProxyCommand processes.
    private readonly linked: ReadonlyArray<{ end(): void }>,
    // Behind a shared jump host: the jump host's loss, once it is gone, which
    // says more than this connection's own end.
    private readonly explainLoss?: () => DropkitError | undefined,
  ) {
    client.on('close', () => {
      if (!this.closed) {
        this.lost = new Error('connection closed by remote host');
        for (const l of this.listeners) l(this.lost);
      }
    });
    // After 'ready', errors (keepalive timeout, reset) are followed by 'close'.
    client.on('error', (e) => {
      if (!this.closed) this.lost = e;
    });
  }

  onClose(listener: (err?: Error) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    return this.channels.run(() => this.execNow(req));
  }

  private lostError(step: string | undefined, cause?: unknown): DropkitError {
    const viaJump = this.explainLoss?.();
    if (viaJump) return viaJump;
    return new DropkitError({
      code: 'CONNECTION_LOST',
      message: `SSH connection lost${this.lost ? `: ${this.lost.message}` : ''}`,
      host: this.info.name,
      step,
      hint: 'the host may have rebooted, sshd may have been stopped, or the link dropped',
      cause,
    });
  }

  private openChannel(line: string, step: string | undefined): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      if (this.closed || this.lost) return reject(this.lostError(step));
      try {
        this.client.exec(line, (err, stream) =>
          err ? reject(this.lostError(step, err)) : resolve(stream),
        );
      } catch (e) {
        reject(this.lostError(step, e));
      }
    });
  }

  private execNow(req: ExecRequest): Promise<ExecResult> {
    return taggedExec(
      {
        info: this.info,
        open: (line, step) => this.rawChannel(line, step),
        sweep: (m, root) => this.sweep(m, root),
        checkLost: (ended, outcome, step) => {
          const exited = ended !== undefined && ended !== 'lost' && ended.exitCode !== null;
          if (ended === 'lost' || (this.lost && !exited && !outcome.timedOut && !outcome.aborted))
            throw this.lostError(step);
        },
      },
      req,
    );
  }

  private async rawChannel(line: string, step: string | undefined): Promise<RawChannel> {
    const stream = await this.openChannel(line, step);
    let exitCode: number | null = null;
    let signal: string | null = null;
    stream.on('exit', (code: number | null, sig?: string) => {
      exitCode = code;
      signal = sig ?? null;
    });
    // The listener on the connection is removed once the command is over: a
    // long connection runs hundreds of commands (samplers, port polls).
    let offClose: () => void = () => undefined;
    const done = new Promise<Ended | 'lost'>((resolve) => {
      // ssh2 repeats the exit status on 'close'. It must be taken from there
      // too: a quick command's exit-status can arrive in the same packet as
      // the exec's success reply, and be emitted before this code, resumed
      // after `await openChannel`, has attached its 'exit' listener.
      stream.on('close', (code?: number | null, sig?: string) => {
        if (exitCode === null && typeof code === 'number') exitCode = code;
        if (signal === null && sig) signal = sig;
        resolve({ exitCode, signal });
      });
      offClose = this.onClose(() => resolve('lost'));
    }).finally(() => offClose());
    return {
      onStdout: (cb) => stream.on('data', cb),
      onStderr: (cb) => stream.stderr.on('data', cb),
      write: (d) => void stream.write(d),
      end: (d) => void (d === undefined ? stream.end() : stream.end(d)),
      done,
      detach: () => {
        offClose();
        stream.close();
      },
    };
  }

  // Kills our processes on the host, over a fresh channel; returns the survivors.
  async sweep(match: SweepMatch, root: boolean): Promise<string> {
    const line = sweeperLine(root, this.info.isRoot);
    const stream = await this.openChannel(line, 'cleanup');
    const out: Buffer[] = [];
    stream.on('data', (c: Buffer) => out.push(c));
    stream.stderr.resume();
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 10_000);
      stream.on('close', () => {
        clearTimeout(t);
        resolve();
      });
      stream.end(sweepScript(match));
    });
    return Buffer.concat(out).toString('utf8');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A lost connection has already closed: waiting for 'close' would hang.
    if (!this.lost) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        this.client.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        this.client.end();
      });
    }
    for (const l of [...this.linked].reverse()) l.end();
  }
}
