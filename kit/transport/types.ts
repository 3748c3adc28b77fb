// The one interface every way of reaching a host implements. Collectors,
// doctor and the reproduction only ever see a Transport.

export interface ExecRequest {
  // A command and its arguments; quoted for the remote shell by the transport.
  argv?: readonly string[];
  // A POSIX sh script, sent on stdin to `sh -s` so it is never limited by ARG_MAX
  // and never visible in the host's process list (a bash variant is handed on
  // through the environment: kit/bash-handoff.ts).
  script?: string;
  // Standard input for `argv` commands.
  stdin?: Buffer | string;
  timeoutMs?: number;
  signal?: AbortSignal;
  // Needs root: prefixed with `sudo -n` when the login user is not root.
  root?: boolean;
  // Streams stdout as it arrives (samplers); stdout is still returned whole.
  onStdout?: (chunk: Buffer) => void;
  // A label for errors and logs ("snapshot", "doctor").
  step?: string;
  // Keep stdin open and stop the command (SIGTERM) when it closes: when
  // `release` fires, or when the connection is lost. A tied script still comes
  // on stdin, ahead of the tie (command-line.ts, tiedScriptInput).
  tied?: boolean;
  release?: AbortSignal;
}

// Success and failure share this shape, as in execa: a non-zero exit is data,
// not an exception. Only a lost connection or a refused sudo throws.
export interface ExecResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  timedOut: boolean;
  aborted: boolean;
}

export type AuthMethod = 'agent' | 'publickey' | 'local';

export interface HostKeyInfo {
  status: 'known' | 'accepted-new';
  type: string;
  fingerprint: string;
  file: string;
}

export interface ConnectionInfo {
  // What the user typed (alias or spec) and where it resolved to.
  name: string;
  address: string;
  port: number;
  user: string;
  isRoot: boolean;
  authMethod: AuthMethod;
  hostKey?: HostKeyInfo;
  via: string[];
  connectMs: number;
}

export interface Transport {
  readonly kind: 'ssh' | 'local';
  readonly info: ConnectionInfo;
  exec(req: ExecRequest): Promise<ExecResult>;
  // Resolves once the connection is closed; safe to call twice.
  close(): Promise<void>;
  // Registers a callback for an unexpected loss of the connection.
  // Returns a function that removes the listener again.
  onClose(listener: (err?: Error) => void): () => void;
  // Kills the processes on the host whose environment carries this
  // DROPKIT_RUN or DROPKIT_TAG; returns those that survived (`PID cmdline`
  // lines), empty when none did.
  sweep(match: SweepMatch, root: boolean): Promise<string>;
}

export interface SweepMatch {
  name: 'DROPKIT_RUN' | 'DROPKIT_TAG';
  value: string;
}

export function stdoutText(r: ExecResult): string {
  return r.stdout.toString('utf8');
}
