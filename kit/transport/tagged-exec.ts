import { CappedChunks } from './capped-chunks.js';
import { buildCommandLine, checkSudo, newTag, tiedScriptInput } from './command-line.js';
import { withDeadline } from './deadline.js';
import type { ConnectionInfo, ExecRequest, ExecResult, SweepMatch } from './types.js';

// One command on a host, the same way over SSH and locally: the tagged
// command line, stdin (a script, input, or the tie), the deadline and the
// abort that reap by tag, the sudo check and the result. A transport only
// supplies a raw channel: a process with three streams and an end.

export interface Ended {
  exitCode: number | null;
  signal: string | null;
}

export interface RawChannel {
  onStdout(cb: (c: Buffer) => void): void;
  onStderr(cb: (c: Buffer) => void): void;
  write(data: string | Buffer): void;
  end(data?: string | Buffer): void;
  // How the command ended, or 'lost' when the connection went with it.
  done: Promise<Ended | 'lost'>;
  // Drops the channel or child after a reap; its late output is ignored.
  detach(): void;
}

export interface ChannelHost {
  readonly info: ConnectionInfo;
  open(line: string, step: string | undefined): Promise<RawChannel>;
  sweep(match: SweepMatch, root: boolean): Promise<string>;
  // Throws when the command's end says the connection was lost.
  checkLost?(ended: Ended | 'lost' | undefined, outcome: Outcome, step?: string): void;
}

export interface Outcome {
  timedOut: boolean;
  aborted: boolean;
}

export async function taggedExec(host: ChannelHost, req: ExecRequest): Promise<ExecResult> {
  const tag = newTag();
  const line = buildCommandLine({
    argv: req.argv,
    script: req.script,
    root: !!req.root,
    loginIsRoot: host.info.isRoot,
    tag,
    tied: !!req.tied,
  });
  const started = performance.now();
  const ch = await host.open(line, req.step);
  const out: Buffer[] = [];
  const err = new CappedChunks();
  ch.onStdout((c) => {
    out.push(c);
    req.onStdout?.(c);
  });
  ch.onStderr((c) => err.push(c));
  const end = () => ch.end();
  if (req.tied) {
    // stdin stays open; ending it is the graceful stop.
    if (req.script !== undefined) ch.write(tiedScriptInput(req.script));
    if (req.release?.aborted) end();
    else req.release?.addEventListener('abort', end, { once: true });
  } else ch.end(req.script ?? req.stdin);
  const outcome = await withDeadline(
    { done: ch.done, detach: () => ch.detach() },
    {
      timeoutMs: req.timeoutMs,
      signal: req.signal,
      reap: async () => void (await host.sweep({ name: 'DROPKIT_TAG', value: tag }, !!req.root)),
    },
  ).finally(() => req.release?.removeEventListener('abort', end));
  host.checkLost?.(outcome.value, outcome, req.step);
  const ended = outcome.value === 'lost' ? undefined : outcome.value;
  const stderr = err.text();
  checkSudo(host.info, req, stderr);
  return {
    stdout: Buffer.concat(out),
    stderr,
    exitCode: outcome.timedOut || outcome.aborted ? null : (ended?.exitCode ?? null),
    signal: ended?.signal ?? null,
    durationMs: performance.now() - started,
    timedOut: outcome.timedOut,
    aborted: outcome.aborted,
  };
}
