import { type ChildProcess, spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import { DropkitError } from '../errors.js';
import { CappedChunks } from './capped-chunks.js';
import {
  buildCommandLine,
  checkSudo,
  newTag,
  sweeperLine,
  sweepScript,
  tiedScriptInput,
} from './command-line.js';
import { withDeadline } from './deadline.js';
import type { ConnectionInfo, ExecRequest, ExecResult, SweepMatch, Transport } from './types.js';

// `--local`: the same interface and the same command lines as SSH, run by the
// local /bin/sh, so a collector behaves identically on both. Plain
// child_process rather than execa here: `sh -c LINE` with both streams
// buffered is all this needs, and execa's import alone cost about 20 ms of
// every `--local` run (a tenth of `collect bundle --local`).

interface Ran {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number | null;
  signal: string | null;
}

function runShell(
  line: string,
  opts: { input?: Buffer | string; onStdout?: (c: Buffer) => void },
): { child: ChildProcess; done: Promise<Ran> } {
  const child = spawn('sh', ['-c', line], { stdio: 'pipe' });
  const out: Buffer[] = [];
  const err = new CappedChunks();
  child.stdout.on('data', (c: Buffer) => {
    out.push(c);
    opts.onStdout?.(c);
  });
  child.stderr.on('data', (c: Buffer) => err.push(c));
  // A command may exit without reading all its input (EPIPE): not an error.
  child.stdin.on('error', () => undefined);
  if (opts.input !== undefined) child.stdin.end(opts.input);
  const done = new Promise<Ran>((resolve) => {
    const settle = (exitCode: number | null, signal: string | null, extra = '') =>
      resolve({
        stdout: Buffer.concat(out),
        stderr: Buffer.from(err.text() + extra),
        exitCode,
        signal,
      });
    child.once('error', (e) => settle(null, null, `sh: ${e.message}\n`));
    child.once('close', (code, signal) => settle(code, signal));
  });
  return { child, done };
}

export class LocalTransport implements Transport {
  readonly kind = 'local' as const;
  readonly info: ConnectionInfo;
  private closed = false;

  constructor(name = 'local') {
    const uid = process.getuid?.() ?? -1;
    this.info = {
      name,
      address: 'localhost',
      port: 0,
      user: userInfo().username,
      isRoot: uid === 0,
      authMethod: 'local',
      via: [],
      connectMs: 0,
    };
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    if (this.closed)
      throw new DropkitError({
        code: 'CONNECTION_LOST',
        message: 'transport is closed',
        host: this.info.name,
        step: req.step,
      });
    const tag = newTag();
    const line = buildCommandLine({
      argv: req.argv,
      script: req.script,
      root: !!req.root,
      loginIsRoot: this.info.isRoot,
      tag,
      tied: !!req.tied,
    });
    const started = performance.now();
    const input = req.script ?? req.stdin;
    // Tied commands keep stdin open: ending it is the graceful stop.
    const { child, done } = runShell(line, {
      ...(req.tied ? {} : { input: input ?? '' }),
      ...(req.onStdout ? { onStdout: req.onStdout } : {}),
    });
    const end = () => child.stdin?.end();
    if (req.tied) {
      if (req.script !== undefined) child.stdin?.write(tiedScriptInput(req.script));
      if (req.release?.aborted) end();
      else req.release?.addEventListener('abort', end, { once: true });
    }
    const outcome = await withDeadline(
      { done, detach: () => child.kill('SIGKILL') },
      {
        timeoutMs: req.timeoutMs,
        signal: req.signal,
        reap: async () =>
          void (await this.sweep({ name: 'DROPKIT_TAG', value: tag }, req.root ?? false)),
      },
    ).finally(() => req.release?.removeEventListener('abort', end));
    const r = outcome.value;
    const stderr = r ? r.stderr.toString('utf8') : '';
    checkSudo(this.info, req, stderr);
    return {
      stdout: r ? r.stdout : Buffer.alloc(0),
      stderr,
      exitCode: outcome.timedOut || outcome.aborted ? null : (r?.exitCode ?? null),
      signal: r?.signal ?? null,
      durationMs: performance.now() - started,
      timedOut: outcome.timedOut,
      aborted: outcome.aborted,
    };
  }

  async sweep(match: SweepMatch, root: boolean, mode: 'kill' | 'list' = 'kill'): Promise<string> {
    const line = sweeperLine(root, this.info.isRoot);
    const { child, done } = runShell(line, { input: sweepScript(match, mode) });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const r = await done.finally(() => clearTimeout(timer));
    return r.stdout.toString('utf8');
  }

  onClose(): () => void {
    // A local transport cannot be lost.
    return () => undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
