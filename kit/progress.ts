// Live feedback on long runs. On a TTY: finished steps as lines and one
// status line rewritten in place. Off a TTY (CI, `| tee`): plain timestamped
// lines. With --json: nothing on stderr but errors. Step details, notes,
// phases and host names can carry host text (an error's stderr): each is
// escaped as one field, so none can move the cursor or forge a line.

import { formatBitRate } from './bit-rate.js';
import { terminalField as field } from './terminal-text.js';
import { thousands } from './thousands.js';

export interface LiveStatus {
  phase: string;
  elapsedS: number;
  remainingS: number;
  // Receiver's data interface, from the samplers.
  throughputBps?: number;
  // Packets dropped per second right now, per host (softnet + interfaces).
  dropRates: Array<{ host: string; perSec: number }>;
}

export interface Progress {
  step(name: string, ms: number, ok: boolean, detail?: string): void;
  // A run's live status, or a line a command made of its own (host names
  // already escaped with terminalField).
  status(s: LiveStatus | string): void;
  note(line: string): void;
  done(): void;
}

export function statusLine(s: LiveStatus): string {
  const drops = s.dropRates
    .map((d) => `${field(d.host)} ${thousands(Math.round(d.perSec))} drops/s`)
    .join(', ');
  return `${field(s.phase)}  ${s.elapsedS.toFixed(0)}s elapsed, ${Math.max(0, s.remainingS).toFixed(0)}s left  rx ${formatBitRate(s.throughputBps)}  ${drops}`;
}

export function createProgress(
  mode: 'tty' | 'plain' | 'quiet',
  out: NodeJS.WritableStream = process.stderr,
): Progress {
  if (mode === 'quiet') return { step() {}, status() {}, note() {}, done() {} };
  const ts = () => new Date().toISOString().slice(11, 19);
  const stepLine = (name: string, ms: number, detail?: string) =>
    `${field(name)} (${(ms / 1000).toFixed(1)} s)${detail ? `: ${field(detail)}` : ''}`;
  if (mode === 'plain') {
    return {
      step: (name, ms, ok, detail) =>
        out.write(`${ts()} ${ok ? 'ok  ' : 'FAIL'} ${stepLine(name, ms, detail)}\n`),
      status: (s) => out.write(`${ts()} ${typeof s === 'string' ? s : statusLine(s)}\n`),
      note: (l) => out.write(`${ts()} ${field(l)}\n`),
      done() {},
    };
  }
  let live = false;
  const clear = () => {
    if (live) out.write('\r\x1b[K');
    live = false;
  };
  return {
    step: (name, ms, ok, detail) => {
      clear();
      out.write(`${ok ? '✔' : '✖'} ${stepLine(name, ms, detail)}\n`);
    },
    status: (s) => {
      clear();
      // One terminal row: a line that wraps leaves a stale copy behind, since
      // \r\x1b[K clears only the last row.
      const cols = (out as { columns?: number }).columns ?? 80;
      out.write(fitted(`… ${typeof s === 'string' ? s : statusLine(s)}`, cols - 1));
      live = true;
    },
    note: (l) => {
      clear();
      out.write(`${field(l)}\n`);
    },
    done: clear,
  };
}

// The status line cut to the terminal's width (its characters are plain:
// statusLine escapes every host field).
export function fitted(line: string, width: number): string {
  const chars = [...line];
  return chars.length <= width ? line : `${chars.slice(0, Math.max(1, width - 1)).join('')}…`;
}

// How progress is shown: live on a terminal that can rewrite a line, plain
// timestamped lines elsewhere (CI, a pipe, TERM=dumb), nothing with --json
// or --quiet.
export function progressMode(json: boolean, quiet = false): 'tty' | 'plain' | 'quiet' {
  if (json || quiet) return 'quiet';
  return process.stderr.isTTY && process.env['TERM'] !== 'dumb' ? 'tty' : 'plain';
}
