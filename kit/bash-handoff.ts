import { shellQuote } from './shell-quote.js';

// A script arrives on stdin, read by `sh -s` (types.ts: never in argv, so
// never in the host's process list). Handing its bash variant on as
// `bash -c '<script>'` would put the whole script, boundary included, back
// into argv, readable by every user of the host through `ps`. The text goes
// through the environment instead (readable only by the same user and root),
// and is dropped from it before any command runs, so no child inherits it.
// Not a heredoc or `bash -s`: bash reads a pipe one byte per read(2), 40 ms
// for a 24 KB script, where `eval` of a variable costs nothing.
export function execBashLine(script: string, name: string, guard = ''): string {
  const run = `_dk_s=$DROPKIT_SCRIPT; unset DROPKIT_SCRIPT; eval "$_dk_s"`;
  return `if command -v bash >/dev/null 2>&1${guard}; then DROPKIT_SCRIPT=${shellQuote(script)}; export DROPKIT_SCRIPT; exec bash -c ${shellQuote(run)} ${shellQuote(name)}; fi\n`;
}
