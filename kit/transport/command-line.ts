import { randomBytes } from 'node:crypto';
import { DropkitError } from '../errors.js';
import { shellJoin, shellQuote } from '../shell-quote.js';
import type { ConnectionInfo, ExecRequest } from './types.js';

// Every process dropkit starts on a host carries DROPKIT_RUN (this CLI
// process) and DROPKIT_TAG (this one command) in its environment. The
// environment is inherited by every descendant, so a timeout, an abort or the
// final cleanup can find and kill exactly our processes by reading
// /proc/<pid>/environ, with no PID files left on the host and no reliance on
// the SSH server delivering signals for non-PTY channels.

export const RUN_ID = randomBytes(6).toString('hex');

export function newTag(): string {
  return randomBytes(6).toString('hex');
}

export interface CommandLineInput {
  argv?: readonly string[];
  script?: string;
  root: boolean;
  loginIsRoot: boolean;
  tag: string;
  runId?: string;
  // Tie the command's life to our stdin (see TIED).
  tied?: boolean;
}

// Long-running commands (iperf3, samplers) must not outlive us: without a
// PTY, sshd does not signal a command when the connection drops. TIED runs
// the command in the background and watches our stdin; EOF on it (we ended
// it on purpose, or the channel died with the connection) sends SIGTERM,
// which also lets iperf3 print its JSON on a graceful stop.
// (A background list gets /dev/null as stdin unless redirected explicitly,
// hence the copy of stdin on fd 3.)
const TIED = `exec 3<&0
"$@" </dev/null 3<&- & p=$!
(while read -r _; do :; done; kill -TERM $p 2>/dev/null) <&3 & w=$!
exec 3<&-
wait $p; rc=$?
kill $w 2>/dev/null
exit $rc`;

// A tied script: it comes on stdin like any script (never in argv, so never in
// the host's process list), ended by this line, and the rest of stdin is the
// tie. dash reads the script a byte per read(2), a few ms for a sampler; the
// script then runs in a subshell, which keeps it out of argv too.
export const TIED_SCRIPT_END = '#dropkit-end-of-script';

export function tiedScriptInput(script: string): string {
  return `${script.endsWith('\n') ? script : `${script}\n`}${TIED_SCRIPT_END}\n`;
}

const TIED_SCRIPT = `s=''
while IFS= read -r l; do [ "$l" = '${TIED_SCRIPT_END}' ] && break; s="$s$l
"; done
exec 3<&0
(eval "$s") </dev/null 3<&- & p=$!
(while read -r _; do :; done; kill -TERM $p 2>/dev/null) <&3 & w=$!
exec 3<&-
wait $p; rc=$?
kill $w 2>/dev/null
exit $rc`;

function shellPart(input: CommandLineInput): string {
  if (!input.argv) return input.tied ? `sh -c ${shellQuote(TIED_SCRIPT)}` : 'sh -s';
  return `sh -c ${shellQuote(
    input.tied ? `sh -c ${shellQuote(TIED)} tied ${shellJoin(input.argv)}` : shellJoin(input.argv),
  )}`;
}

export function buildCommandLine(input: CommandLineInput): string {
  const envArgs = [`DROPKIT_RUN=${input.runId ?? RUN_ID}`, `DROPKIT_TAG=${input.tag}`];
  // `env` then `sh`: works under sudo (which resets the environment) and
  // under any login shell, including csh-style ones that cannot `export`.
  // A script comes on stdin, read by `sh -s` (no `sh -c` around it: one
  // exec less); argv is joined for `sh -c`.
  const wrapped = `env ${envArgs.join(' ')} ${shellPart(input)}`;
  return input.root && !input.loginIsRoot ? `sudo -n ${wrapped}` : wrapped;
}

// A POSIX sh script that kills the processes whose environment has
// NAME=VALUE, then prints those that survived (`PID cmdline`, none when all
// ended): the caller learns what is left without a second round trip (a
// channel and a scan of /proc). Portable to dash and busybox: no pgrep -e,
// no grep -z.
export function sweepScript(match: { name: 'DROPKIT_RUN' | 'DROPKIT_TAG'; value: string }): string {
  const needle = shellQuote(`${match.name}=${match.value}`);
  return [
    // ours PID: the process still carries our tag. Checked again before
    // every signal: a PID freed by one of ours can be reused at once by
    // somebody else's process (or by our next command), and a zombie has no
    // environ.
    `ours() { tr '\\000' '\\n' < "/proc/$1/environ" 2>/dev/null | grep -qx ${needle}; }`,
    // gone PIDS N: exits the script once none of PIDS is ours any more,
    // checking N times 0.1 s apart; leaves the ones still there in $alive.
    `gone() { i=0; while [ $i -lt $2 ]; do alive=''; for p in $1; do ours "$p" && alive="$alive $p"; done; [ -z "$alive" ] && exit 0; sleep 0.1; i=$((i+1)); done; }`,
    `pids=''`,
    // One grep over every environ when it reads NUL-separated records (GNU,
    // and BSD grep): a fork or two per process on the host took a second
    // for 150 processes on a small VM, twice per cleanup. Busybox and other
    // greps fall back to the loop.
    `if printf 'a\\000' | grep -qz '^a$' 2>/dev/null; then`,
    `  for f in $(grep -lsxzF -e ${needle} /proc/[0-9]*/environ 2>/dev/null); do`,
    `    p=\${f#/proc/}; p=\${p%/environ}`,
    `    [ "$p" = "$$" ] || pids="$pids $p"`,
    `  done`,
    `else`,
    `  for d in /proc/[0-9]*; do`,
    `    p=\${d#/proc/}`,
    `    [ "$p" = "$$" ] && continue`,
    `    ours "$p" && pids="$pids $p"`,
    `  done`,
    `fi`,
    `[ -z "$pids" ] && exit 0`,
    `for p in $pids; do ours "$p" && kill -TERM "$p" 2>/dev/null; done`,
    // Give well-behaved processes a moment: iperf3 writes its JSON on
    // SIGTERM, and the tracer turns its event off and removes its tracefs
    // instance, which on a loaded host took more than the 1 s this once
    // allowed (a SIGKILL mid-teardown left the instance behind). Processes
    // that exit at once cost nothing: the wait ends as soon as none is left.
    `gone "$pids" 30`,
    `for p in $alive; do ours "$p" && kill -KILL "$p" 2>/dev/null; done`,
    `gone "$alive" 10`,
    `for p in $alive; do echo "$p $(tr '\\000' ' ' < /proc/$p/cmdline 2>/dev/null)"; done`,
    `exit 0`,
    '',
  ].join('\n');
}

// sudo prints one of these when it would need a password or a terminal.
export function sudoWantsPassword(stderr: string): boolean {
  return /sudo: (a password is required|a terminal is required|\d+ incorrect password)/.test(
    stderr,
  );
}

// Thrown by both transports when a root command met a sudo that wants a
// password: dropkit never sends one, so say so and what to change.
export function checkSudo(info: ConnectionInfo, req: ExecRequest, stderr: string): void {
  if (!req.root || info.isRoot || !sudoWantsPassword(stderr)) return;
  throw new DropkitError({
    code: 'SUDO_PASSWORD_REQUIRED',
    message: `sudo wants a password for ${info.user}`,
    host: info.name,
    step: req.step,
    hint: 'log in as root, or allow passwordless sudo (NOPASSWD) for this user; dropkit never sends passwords',
  });
}

// The command line of a sweep: its own run id, so it never matches itself.
export function sweeperLine(root: boolean, loginIsRoot: boolean): string {
  return buildCommandLine({ root, loginIsRoot, tag: newTag(), runId: 'sweeper' });
}
