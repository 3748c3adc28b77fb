// One typed error family for everything the CLI can report. The CLI prints
// `message` and `hint` on one line each; the stack only with --debug.

export type ErrorCode =
  | 'USAGE'
  | 'UNKNOWN_HOST_ALIAS'
  | 'CONNECT_TIMEOUT'
  | 'CONNECT_FAILED'
  | 'AUTH_FAILED'
  | 'HOST_KEY_UNKNOWN'
  | 'HOST_KEY_CHANGED'
  | 'HOST_KEY_REVOKED'
  | 'CONNECTION_LOST'
  | 'COMMAND_TIMEOUT'
  | 'COMMAND_FAILED'
  | 'SUDO_PASSWORD_REQUIRED'
  | 'SUDO_FAILED'
  | 'TOOL_MISSING'
  | 'NOT_ROOT'
  | 'NO_NAMESPACES'
  | 'LAB_NOT_UP'
  | 'LAB_FAILED'
  | 'PREFLIGHT_FAILED'
  | 'RESTORE_FAILED'
  | 'ABORTED'
  | 'LEAK_DETECTED'
  | 'OUT_NOT_WRITABLE'
  | 'BUNDLE_INVALID'
  | 'UPLOAD_FAILED'
  | 'NOTHING_TO_FIX'
  | 'INTERNAL';

export interface DropkitErrorInit {
  code: ErrorCode;
  message: string;
  host?: string;
  step?: string;
  hint?: string;
  cause?: unknown;
}

export class DropkitError extends Error {
  readonly code: ErrorCode;
  readonly host: string | undefined;
  readonly step: string | undefined;
  readonly hint: string | undefined;

  constructor(init: DropkitErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'DropkitError';
    this.code = init.code;
    this.host = init.host;
    this.step = init.step;
    this.hint = init.hint;
  }

  // The one-line form: "vmB: connect: connection timed out after 10 s".
  get oneLine(): string {
    const where = [this.host, this.step].filter(Boolean).join(': ');
    return where ? `${where}: ${this.message}` : this.message;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      host: this.host,
      step: this.step,
      hint: this.hint,
    };
  }
}

export function isDropkitError(e: unknown): e is DropkitError {
  return e instanceof DropkitError;
}

// Wraps anything thrown into a DropkitError, keeping the original as cause.
export function asDropkitError(e: unknown, fallback: Omit<DropkitErrorInit, 'message'>) {
  if (e instanceof DropkitError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new DropkitError({ ...fallback, message, cause: e });
}
