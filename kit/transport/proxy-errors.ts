// Errors of a connection made through a ProxyCommand. The command and its stderr
// are what the user needs to see, but its stderr is hostile input (a proxy is
// often a remote program's output, passed on): it is cut to its last lines and
// every character a terminal would act on becomes U+FFFD. Replacing, rather
// than escaping, keeps the message unchanged by the escaping every printer
// applies once more. Pure.

import { DropkitError } from '../errors.js';
import { terminalField } from '../terminal-text.js';
import type { ProxyExit } from './proxy-process.js';

// The first lines often say what went wrong (a stack trace's message), the
// last ones what gave up (ssh's own line): both are kept.
const HEAD_LINES = 2;
const TAIL_LINES = 4;
const STDERR_CHARS = 600;
const COMMAND_CHARS = 300;

// One character at a time through the project's sanitiser: what it would
// escape is unsafe. A lone backslash is never escaped, so it is kept.
function defang(text: string): string {
  return Array.from(text, (c) => (terminalField(c) === c ? c : '\ufffd')).join('');
}

function cut(text: string, max: number): string {
  return text.length > max ? `…${text.slice(text.length - max)}` : text;
}

/** The last lines of a proxy's stderr, on one line and safe to print; '' if none. */
export function proxyStderrExcerpt(stderr: string): string {
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const kept =
    lines.length > HEAD_LINES + TAIL_LINES
      ? [...lines.slice(0, HEAD_LINES), '…', ...lines.slice(-TAIL_LINES)]
      : lines;
  return defang(cut(kept.join(' | '), STDERR_CHARS));
}

export function proxyCommandLabel(command: string): string {
  return `ProxyCommand "${defang(command.length > COMMAND_CHARS ? `${command.slice(0, COMMAND_CHARS)}…` : command)}"`;
}

function describeExit(exit: ProxyExit): string {
  if (exit.spawnError !== undefined) return `could not be started (${exit.spawnError})`;
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with status ${exit.code}`;
}

export interface ProxyErrorContext {
  host: string;
  command: string;
  stderr: string;
}

const PROXY_HINT =
  'run the command by hand to see why it fails; its stdin and stdout must carry the SSH connection';

/** The ProxyCommand ended before the SSH session was up. */
export function proxyExitedError(ctx: ProxyErrorContext, exit: ProxyExit, cause?: unknown) {
  const said = proxyStderrExcerpt(ctx.stderr);
  return new DropkitError({
    code: 'CONNECT_FAILED',
    message: `${proxyCommandLabel(ctx.command)} ${describeExit(exit)} before the SSH handshake completed${said ? `: ${said}` : ' (no stderr)'}`,
    host: ctx.host,
    step: 'proxy command',
    hint: PROXY_HINT,
    cause,
  });
}

/** No SSH answer came through a ProxyCommand that is still running. */
export function proxyTimeoutError(ctx: ProxyErrorContext, timeoutMs: number, cause?: unknown) {
  const said = proxyStderrExcerpt(ctx.stderr);
  return new DropkitError({
    code: 'CONNECT_TIMEOUT',
    message: `no SSH answer through ${proxyCommandLabel(ctx.command)} within ${Math.round(timeoutMs / 1000)} s; the command was stopped${said ? `: ${said}` : ''}`,
    host: ctx.host,
    step: 'proxy command',
    hint: 'check that the command reaches sshd (try it by hand), or raise ConnectTimeout for slow links',
    cause,
  });
}
