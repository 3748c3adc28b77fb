import { expect } from 'vitest';
import { PROBE_SCRIPT } from '../../kit/doctor/probe.js';
import { DropkitError } from '../../kit/errors.js';
import { checkSudo } from '../../kit/transport/command-line.js';
import type {
  ConnectionInfo,
  ExecRequest,
  ExecResult,
  SweepMatch,
  Transport,
} from '../../kit/transport/types.js';
import { PORTS_SCRIPT } from '../../repro/run/ports.js';

// A host that answers from a table, in the style of cilium sysdump's fake
// client: every command it may be asked is listed with its answer, and any
// other one fails the test (expect.soft, since the code under test may catch
// the error it also throws).
//
// The table is keyed by the exact command:
// - argv: the words joined by spaces, `ip -o route get 198.18.0.12`;
// - a script: the request's step, then the script's name, `snapshot before:
//   snapshot script`; a script is named by a line only it has (SCRIPT_NAMES);
// - a sweep (a kill that returns the survivors): `sweep kill DROPKIT_RUN=<run id>`.
//
// An answer is a reply ({ stdout, stderr, exitCode }), LOSE (the connection
// drops when the command is sent), or a function of the call that returns
// either, at once or later. Through the call a function can stream output
// (emit), lose the connection midway (lose), and wait for the command's end:
// `ended` settles when a tied command is released, the request's signal
// aborts, or the connection is lost. A tied command answered by such a
// function runs until then.
//
// Like the SSH transport, a lost connection calls the onClose listeners, makes
// every running command and every later one throw CONNECTION_LOST with the
// request's step, and a closed one refuses commands the same way. An aborted
// command resolves with `aborted: true` and what its answer printed; the real
// transports also reap it by its tag, which the fake leaves out. Timeouts are
// not simulated.

export interface Reply {
  stdout?: string | Buffer;
  stderr?: string;
  exitCode?: number | null;
}

export const LOSE = Symbol('lose the connection');
export type Outcome = Reply | typeof LOSE;
export type End = 'released' | 'aborted' | 'lost';

export interface FakeCall {
  key: string;
  req: ExecRequest;
  emit(chunk: string | Buffer): void;
  ended: Promise<End>;
  lose(): void;
}

export type Answer = Outcome | ((call: FakeCall) => Outcome | Promise<Outcome>);

// What the fake was asked, in order, and how each command ended.
export interface Logged {
  key: string;
  step?: string;
  root: boolean;
  tied: boolean;
  // A tied command's release fired while it ran (the run's graceful stop).
  released?: boolean;
  // `refused`: sent after the connection was lost or closed; `unknown`: not
  // in the table. Unset while the command runs.
  end?: 'answered' | End | 'refused' | 'unknown';
}

// Probe and ports are fixed scripts; the others are generated per run (a fresh
// boundary, the run's instance name), so a line of their body names them.
const SCRIPT_NAMES: Array<[string, (script: string) => boolean]> = [
  ['probe', (s) => s === PROBE_SCRIPT],
  ['ports', (s) => s === PORTS_SCRIPT],
  ['snapshot', (s) => s.includes(`printf '%s begin %s %s %s\\n' "$B" "$_id" "$_if" "$_t"`)],
  ['sampler', (s) => s.includes(`printf '%s S %s %s\\n' "$B" "$seq" "$t"`)],
  ['tracer', (s) => s.includes('/trace_pipe"')],
  ['tracer leftover', (s) => s.includes('[ -d "$I" ] || echo removed')],
];

export function scriptName(script: string): string {
  return SCRIPT_NAMES.find(([, is]) => is(script))?.[0] ?? 'unrecognised';
}

export function keyOf(req: ExecRequest): string {
  if (req.argv) return req.argv.join(' ');
  return `${req.step ?? '?'}: ${scriptName(req.script ?? '')} script`;
}

export class FakeTransport implements Transport {
  readonly kind = 'ssh' as const;
  readonly info: ConnectionInfo;
  readonly calls: Logged[] = [];
  readonly unknown: string[] = [];
  closed = false;
  private lostWith: Error | undefined;
  private listeners: Array<(err?: Error) => void> = [];

  constructor(
    name: string,
    private readonly answers: Record<string, Answer>,
    info: Partial<ConnectionInfo> = {},
  ) {
    this.info = {
      name,
      address: '198.18.0.1',
      port: 22,
      user: 'root',
      isRoot: true,
      authMethod: 'publickey',
      via: [],
      connectMs: 1,
      ...info,
    };
  }

  get lost(): boolean {
    return this.lostWith !== undefined;
  }

  // The connection drops now, as when the host goes away.
  lose(): void {
    if (this.lostWith || this.closed) return;
    this.lostWith = new Error('connection closed by remote host');
    for (const l of [...this.listeners]) l(this.lostWith);
  }

  onClose(listener: (err?: Error) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  keys(): string[] {
    return this.calls.map((c) => c.key);
  }

  call(key: string): Logged | undefined {
    return this.calls.find((c) => c.key === key);
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    const logged: Logged = { key: keyOf(req), root: !!req.root, tied: !!req.tied };
    if (req.step) logged.step = req.step;
    this.calls.push(logged);
    const answer = this.answerFor(logged, req.step);
    const out: Buffer[] = [];
    const { ended, settle } = this.endOf(req, logged);
    const emit = (chunk: string | Buffer) => {
      const b = Buffer.from(chunk);
      out.push(b);
      req.onStdout?.(b);
    };
    const call: FakeCall = { key: logged.key, req, emit, ended, lose: () => this.lose() };
    const replied = Promise.resolve(typeof answer === 'function' ? answer(call) : answer);
    try {
      // A signal that has already fired wins, as in the real transports.
      const first = req.signal?.aborted ? 'aborted' : await Promise.race([replied, ended]);
      if (first === LOSE) this.lose();
      if (first === LOSE || first === 'lost' || this.lost) {
        logged.end = 'lost';
        throw this.lostError(req.step);
      }
      // Stopped from here, a command still prints what it prints on its way
      // out (iperf3 writes its JSON on SIGTERM).
      const reply = typeof first === 'string' ? await lateReply(replied) : first;
      logged.end = typeof first === 'string' ? first : 'answered';
      // A reply's stdout is the command's last output: streamed like the rest.
      if (reply?.stdout?.length) emit(reply.stdout);
      const stderr = reply?.stderr ?? '';
      checkSudo(this.info, req, stderr);
      return {
        stdout: Buffer.concat(out),
        stderr,
        exitCode: first === 'aborted' ? null : (reply?.exitCode ?? 0),
        signal: null,
        durationMs: 0,
        timedOut: false,
        aborted: first === 'aborted',
      };
    } finally {
      settle();
    }
  }

  async sweep(match: SweepMatch, root: boolean): Promise<string> {
    const logged: Logged = { key: `sweep kill ${match.name}=${match.value}`, root, tied: false };
    this.calls.push(logged);
    const answer = this.answerFor(logged, 'cleanup');
    const { ended, settle } = this.endOf({}, logged);
    const call: FakeCall = {
      key: logged.key,
      req: {},
      emit: () => undefined,
      ended,
      lose: () => this.lose(),
    };
    const r = await (typeof answer === 'function' ? answer(call) : answer);
    settle();
    if (r === LOSE || this.lost) {
      this.lose();
      logged.end = 'lost';
      throw this.lostError('cleanup');
    }
    logged.end = 'answered';
    return r.stdout === undefined ? '' : Buffer.from(r.stdout).toString('utf8');
  }

  private answerFor(logged: Logged, step: string | undefined): Answer {
    if (this.lost || this.closed) {
      logged.end = 'refused';
      throw this.lostError(step);
    }
    const answer = Object.hasOwn(this.answers, logged.key) ? this.answers[logged.key] : undefined;
    if (answer !== undefined) return answer;
    logged.end = 'unknown';
    this.unknown.push(logged.key);
    const known = Object.keys(this.answers).join('\n  ');
    expect
      .soft(
        logged.key,
        `${this.info.name} was asked a command it has no answer for; it knows:\n  ${known}`,
      )
      .toBe('(a known command)');
    throw new Error(`fake ${this.info.name}: no answer for "${logged.key}"`);
  }

  // Settles with why a command was stopped from outside: released (tied
  // commands), aborted (the request's signal; it wins when both fire, as a
  // Ctrl-C does), or lost (the connection).
  private endOf(req: ExecRequest, logged: Logged): { ended: Promise<End>; settle: () => void } {
    let done: (why: End) => void = () => undefined;
    const ended = new Promise<End>((r) => {
      done = r;
    });
    const onRelease = () => {
      logged.released = true;
      done(req.signal?.aborted ? 'aborted' : 'released');
    };
    const onAbort = () => done('aborted');
    const offLost = this.onClose(() => done('lost'));
    if (req.signal?.aborted) done('aborted');
    else req.signal?.addEventListener('abort', onAbort, { once: true });
    if (req.tied && req.release) {
      if (req.release.aborted) onRelease();
      else req.release.addEventListener('abort', onRelease, { once: true });
    }
    const settle = () => {
      offLost();
      req.signal?.removeEventListener('abort', onAbort);
      req.release?.removeEventListener('abort', onRelease);
    };
    return { ended, settle };
  }

  private lostError(step: string | undefined): DropkitError {
    return new DropkitError({
      code: 'CONNECTION_LOST',
      message: `SSH connection lost${this.lostWith ? `: ${this.lostWith.message}` : ''}`,
      host: this.info.name,
      step,
      hint: 'the host may have rebooted, sshd may have been stopped, or the link dropped',
    });
  }
}

// The real transports wait a moment for those last words; a turn of the event
// loop is the fake's moment.
async function lateReply(replied: Promise<Outcome>): Promise<Reply | undefined> {
  const late = await Promise.race([
    replied,
    new Promise<undefined>((r) => setImmediate(() => r(undefined))),
  ]);
  return late === LOSE ? undefined : late;
}
