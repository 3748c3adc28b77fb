import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
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
  positiveNumber,
  printErr,
  printJson,
  printOut,
} from './common.js';

interface ScanOpts {
  node: string[];
  nodesFile?: string;
  inventory?: string;
  sshConfigHosts?: string;
  interval: number;
  parallel: number;
  json?: boolean;
  bundle?: boolean;
  out: string;
  case?: string;
  note?: string;
  redact: boolean;
  redactKeyword: string[];
}

// `collect scan`: which nodes of a fleet drop, and where. Two light snapshots
// per node, ranked by drop rate per class.
export function registerScan(program: Command): void {
  program
    .command('scan')
    .description(
      'find the nodes of a fleet that drop packets: two light snapshots per node, ranked by drop rate per class',
    )
    .option('--node <host>', '[user@]host[:port] or ssh config alias (repeatable)', collect, [])
    .option('--nodes-file <file>', 'one host per line ([user@]host[:port] or alias; # comments)')
    .option(
      '--inventory <file>',
      'an Ansible inventory, INI or YAML (ansible_host, ansible_user, ansible_port, key file and ssh args are honoured)',
    )
    .option(
      '--ssh-config-hosts <pattern>',
      'the concrete Host entries of the ssh config matching this pattern (e.g. "web-*")',
    )
    .option('--interval <seconds>', 'time between the two snapshots of a node', positiveNumber, 10)
    .option(
      '--parallel <n>',
      'nodes connecting or collecting at once (SSH handshakes in flight)',
      positiveInt,
      16,
    )
    .option('--json', 'print the ranking as JSON (docs/scan-json.md)')
    .option(
      '--bundle',
      "also write one fleet bundle: every node's snapshots, redacted with one case key, and the ranking",
    )
    .option('--out <dir>', 'where to write the bundle', '.')
    .option('--case <id>', 'support case ID: names the bundle and keys the pseudonyms')
    .option('--note <text>', 'a note for the support engineer, shown in the summary')
    .option('--no-redact', 'do NOT redact the bundle (it then must not leave your organisation)')
    .option('--redact-keyword <word>', 'also redact this word everywhere (repeatable)', collect, [])
    .addHelpText(
      'after',
      examples([
        'collect scan --inventory ~/ansible/hosts.ini',
        'collect scan --nodes-file nodes.txt --interval 30 --parallel 32',
        'collect scan --ssh-config-hosts "aks-*" --json',
        'collect scan --node vmA --node vmB --bundle --case 2611270040001234',
      ]),
    )
    .action(action(runScan));
}

// The exit code of a scan: every node scanned, some, or none.
function scanExit(
  failed: number,
  total: number,
  connectionOnly: boolean,
  interrupted: boolean,
): number {
  if (interrupted) return EXIT.INTERRUPTED;
  if (failed === 0) return EXIT.OK;
  if (failed < total) return EXIT.PARTIAL;
  return connectionOnly ? EXIT.CONNECTION : EXIT.ERROR;
}

async function runScan(opts: ScanOpts, cmd: Command): Promise<number> {
  if (!opts.node.length && !opts.nodesFile && !opts.inventory && !opts.sshConfigHosts)
    cmd.error(
      'error: give --node HOST, --nodes-file FILE, --inventory FILE or --ssh-config-hosts PATTERN',
      {
        exitCode: 2,
      },
    );
  const [
    { scanTargets },
    { scanFleet },
    { rankNodes },
    { formatScan },
    { scanJson },
    { createFleetOpener },
    { createProgress, progressMode },
    { exitCodeFor },
  ] = await Promise.all([
    import('../../collectors/scan/targets.js'),
    import('../../collectors/scan/scan.js'),
    import('../../collectors/scan/rank.js'),
    import('./format-scan.js'),
    import('../../collectors/scan/scan-json.js'),
    import('../transport/fleet-opener.js'),
    import('../progress.js'),
    import('../exit-codes.js'),
  ]);
  if (opts.case) (await import('../../bundles/case-secret.js')).checkCaseId(opts.case);
  const g = cmd.optsWithGlobals() as GlobalOptions;
  const opening = openOptions(g);
  const sources = await scanTargets({
    nodes: opts.node,
    ...(opts.nodesFile ? { nodesFile: opts.nodesFile } : {}),
    ...(opts.inventory ? { inventory: opts.inventory } : {}),
    ...(opts.sshConfigHosts ? { sshConfigHosts: opts.sshConfigHosts } : {}),
    sshConfig: opening.sshConfig ?? [],
  });
  const opener = createFleetOpener({
    ...opening,
    // The inventory's settings first, as Ansible's command-line options are.
    sshConfig: [...(sources.configFile ? [sources.configFile] : []), ...(opening.sshConfig ?? [])],
    parallel: opts.parallel,
  });
  try {
    for (const w of sources.warnings) printErr(`warning: ${field(w)}\n`);
    const startedAt = new Date();
    const mode = progressMode(!!opts.json, !!g.quiet);
    const scans = await scanFleet(
      {
        targets: sources.targets,
        open: opener.open,
        parallel: opts.parallel,
        intervalMs: opts.interval * 1000,
        connectTimeoutMs: opening.connectTimeoutMs ?? 10_000,
        signal: interrupt.signal,
        progress: createProgress(mode),
      },
      mode === 'plain',
    );
    const ranking = rankNodes(scans);
    const failed = scans.filter((s) => s.error);
    const meta = {
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(Date.now() - startedAt.getTime()),
      intervalS: opts.interval,
      parallel: opts.parallel,
      handshakes: opener.stats(),
      interrupted: interrupt.signal.aborted,
    };
    let bundle: string | undefined;
    let bundleExit: number = EXIT.OK;
    if (opts.bundle && scans.some((s) => s.before)) {
      const { writeScanBundle } = await import('../../bundles/scan-bundle-write.js');
      const debug = debugLogger(g);
      const outcome = await writeScanBundle(scans, ranking, meta, {
        ...(opts.case ? { caseId: opts.case } : {}),
        ...(opts.note ? { note: opts.note } : {}),
        command: ['collect', ...process.argv.slice(2)],
        outDir: opts.out,
        redact: opts.redact,
        keywords: opts.redactKeyword,
        ...(debug ? { debug } : {}),
      });
      bundle = outcome.written.file;
      bundleExit = outcome.exitCode;
      if (!opts.json) {
        const w = outcome.written;
        printErr(`bundle: ${field(w.file)} (sha256 ${w.sha256})\n`);
        if (w.mapFile)
          printErr(
            `map:    ${field(w.mapFile)} (original ↔ pseudonym; keep it, do not attach it)\n`,
          );
      }
    }
    if (opts.json) printJson(scanJson(ranking, { ...meta, ...(bundle ? { bundle } : {}) }));
    else printOut(formatScan(ranking, opts.interval));
    const connectionOnly = failed.every((s) => exitCodeFor(s.error!.code) === EXIT.CONNECTION);
    const code = scanExit(failed.length, scans.length, connectionOnly, meta.interrupted);
    return code === EXIT.OK ? bundleExit : code;
  } finally {
    await opener.close();
    await sources.cleanup();
  }
}
