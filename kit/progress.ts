// Live feedback on long runs. On a TTY: finished steps as lines and one
// status line rewritten in place. Off a TTY (CI, `| tee`): plain timestamped
// lines. With --json: nothing on stderr but errors.

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
  status(s: LiveStatus): void;
  note(line: string): void;
  done(): void;
}

export function fmtRate(bps: number | undefined): string {
  if (bps === undefined || !Number.isFinite(bps)) return '-';
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s'];
  let v = bps;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

export function statusLine(s: LiveStatus): string {
  const drops = s.dropRates
    .map((d) => `${d.host} ${thousands(Math.round(d.perSec))} drops/s`)
    .join(', ');
  return `${s.phase}  ${s.elapsedS.toFixed(0)}s elapsed, ${Math.max(0, s.remainingS).toFixed(0)}s left  rx ${fmtRate(s.throughputBps)}  ${drops}`;
}

export function createProgress(
  mode: 'tty' | 'plain' | 'quiet',
  out: NodeJS.WritableStream = process.stderr,
): Progress {
  if (mode === 'quiet') return { step() {}, status() {}, note() {}, done() {} };
  const ts = () => new Date().toISOString().slice(11, 19);
  if (mode === 'plain') {
    return {
      step: (name, ms, ok, detail) =>
        out.write(
          `${ts()} ${ok ? 'ok  ' : 'FAIL'} ${name} (${(ms / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}\n`,
        ),
      status: (s) => out.write(`${ts()} ${statusLine(s)}\n`),
      note: (l) => out.write(`${ts()} ${l}\n`),
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
      out.write(
        `${ok ? '✔' : '✖'} ${name} (${(ms / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}\n`,
      );
    },
    status: (s) => {
      clear();
      out.write(`… ${statusLine(s)}`);
      live = true;
    },
    note: (l) => {
      clear();
      out.write(`${l}\n`);
    },
    done: clear,
  };
}
