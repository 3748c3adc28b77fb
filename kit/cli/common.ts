import { type Command, InvalidArgumentError } from 'commander';
import { asDropkitError } from '../errors.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import type { OpenOptions } from '../transport/open.js';
import { packageVersion } from '../version.js';

export interface GlobalOptions {
  debug?: boolean;
  sshConfig?: string[];
  acceptNewHostKey?: boolean;
  connectTimeout?: number;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .version(packageVersion(), '-V, --version')
    .option('--debug', 'show debug lines and stack traces')
    .option(
      '--ssh-config <file>',
      'extra OpenSSH config file, before ~/.ssh/config (repeatable)',
      collect,
      [],
    )
    .option(
      '--accept-new-host-key',
      'record the host key of a host not yet in known_hosts (a changed key is always refused)',
    )
    .option(
      '--connect-timeout <seconds>',
      'SSH connect timeout (default: ConnectTimeout from ssh config, else 10)',
      positiveNumber,
    )
    .showHelpAfterError('(add --help for usage)');
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

export function debugLogger(g: GlobalOptions): ((line: string) => void) | undefined {
  return g.debug ? (line) => process.stderr.write(`debug: ${line}\n`) : undefined;
}

export function openOptions(g: GlobalOptions): OpenOptions {
  return {
    sshConfig: g.sshConfig ?? [],
    acceptNewHostKey: !!g.acceptNewHostKey,
    ...(g.connectTimeout ? { connectTimeoutMs: g.connectTimeout * 1000 } : {}),
    debug: debugLogger(g),
  };
}

// One AbortController per CLI run. The first Ctrl-C asks every step to stop
// and clean up its remote processes; a second one exits at once.
export const interrupt = new AbortController();
let interrupted = 0;
function onSignal(sig: NodeJS.Signals): void {
  interrupted++;
  if (interrupted > 1) process.exit(EXIT.INTERRUPTED);
  process.stderr.write(`\n${sig}: stopping and cleaning up (press Ctrl-C again to exit at once)\n`);
  interrupt.abort(new Error(`interrupted by ${sig}`));
}
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

// Runs a command body; errors become one line plus a hint on stderr (the
// stack only with --debug), and an exit code from the documented table.
// zx style: never process.exit() halfway, only set process.exitCode.
export function action<A extends unknown[]>(body: (...args: A) => Promise<number | undefined>) {
  return async (...args: A): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const g = cmd.optsWithGlobals() as GlobalOptions & { json?: boolean };
    try {
      const code = await body(...args);
      process.exitCode = interrupt.signal.aborted ? EXIT.INTERRUPTED : (code ?? EXIT.OK);
    } catch (e) {
      const err = asDropkitError(e, { code: 'INTERNAL' });
      if (g.json)
        process.stdout.write(`${JSON.stringify({ ok: false, error: err.toJSON() }, null, 2)}\n`);
      process.stderr.write(`error: ${err.oneLine}\n`);
      if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
      if (g.debug)
        process.stderr.write(`${(err.cause as Error | undefined)?.stack ?? err.stack}\n`);
      process.exitCode = interrupt.signal.aborted ? EXIT.INTERRUPTED : exitCodeFor(err.code);
    }
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
  );
}

export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
