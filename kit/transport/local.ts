import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import { DropkitError } from '../errors.js';
import { sweeperLine, sweepScript } from './command-line.js';
import { type Ended, type RawChannel, taggedExec } from './tagged-exec.js';
import type { ConnectionInfo, ExecRequest, ExecResult, SweepMatch, Transport } from './types.js';

// `--local`: the same interface and the same command lines as SSH, run by the
// local /bin/sh, so a collector behaves identically on both. Plain
// child_process rather than execa here: `sh -c LINE` with both streams
// buffered is all this needs, and execa's import alone cost about 20 ms of
// every `--local` run (a tenth of `collect bundle --local`).

// A script line as command-line.ts builds it for a login that needs no sudo:
// `env DROPKIT_RUN=… DROPKIT_TAG=… sh -s`, the script on stdin (every
// snapshot and every sweep). Values are bare words, never quoted.
const SCRIPT_LINE = /^env((?: [A-Z][A-Z_]*=[0-9A-Za-z_-]+)+) sh -s$/;

// How to start a line: a script line starts `sh -s` itself, with those
// variables added to its environment: the same process and environment as
// `sh -c LINE` ends with, without the `sh` and `env` execs in front (about
// 7 ms before a snapshot's first section on a small VM). Any other line
// (argv, sudo, a tie) is run by `sh -c`.
export function localSpawn(line: string): { args: string[]; env?: NodeJS.ProcessEnv } {
  const m = SCRIPT_LINE.exec(line);
  if (!m) return { args: ['-c', line] };
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const pair of m[1]!.trim().split(' ')) {
    const eq = pair.indexOf('=');
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { args: ['-s'], env };
}

// `sh -c LINE` (or its script shortcut, above) as a raw channel. A child that
// cannot start ends with its error on stderr, as a shell would print it.
function spawnChannel(line: string): RawChannel {
  const how = localSpawn(line);
  const child = spawn('sh', how.args, { stdio: 'pipe', ...(how.env ? { env: how.env } : {}) });
  // A command may exit without reading all its input (EPIPE): not an error.
  child.stdin.on('error', () => undefined);
  // A spawn error can come before anyone listens: it is kept for onStderr.
  let failed: Buffer | undefined;
  const done = new Promise<Ended>((resolve) => {
    child.once('error', (e) => {
      failed = Buffer.from(`sh: ${e.message}\n`);
      child.stderr.emit('data', failed);
      resolve({ exitCode: null, signal: null });
    });
    child.once('close', (exitCode, signal) => resolve({ exitCode, signal }));
  });
  return {
    onStdout: (cb) => child.stdout.on('data', cb),
    onStderr: (cb) => {
      if (failed) cb(failed);
      child.stderr.on('data', cb);
    },
    write: (d) => void child.stdin.write(d),
    end: (d) => void (d === undefined ? child.stdin.end() : child.stdin.end(d)),
    done,
    detach: () => void child.kill('SIGKILL'),
  };
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
    return taggedExec(
      {
        info: this.info,
        open: async (line) => spawnChannel(line),
        sweep: (m, root) => this.sweep(m, root),
      },
      req,
    );
  }

  async sweep(match: SweepMatch, root: boolean): Promise<string> {
    const ch = spawnChannel(sweeperLine(root, this.info.isRoot));
    const out: Buffer[] = [];
    ch.onStdout((c) => out.push(c));
    ch.end(sweepScript(match));
    const timer = setTimeout(() => ch.detach(), 10_000);
    await ch.done.finally(() => clearTimeout(timer));
    return Buffer.concat(out).toString('utf8');
  }

  onClose(): () => void {
    // A local transport cannot be lost.
    return () => undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
