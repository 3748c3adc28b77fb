// A running ProxyCommand: its stdin and stdout are the SSH connection (a Duplex
// for ssh2's `sock`), its stderr is kept for the error message. The command runs
// in a process group of its own, so that stopping it stops what it started too
// (`ssh -W` and its helpers, a `sh -c` pipeline): a proxy must never outlive its
// connection. OpenSSH signals only the direct child; a shell wrapper would leave
// the real proxy behind.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import { proxyCommandArgv } from '../ssh/proxy-command.js';
import { CappedChunks } from './capped-chunks.js';

// Only the end of a proxy's stderr ever reaches a message; a chatty one must not
// fill memory.
const PROXY_STDERR_CAP = 64 * 1024;
// Time between SIGTERM and SIGKILL for the group: `ssh -W` exits at once on TERM.
const KILL_GRACE_MS = 1000;

export interface ProxyExit {
  code: number | null;
  signal: string | null;
  /** Set when the command could not be started at all (no such shell). */
  spawnError?: string;
}

export interface ProxyProcess {
  /** The command line as configured, after %-expansion (without the `exec`). */
  readonly command: string;
  readonly pid: number | undefined;
  readonly sock: Duplex;
  /** Its exit, or undefined if it has not exited within `waitMs`. */
  exited(waitMs: number): Promise<ProxyExit | undefined>;
  stderr(): string;
  /** Stops the whole process group: TERM, then KILL after a grace. Idempotent. */
  stop(): void;
}

// Process groups still to be killed if node exits first (a thrown error, a second
// Ctrl-C): 'exit' handlers run synchronously, so SIGKILL is all there is time for.
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    // ESRCH: nothing left in the group.
    return false;
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
  });
}

// ssh2 writes and reads this like a socket. Writes to a proxy that has died are
// dropped rather than failing: the proxy's exit, reported with its stderr, is
// the useful error, not EPIPE.
class ProxyStream extends Duplex {
  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    // When the proxy's stdout ends, the connection is over: end our side too, so
    // that 'close' follows and ssh2 reports the connection as closed.
    super({ allowHalfOpen: false });
    child.stdout.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) child.stdout.pause();
    });
    child.stdout.on('end', () => this.push(null));
    child.stdout.on('error', () => this.push(null));
    child.stdin.on('error', () => undefined);
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const stdin = this.child.stdin;
    if (stdin.destroyed || !stdin.writable) {
      cb();
      return;
    }
    stdin.write(chunk, () => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (!this.child.stdin.destroyed) this.child.stdin.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.child.stdin.destroy();
    this.child.stdout.destroy();
    cb(err);
  }
}

export function startProxyCommand(
  command: string,
  env: NodeJS.ProcessEnv = process.env,
): ProxyProcess {
  const [file, ...args] = proxyCommandArgv(command, env['SHELL']);
  // detached: a process group (and session) of its own, killed as one.
  const child = spawn(file!, args, { detached: true, stdio: 'pipe', env });
  const pid = child.pid;
  const errors = new CappedChunks(PROXY_STDERR_CAP);
  child.stderr.on('data', (c: Buffer) => errors.push(c));
  child.stderr.on('error', () => undefined);

  let exit: ProxyExit | undefined;
  const exitedOnce = new Promise<ProxyExit>((resolve) => {
    // 'close' comes after stdout and stderr are drained, so the stderr is whole.
    child.once('close', (code, signal) => {
      exit ??= { code, signal };
      resolve(exit);
    });
    child.once('error', (e) => {
      exit ??= { code: null, signal: null, spawnError: e.message };
      resolve(exit);
    });
  });

  if (pid !== undefined) {
    installExitHook();
    liveGroups.add(pid);
  }

  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (pid === undefined) return;
    if (!signalGroup(pid, 'SIGTERM')) {
      liveGroups.delete(pid);
      return;
    }
    // Unref'd: a stopped proxy must not keep node alive; the exit hook still
    // kills the group if node exits before the grace is over.
    setTimeout(() => {
      signalGroup(pid, 'SIGKILL');
      liveGroups.delete(pid);
    }, KILL_GRACE_MS).unref();
  };

  return {
    command,
    pid,
    sock: new ProxyStream(child),
    exited: (waitMs) =>
      exit !== undefined
        ? Promise.resolve(exit)
        : Promise.race([
            exitedOnce,
            new Promise<undefined>((r) => setTimeout(() => r(undefined), waitMs).unref()),
          ]),
    stderr: () => errors.text(),
    stop,
  };
}
