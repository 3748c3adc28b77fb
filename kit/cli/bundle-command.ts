import type { Command } from 'commander';
import type { Category } from '../../bundles/redact/categories.js';
import { terminalField as field } from '../terminal-text.js';
import {
  action,
  collect,
  debugLogger,
  examples,
  type GlobalOptions,
  interrupt,
  openOptions,
  positiveInt,
  printInfo,
} from './common.js';
import { KEEP_FLAGS, keepCategory, keepHelp } from './keep-option.js';
import { reportBundle } from './print-bundle.js';
import { addShareOptions, checkShareOpts, shareRequest } from './share-identity.js';

interface BundleOpts {
  node: string[];
  local?: boolean;
  out: string;
  case?: string;
  note?: string;
  redact: boolean;
  redactKeyword: string[];
  keep: Category[];
  traceDrops?: number;
  json?: boolean;
  shareIdentity?: boolean;
  yes?: boolean;
}

// `collect bundle`: snapshot hosts and pack the tarball for the vendor.
export function registerBundle(program: Command): void {
  const cmd = program
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
    .option(KEEP_FLAGS, keepHelp(), keepCategory, [] as Category[])
    .option(
      '--trace-drops <seconds>',
      'trace skb:kfree_skb drop reasons for this long first (root, tracefs)',
      positiveInt,
    )
    .option('--json', 'print the result as JSON');
  addShareOptions(cmd)
    .addHelpText(
      'after',
      examples([
        'collect bundle --node vmA --node vmB',
        'collect bundle --local --case 2611270040001234 --out /tmp',
        'collect bundle --node azureuser@10.0.0.4 --redact-keyword contoso',
        'collect bundle --node vmB --trace-drops 10',
        'collect bundle --node vmA --case 2611270040001234 --share-identity',
      ]),
    )
    .action(action(runBundle));
}

async function runBundle(opts: BundleOpts, cmd: Command): Promise<number> {
  const specs = [...(opts.local ? ['local'] : []), ...opts.node];
  if (!specs.length) cmd.error('error: give --node HOST (repeatable) or --local', { exitCode: 2 });
  // The collection code loads with this command, not at every `collect`
  // start (other commands, --help, --version).
  const [{ checkCaseId }, { collectNodeBundle }, { openTransport }] = await Promise.all([
    import('../../bundles/case-secret.js'),
    import('../../bundles/collect-node-bundle.js'),
    import('../transport/open.js'),
  ]);
  if (opts.case) checkCaseId(opts.case);
  checkShareOpts(opts, cmd);
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
    keep: opts.keep,
    ...(opts.shareIdentity ? { share: shareRequest(opts, [])! } : {}),
    // Lines carry host names and host errors: one field each.
    ...(opts.json ? {} : { onLog: (l: string) => printInfo(`${field(l)}\n`) }),
    ...(debug ? { debug } : {}),
  });
  return reportBundle(outcome, !!opts.json);
}
