import { type Command, CommanderError, InvalidArgumentError } from 'commander';
import { asDropkitError } from '../errors.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { activeLabSshConfig } from '../lab/current.js';
import { parsePort } from '../ssh/host-spec.js';
import { terminalField, terminalText } from '../terminal-text.js';
import type { OpenOptions } from '../transport/open.js';
import { packageVersion } from '../version.js';
import { applyUserConfig } from './config-defaults.js';
import { printErr, printError, printJson, setQuiet } from './print.js';

// The printers live in print.ts; every command imports them from here.
export { printErr, printError, printInfo, printJson, printOut } from './print.js';

export interface GlobalOptions {
  debug?: boolean;
  sshConfig?: string[];
  acceptNewHostKey?: boolean;
  connectTimeout?: number;
  quiet?: boolean;
}

export function addGlobalOptions(program: Command): Command {
  return (
    program
      .version(packageVersion(), '-V, --version')
      .option('--debug', 'show debug lines and stack traces')
      .option('-q, --quiet', 'print only errors and the final result line (--json is unchanged)')
      .option(
        '--config <file>',
        'defaults from this YAML file instead of $XDG_CONFIG_HOME/dropkit/config.yaml (flags win)',
      )
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
      .showHelpAfterError('(add --help for usage)')
      // commander ends its own usage errors (unknown option, bad value, missing
      // argument) with exit 1; the documented code for them is 2 (runProgram
      // maps it). Thrown, not exited: main() returns the code. Subcommands
      // inherit this. --help and --version still exit 0.
      .exitOverride()
      // The config file's defaults, for whichever subcommand runs.
      .hook('preAction', (root, actionCommand) => applyUserConfig(root, actionCommand))
  );
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

// Counts and durations: 0 is refused here, at parse time, rather than
// discovered mid-run (or silently taken as "unset").
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

// CPU numbers start at 0.
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

export function tcpPort(value: string): number {
  const port = parsePort(value);
  if (port === undefined) throw new InvalidArgumentError('must be a port between 1 and 65535');
  return port;
}

export function debugLogger(g: GlobalOptions): ((line: string) => void) | undefined {
  return g.debug ? (line) => printErr(`debug: ${terminalField(line)}\n`) : undefined;
}

// The user's --ssh-config files, then the lab's while it is up.
export function openOptions(g: GlobalOptions): OpenOptions {
  const lab = activeLabSshConfig();
  return {
    sshConfig: [...(g.sshConfig ?? []), ...(lab ? [lab] : [])],
    acceptNewHostKey: !!g.acceptNewHostKey,
    ...(g.connectTimeout ? { connectTimeoutMs: g.connectTimeout * 1000 } : {}),
    debug: debugLogger(g),
  };
}

// One AbortController per CLI run. The first Ctrl-C asks every step to stop
// and clean up its remote processes; a second one exits at once. A live
// binding: each main() starts with a fresh one, so a test can call main()
// again in the same process.
export let interrupt = new AbortController();

// Installed by main() for the length of one run; returns the uninstaller.
export function installSignalHandlers(): () => void {
  interrupt = new AbortController();
  let interrupted = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupted++;
    if (interrupted > 1) process.exit(EXIT.INTERRUPTED);
    process.stderr.write(
      `\n${sig}: stopping and cleaning up (press Ctrl-C again to exit at once)\n`,
    );
    interrupt.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

// `collect --help | head`, or a pager quit early: the reader of stdout is
// gone (EPIPE). Not a crash, and not a reason to stop either: a repro run
// still has its settings to restore. Nothing more is shown; the run goes on.
function onStdoutError(e: NodeJS.ErrnoException): void {
  if (e.code !== 'EPIPE') throw e;
}

// Parses argv with a program and returns the exit code: the command's (set
// by action), or commander's for --help, --version and usage errors.
export async function runProgram(program: Command, argv: readonly string[]): Promise<number> {
  const off = installSignalHandlers();
  // Kept to the end of the process: the error arrives after the write.
  if (!process.stdout.listeners('error').includes(onStdoutError))
    process.stdout.on('error', onStdoutError);
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === EXIT.ERROR ? EXIT.USAGE : e.exitCode;
    throw e;
  } finally {
    off();
  }
}

// Runs a command body; errors become one line plus a hint on stderr (the
// stack only with --debug), and an exit code from the documented table.
// zx style: never process.exit() halfway, only set process.exitCode.
export function action<A extends unknown[]>(body: (...args: A) => Promise<number | undefined>) {
  return async (...args: A): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    const g = cmd.optsWithGlobals() as GlobalOptions & { json?: boolean };
    setQuiet(!!g.quiet);
    try {
      const code = await body(...args);
      process.exitCode = interrupt.signal.aborted ? EXIT.INTERRUPTED : (code ?? EXIT.OK);
    } catch (e) {
      // cmd.error() (a usage error found by the body) ends the run as
      // commander's own do: runProgram turns it into the exit code.
      if (e instanceof CommanderError) throw e;
      const err = asDropkitError(e, { code: 'INTERNAL' });
      if (g.json) printJson({ ok: false, error: err.toJSON() });
      printError(err);
      if (g.debug)
        printErr(`${terminalText((err.cause as Error | undefined)?.stack ?? err.stack ?? '')}\n`);
      process.exitCode = interrupt.signal.aborted ? EXIT.INTERRUPTED : exitCodeFor(err.code);
    }
  };
}

export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
