import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import {
  action,
  examples,
  type GlobalOptions,
  interrupt,
  openOptions,
  printJson,
  printOut,
} from './common.js';

interface SnapshotOpts {
  node?: string;
  local?: boolean;
  out?: string;
  json?: boolean;
}

// `collect snapshot`: one live host's loss counters, now.
export function registerSnapshot(program: Command): void {
  program
    .command('snapshot')
    .description(
      "a quick look at one live host's loss counters: interfaces, driver counters, softnet per CPU",
    )
    .option('--node <host>', '[user@]host[:port] or ssh config alias')
    .option('--local', 'this machine')
    .option(
      '--out <dir>',
      'also write the snapshot (snapshot.json + raw/) to this directory, for `collect analyze`',
    )
    .option('--json', 'print the analyze-style JSON (docs/analyze-json.md)')
    .addHelpText(
      'after',
      examples([
        'collect snapshot --node vmA',
        'collect snapshot --local --json',
        'collect snapshot --node vmA --out before/',
      ]),
    )
    .action(action(runSnapshot));
}

async function runSnapshot(opts: SnapshotOpts, cmd: Command): Promise<number> {
  if (!!opts.node === !!opts.local)
    cmd.error('error: give exactly one of --node HOST or --local', { exitCode: 2 });
  // Loaded with this command only, not at every `collect` start.
  const [
    { hostView },
    { takeSnapshot },
    { writeSnapshotDir },
    { openTransport },
    { formatSnapshot },
  ] = await Promise.all([
    import('../../collectors/analyze-json.js'),
    import('../../collectors/snapshot/take.js'),
    import('../../collectors/snapshot/write.js'),
    import('../transport/open.js'),
    import('./format-snapshot.js'),
  ]);
  const t = await openTransport(
    opts.local ? 'local' : opts.node!,
    openOptions(cmd.optsWithGlobals() as GlobalOptions),
  );
  try {
    const taken = await takeSnapshot(t, { signal: interrupt.signal });
    if (opts.out) await writeSnapshotDir(opts.out, taken);
    if (opts.json) printJson({ schema: 'dropkit.analyze/1', hosts: [hostView(taken.snapshot)] });
    else printOut(formatSnapshot(taken.snapshot));
    return EXIT.OK;
  } finally {
    await t.close();
  }
}
