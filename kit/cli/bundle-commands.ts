import { type Command, InvalidArgumentError } from 'commander';
import { checkCaseId } from '../../bundles/case-secret.js';
import { collectNodeBundle } from '../../bundles/collect-node-bundle.js';
import { EXIT } from '../exit-codes.js';
import { terminalField as field, terminalText } from '../terminal-text.js';
import { openTransport } from '../transport/open.js';
import {
  action,
  collect,
  debugLogger,
  examples,
  type GlobalOptions,
  interrupt,
  openOptions,
  positiveInt,
  printErr,
  printJson,
  printOut,
} from './common.js';
import { reportBundle } from './print-bundle.js';

interface BundleOpts {
  node: string[];
  local?: boolean;
  out: string;
  case?: string;
  note?: string;
  redact: boolean;
  redactKeyword: string[];
  traceDrops?: number;
  json?: boolean;
}

// `collect bundle`, `collect verify` and `collect show`.
export function registerBundle(program: Command): void {
  registerBundleCommand(program);
  registerVerify(program);
  registerShow(program);
}

function registerBundleCommand(program: Command): void {
  program
    .command('bundle')
    .description(
      "snapshot one or more hosts and pack a redacted, verifiable tarball for the vendor's support case",
    )
    .option('--node <host>', '[user@]host[:port] or ssh config alias (repeatable)', collect, [])
    .option('--local', 'this machine')
    .option('--out <dir>', 'where to write the bundle', '.')
    .option(
      '--case <id>',
      'support case ID: names the bundle and keys the pseudonyms (same case, same tokens)',
    )
    .option('--note <text>', 'a note for the support engineer, shown in the summary')
    .option(
      '--no-redact',
      'do NOT redact addresses, names and secrets (the bundle then must not leave your organisation)',
    )
    .option(
      '--redact-keyword <word>',
      'also redact this word everywhere, case-insensitive (repeatable)',
      collect,
      [],
    )
    .option(
      '--trace-drops <seconds>',
      'trace skb:kfree_skb drop reasons for this long first (root, tracefs)',
      positiveInt,
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      examples([
        'collect bundle --node vmA --node vmB',
        'collect bundle --local --case 2611270040001234 --out /tmp',
        'collect bundle --node azureuser@10.0.0.4 --redact-keyword contoso',
        'collect bundle --node vmB --trace-drops 10',
      ]),
    )
    .action(
      action(async (opts: BundleOpts, cmd: Command) => {
        const specs = [...(opts.local ? ['local'] : []), ...opts.node];
        if (!specs.length)
          cmd.error('error: give --node HOST (repeatable) or --local', { exitCode: 2 });
        if (opts.case) checkCaseId(opts.case);
        const g = cmd.optsWithGlobals() as GlobalOptions;
        const debug = debugLogger(g);
        debug?.(`bundle: started ${performance.now().toFixed(0)} ms after launch`);
        const opening = openOptions(g);
        const outcome = await collectNodeBundle({
          specs,
          open: (spec) => openTransport(spec, opening),
          signal: interrupt.signal,
          ...(opts.traceDrops ? { traceSeconds: opts.traceDrops } : {}),
          ...(opts.case ? { caseId: opts.case } : {}),
          ...(opts.note ? { note: opts.note } : {}),
          command: ['collect', ...process.argv.slice(2)],
          outDir: opts.out,
          redact: opts.redact,
          keywords: opts.redactKeyword,
          // Lines carry host names and host errors: one field each.
          ...(opts.json ? {} : { onLog: (l: string) => printErr(`${field(l)}\n`) }),
          ...(debug ? { debug } : {}),
        });
        return reportBundle(outcome, !!opts.json);
      }),
    );
}

function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'check a bundle: structure, every sha256 against the manifest, and the leak patterns',
    )
    .argument('<bundle>', 'a .tar.gz written by dropkit')
    .option(
      '--sha256 <hex>',
      'the sha256 printed when the bundle was written: any other file is a problem',
      sha256Hex,
    )
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      examples([
        'collect verify 20261127T141502Z-node-case-4711.tar.gz',
        'collect verify 20261127T141502Z-node-case-4711.tar.gz --sha256 9f86d08…',
      ]),
    )
    .action(
      action(async (file: string, opts: { json?: boolean; sha256?: string }) => {
        const { verifyBundle } = await import('../../bundles/verify.js');
        const r = await verifyBundle(file, opts.sha256);
        if (opts.json)
          printJson({
            file: r.file,
            ok: r.ok,
            files: r.files,
            sha256: r.sha256,
            problems: r.problems,
          });
        else {
          // Paths and problems name entries of a stranger's archive: a `\r`
          // in one must not overwrite its line with a forged `OK:`.
          for (const p of r.problems) printOut(`PROBLEM: ${field(p)}\n`);
          printOut(
            r.ok
              ? `OK: ${field(file)}: ${r.files} files, every sha256 matches the manifest, no leak pattern\n`
              : `INVALID: ${field(file)}: ${r.problems.length} problem(s)\n`,
          );
        }
        return r.ok ? EXIT.OK : EXIT.INVALID;
      }),
    );
}

function registerShow(program: Command): void {
  program
    .command('show')
    .description("print a bundle's summary.md")
    .argument('<bundle>', 'a .tar.gz written by dropkit')
    .addHelpText('after', examples(['collect show 20261127T141502Z-node-case-4711.tar.gz | less']))
    .action(
      action(async (file: string) => {
        const { readSummary } = await import('../../bundles/verify.js');
        // The whole file, escaped: it comes from whoever sent the bundle.
        printOut(terminalText(await readSummary(file)));
        return EXIT.OK;
      }),
    );
}

// `--sha256`: 64 hex digits, as printed when the bundle was written.
function sha256Hex(value: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(value))
    throw new InvalidArgumentError('must be a sha256: 64 hexadecimal digits');
  return value.toLowerCase();
}
