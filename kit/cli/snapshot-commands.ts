import type { Command } from 'commander';
import { deltaView, hostView } from '../../collectors/analyze-json.js';
import { toJson } from '../../collectors/json.js';
import { loadSnapshots } from '../../collectors/offline/load.js';
import { takeSnapshot } from '../../collectors/snapshot/take.js';
import { writeSnapshotDir } from '../../collectors/snapshot/write.js';
import { snapshotDelta } from '../../collectors/snapshot-delta.js';
import { DropkitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { openTransport } from '../transport/open.js';
import { action, examples, type GlobalOptions, interrupt, openOptions } from './common.js';
import { formatDelta, formatSnapshot } from './format-snapshot.js';

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
    .action(
      action(
        async (
          opts: { node?: string; local?: boolean; out?: string; json?: boolean },
          cmd: Command,
        ) => {
          if (!!opts.node === !!opts.local)
            cmd.error('error: give exactly one of --node HOST or --local', { exitCode: 2 });
          const t = await openTransport(
            opts.local ? 'local' : opts.node!,
            openOptions(cmd.optsWithGlobals() as GlobalOptions),
          );
          try {
            const taken = await takeSnapshot(t, { signal: interrupt.signal });
            if (opts.out) await writeSnapshotDir(opts.out, taken);
            if (opts.json)
              process.stdout.write(
                `${toJson({ schema: 'dropkit.analyze/1', hosts: [hostView(taken.snapshot)] })}\n`,
              );
            else process.stdout.write(formatSnapshot(taken.snapshot));
            return EXIT.OK;
          } finally {
            await t.close();
          }
        },
      ),
    );

  program
    .command('analyze')
    .description(
      'offline analysis of a snapshot, bundle or sos report; with two paths, the deltas between them',
    )
    .argument(
      '<path>',
      'a dropkit snapshot or bundle (directory or .tar.gz), or a sos report (directory or tarball)',
    )
    .argument('[after]', 'a later capture of the same host(s): print the deltas')
    .option('--json', 'print JSON (schema in docs/analyze-json.md)')
    .addHelpText(
      'after',
      examples([
        'collect analyze sosreport-node1-2026-11-27/',
        'collect analyze before/ after/',
        'collect analyze bundle.tar.gz --json',
      ]),
    )
    .action(
      action(async (path: string, after: string | undefined, opts: { json?: boolean }) => {
        const first = await loadSnapshots(path);
        if (!after) {
          if (opts.json)
            process.stdout.write(
              `${toJson({ schema: 'dropkit.analyze/1', hosts: first.map(hostView) })}\n`,
            );
          else process.stdout.write(first.map(formatSnapshot).join('\n'));
          return EXIT.OK;
        }
        const second = await loadSnapshots(after);
        const pairs = second.map((a) => {
          const b =
            first.find((x) => x.host === a.host) ??
            (first.length === 1 && second.length === 1 ? first[0] : undefined);
          if (!b)
            throw new DropkitError({
              code: 'USAGE',
              message: `host ${a.host} is in ${after} but not in ${path}`,
              step: 'analyze',
            });
          return snapshotDelta(b, a);
        });
        if (opts.json) {
          process.stdout.write(
            `${toJson({ schema: 'dropkit.analyze/1', hosts: second.map(hostView), deltas: pairs.map(deltaView) })}\n`,
          );
        } else process.stdout.write(pairs.map(formatDelta).join('\n'));
        return EXIT.OK;
      }),
    );
}
