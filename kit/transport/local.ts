import { userInfo } from 'node:os';
import { execa } from 'execa';
import { DropkitError } from '../errors.js';
import { buildCommandLine, checkSudo, newTag, sweeperLine, sweepScript } from './command-line.js';
import { withDeadline } from './deadline.js';
import type { ConnectionInfo, ExecRequest, ExecResult, SweepMatch, Transport } from './types.js';

// `--local`: the same interface and the same command lines as SSH, run by the
// local /bin/sh, so a collector behaves identically on both.
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
    const child = execa('sh', ['-c', line], {
      ...(req.tied ? { stdin: 'pipe' as const } : { input: input === undefined ? '' : input }),
      encoding: 'buffer',
      reject: false,
      stripFinalNewline: false,
      buffer: true,
    });
    if (req.tied) {
      // stdin stays open; ending it is the graceful stop.
      const end = () => child.stdin?.end();
      if (req.release?.aborted) end();
      else req.release?.addEventListener('abort', end, { once: true });
    }
    if (req.onStdout) child.stdout?.on('data', req.onStdout);
    const outcome = await withDeadline(
      { done: child, detach: () => child.kill('SIGKILL') },
      {
        timeoutMs: req.timeoutMs,
        signal: req.signal,
        reap: async () =>
          void (await this.sweep({ name: 'DROPKIT_TAG', value: tag }, req.root ?? false)),
      },
    );
    const r = outcome.value;
    const stderr = r ? Buffer.from(r.stderr as Uint8Array).toString('utf8') : '';
    checkSudo(this.info, req, stderr);
    return {
      stdout: r ? Buffer.from(r.stdout as Uint8Array) : Buffer.alloc(0),
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
    const r = await execa('sh', ['-c', line], {
      input: sweepScript(match, mode),
      reject: false,
      timeout: 10_000,
    });
    return String(r.stdout ?? '');
  }

  onClose(): void {
    // A local transport cannot be lost.
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
