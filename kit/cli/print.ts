import { toJson } from '../../collectors/json.js';
import type { DropkitError } from '../errors.js';
import { terminalField, terminalGuard, terminalJson } from '../terminal-text.js';

// Where output reaches the terminal. Host and archive text in it was escaped
// where it was formatted, as fields (tables, names) or as text (summary.md);
// the guard here escapes any control left over, without touching
// backslashes, so it never escapes twice (kit/terminal-text.ts).

export function printOut(text: string): void {
  process.stdout.write(terminalGuard(text));
}

export function printErr(text: string): void {
  process.stderr.write(terminalGuard(text));
}

// -q, --quiet: only errors and the final result. Set by action() for the
// length of one command.
let quiet = false;
export function setQuiet(on: boolean): void {
  quiet = on;
}
export function isQuiet(): boolean {
  return quiet;
}

// What a command says while it works (what it collected, its plan, a
// retry): on stderr, and not at all with --quiet.
export function printInfo(text: string): void {
  if (!quiet) printErr(text);
}

// One line plus the hint. The message often embeds a host's stderr: it is
// one field, so a newline in it cannot forge a line of ours.
export function printError(err: DropkitError): void {
  printErr(`error: ${terminalField(err.oneLine)}\n`);
  if (err.hint) printErr(`hint: ${terminalField(err.hint)}\n`);
}

// The same rule for bigints as every JSON file dropkit writes (toJson): a
// number when exact, a string above 2^53. Still JSON, with nothing raw that
// a terminal would act on (C1, bidi controls).
export function jsonText(value: unknown): string {
  return `${terminalJson(toJson(value))}\n`;
}

export function printJson(value: unknown): void {
  process.stdout.write(jsonText(value));
}
