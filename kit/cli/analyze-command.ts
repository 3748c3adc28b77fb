import type { Command } from 'commander';
import type { Finding } from '../../collectors/diagnosis/engine.js';
import type { AnalyzedPaths } from '../../collectors/offline/analyze-paths.js';
import { EXIT } from '../exit-codes.js';
import { action, examples, interrupt, printErr, printJson, printOut } from './common.js';

// The analysis (archive readers, the diagnosis engine, the tables) loads when
// `analyze` runs, not at every `collect` start; one object, handed to the
// printers below.
async function analysis() {
  const [json, engine, paths, findings, tables] = await Promise.all([
    import('../../collectors/analyze-json.js'),
    import('../../collectors/diagnosis/engine.js'),
    import('../../collectors/offline/analyze-paths.js'),
    import('./format-findings.js'),
    import('./format-snapshot.js'),
  ]);
  return {
    hostView: json.hostView,
    deltaView: json.deltaView,
    checkedCounters: engine.checkedCounters,
    analyzePaths: paths.analyzePaths,
    formatFindings: findings.formatFindings,
    formatDelta: tables.formatDelta,
    formatSnapshot: tables.formatSnapshot,
  };
}
type Analysis = Awaited<ReturnType<typeof analysis>>;

// `collect analyze`: offline, one capture (since boot) or two (deltas).
export function registerAnalyze(program: Command): void {
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
    .action(action(runAnalyze));
}

async function runAnalyze(
  path: string,
  after: string | undefined,
  opts: { json?: boolean },
): Promise<number> {
  const m = await analysis();
  // Ctrl-C stops a long archive read at once; nothing is on disk to clean.
  const read = await m.analyzePaths(path, after, {
    signal: interrupt.signal,
    warn: (line: string) => printErr(`warning: ${line}\n`),
  });
  return read.deltas ? printDeltas(m, read, !!opts.json) : printSinceBoot(m, read, !!opts.json);
}

// One capture: counters since boot.
function printSinceBoot(m: Analysis, read: AnalyzedPaths, json: boolean): number {
  const { checkedCounters, formatFindings, formatSnapshot, hostView } = m;
  const { hosts, findings } = read;
  if (json)
    printJson({
      schema: 'dropkit.analyze/1',
      hosts: hosts.map(hostView),
      findings: findings.map(findingView),
    });
  else
    printOut(
      `${hosts.map(formatSnapshot).join('\n')}${formatFindings(
        findings,
        read.inputs.flatMap((i) => checkedCounters(i)),
      )}`,
    );
  return EXIT.OK;
}

// findings[] of the analyze JSON: what the summary of a bundle says first.
function findingView(f: Finding) {
  return {
    class: f.class,
    severity: f.severity,
    confidence: f.confidence,
    host: f.host,
    ...(f.iface ? { iface: f.iface } : {}),
    ...(f.cpus ? { cpus: f.cpus } : {}),
    packets: f.packets,
    sinceBoot: f.sinceBoot,
    title: f.title,
    explanation: f.explanation,
    evidence: f.evidence,
    mitigation: f.mitigation,
  };
}

function printDeltas(m: Analysis, read: AnalyzedPaths, json: boolean): number {
  const { checkedCounters, deltaView, formatDelta, formatFindings, hostView } = m;
  const { inputs, findings } = read;
  const deltas = inputs.flatMap((i) => (i.delta ? [i.delta] : []));
  if (json) {
    printJson({
      schema: 'dropkit.analyze/1',
      hosts: read.hosts.map(hostView),
      deltas: deltas.map(deltaView),
      findings: findings.map(findingView),
    });
  } else
    printOut(
      `${deltas.map(formatDelta).join('\n')}${formatFindings(
        findings,
        inputs.flatMap((i) => checkedCounters(i)),
      )}`,
    );
  return EXIT.OK;
}
