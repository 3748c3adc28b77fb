import { setTimeout as sleep } from 'node:timers/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { checkCaseId } from '../../bundles/case-secret.js';
import type { NodeCapture } from '../../bundles/node-bundle.js';
import { takeSnapshot } from '../../collectors/snapshot/take.js';
import { TraceSession } from '../../repro/run/trace-session.js';
import type { TraceStream } from '../../repro/trace/parse.js';
import { asDropkitError, DropkitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { terminalField as field, terminalText } from '../terminal-text.js';
import { RUN_ID } from '../transport/command-line.js';
import { openAll } from '../transport/open.js';
import type { Transport } from '../transport/types.js';
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
import { printWritten } from './print-bundle.js';

// Drop reasons for a while before the snapshot: the cause of drops happening
// now, where counters alone only say "since boot". Each host gets its own
// instance name: on one kernel (containers, the lab) tracefs is shared.
async function traceFor(
  t: Transport,
  seconds: number,
  index: number,
  log: (l: string) => void,
): Promise<TraceStream | undefined> {
  const s = new TraceSession(t, {
    runId: `${RUN_ID}-${index}`,
    intervalMs: 1000,
    maxSeconds: seconds + 10,
    signal: interrupt.signal,
  });
  log(`${t.info.name}: tracing drop reasons for ${seconds} s`);
  const started = performance.now();
  s.start();
  // The full time, unless Ctrl-C comes first (or came already), or the
  // tracer ends on its own (no tracefs, sudo refused): then no need to wait.
  const waited = new AbortController();
  await Promise.race([
    sleep(seconds * 1000, undefined, {
      signal: AbortSignal.any([interrupt.signal, waited.signal]),
    }).catch(() => undefined),
    s.ended,
  ]);
  waited.abort(); // no timer left to hold the process
  if (interrupt.signal.aborted)
    log(
      `${t.info.name}: interrupted: drop tracing stopped after ${((performance.now() - started) / 1000).toFixed(1)} s of ${seconds}`,
    );
  const end = await s.stop();
  if (s.stream.unavailable || end instanceof Error) {
    log(`${t.info.name}: drop tracing skipped: ${s.stream.unavailable ?? (end as Error).message}`);
    return s.stream.unavailable ? s.stream : undefined;
  }
  return s.stream;
}

export function registerBundle(program: Command): void {
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
      action(
        async (
          opts: {
            node: string[];
            local?: boolean;
            out: string;
            case?: string;
            note?: string;
            redact: boolean;
            redactKeyword: string[];
            traceDrops?: number;
            json?: boolean;
          },
          cmd: Command,
        ) => {
          const specs = [...(opts.local ? ['local'] : []), ...opts.node];
          if (!specs.length)
            cmd.error('error: give --node HOST (repeatable) or --local', { exitCode: 2 });
          if (opts.case) checkCaseId(opts.case);
          const g = cmd.optsWithGlobals() as GlobalOptions;
          // The writer (archiver, redaction) loads while the hosts are
          // snapshotted: deferred a turn of the event loop so that compiling
          // it does not hold back the snapshot's exec.
          const modules = new Promise<void>((r) => setImmediate(r)).then(() =>
            Promise.all([
              import('../../bundles/node-bundle.js'),
              import('../../bundles/write-bundle.js'),
            ]),
          );
          const logs: string[] = [];
          const log = (l: string) => {
            logs.push(`${new Date().toISOString()} ${l}`);
            // Lines carry host names and host errors: one field each.
            if (!opts.json) printErr(`${field(l)}\n`);
          };
          const debug = debugLogger(g);
          debug?.(`bundle: started ${performance.now().toFixed(0)} ms after launch`);
          // Hosts in parallel, each over its own connection.
          const opened = await openAll(specs, openOptions(g));
          const captures: NodeCapture[] = await Promise.all(
            opened.map(async (o, index): Promise<NodeCapture> => {
              if ('error' in o) {
                const e = asDropkitError(o.error, {
                  code: 'CONNECT_FAILED',
                  host: o.spec,
                  step: 'connect',
                });
                log(`${o.spec}: FAILED: ${e.oneLine}`);
                return { spec: o.spec, error: e.oneLine };
              }
              try {
                const trace = opts.traceDrops
                  ? await traceFor(o.transport, opts.traceDrops, index, log)
                  : undefined;
                // Ctrl-C during the trace only cuts the trace short: the
                // snapshot (a fraction of a second) is still taken whole,
                // so the bundle keeps both. A second Ctrl-C exits at once.
                const interruptedTrace = !!opts.traceDrops && interrupt.signal.aborted;
                const taken = await takeSnapshot(
                  o.transport,
                  interruptedTrace ? {} : { signal: interrupt.signal },
                );
                const failed = taken.snapshot.sources.filter((s) => !s.ok).length;
                log(
                  `${o.spec}: snapshot ${taken.raw.length} sources in ${taken.snapshot.durationMs} ms${failed ? `, ${failed} not collected` : ''}`,
                );
                return {
                  spec: o.spec,
                  user: o.transport.info.user,
                  taken,
                  ...(trace ? { trace } : {}),
                };
              } catch (e) {
                const err = asDropkitError(e, {
                  code: 'COMMAND_FAILED',
                  host: o.spec,
                  step: 'snapshot',
                });
                log(`${o.spec}: FAILED: ${err.oneLine}`);
                return { spec: o.spec, error: err.oneLine };
              } finally {
                await o.transport.close();
              }
            }),
          );
          if (captures.every((c) => !c.taken)) {
            throw new DropkitError({
              // Exit 5 only when no host could be reached at all.
              code: opened.every((o) => 'error' in o) ? 'CONNECT_FAILED' : 'COMMAND_FAILED',
              message: `no host could be collected: ${captures.map((c) => c.error).join('; ')}`,
              step: 'bundle',
              hint: 'run `collect doctor` on the hosts',
            });
          }
          const [{ nodeBundleParts }, { writeBundle }] = await modules;
          const createdAt = new Date();
          if (!opts.redact)
            log(
              'WARNING: redaction is off: this bundle contains real addresses, names and any secrets the host printed',
            );
          const partsAt = performance.now();
          const parts = nodeBundleParts(captures, {
            ...(opts.case ? { caseId: opts.case } : {}),
            ...(opts.note ? { note: opts.note } : {}),
            createdAt,
            logs,
            redacted: opts.redact,
          });
          debug?.(`bundle: findings and summary in ${(performance.now() - partsAt).toFixed(1)} ms`);
          const written = await writeBundle({
            kind: 'node',
            status: parts.summary.status,
            ...(opts.case ? { caseId: opts.case } : {}),
            ...(opts.note ? { note: opts.note } : {}),
            command: ['collect', ...process.argv.slice(2)],
            outDir: opts.out,
            redact: opts.redact,
            keywords: opts.redactKeyword,
            hosts: parts.hosts,
            files: parts.files,
            createdAt,
            ...(debug ? { debug } : {}),
          });
          printWritten(written, !!opts.json);
          return written.manifest.status === 'partial' ? EXIT.PARTIAL : EXIT.OK;
        },
      ),
    );

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
