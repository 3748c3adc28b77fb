import type { Command } from 'commander';
import type { Finding } from '../../collectors/diagnosis/engine.js';
import type { Snapshot } from '../../collectors/model.js';
import { DropkitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { action, examples, interrupt, printErr, printJson, printOut } from './common.js';

// The analysis (archive readers, the diagnosis engine, the tables) loads when
// `analyze` runs, not at every `collect` start; one object, handed to the
// printers below.
async function analysis() {
  const [json, engine, load, delta, findings, tables] = await Promise.all([
    import('../../collectors/analyze-json.js'),
    import('../../collectors/diagnosis/engine.js'),
    import('../../collectors/offline/load.js'),
    import('../../collectors/snapshot-delta.js'),
    import('./format-findings.js'),
    import('./format-snapshot.js'),
  ]);
  const { hostView, deltaView } = json;
  const { checkedCounters, diagnose, diagnoseAll } = engine;
  const { loadCapture, loadSnapshots } = load;
  const { snapshotDelta } = delta;
  const { formatFindings } = findings;
  const { formatDelta, formatSnapshot } = tables;
  return {
    hostView,
    deltaView,
    checkedCounters,
    diagnose,
    diagnoseAll,
    loadCapture,
    loadSnapshots,
    snapshotDelta,
    formatFindings,
    formatDelta,
    formatSnapshot,
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
  const { loadCapture, loadSnapshots } = m;
  // Ctrl-C stops a long archive read at once; nothing is on disk to clean.
  const load = {
    signal: interrupt.signal,
    warn: (line: string) => printErr(`warning: ${line}\n`),
  };
  const capture = await loadCapture(path, load);
  // A reproduction bundle carries its own "before": one path is enough.
  if (!after && capture.before)
    return printDeltas(m, capture.before, capture.after, path, path, !!opts.json);
  const first = capture.after;
  if (!after) return printSinceBoot(m, first, !!opts.json);
  return printDeltas(m, first, await loadSnapshots(after, load), path, after, !!opts.json);
}

// One capture: counters since boot.
function printSinceBoot(m: Analysis, first: Snapshot[], json: boolean): number {
  const { checkedCounters, diagnose, formatFindings, formatSnapshot, hostView } = m;
  const findings = first.flatMap((s) => diagnose({ after: s }));
  if (json)
    printJson({
      schema: 'dropkit.analyze/1',
      hosts: first.map(hostView),
      findings: findings.map(findingView),
    });
  else
    printOut(
      `${first.map(formatSnapshot).join('\n')}${formatFindings(
        findings,
        first.flatMap((s) => checkedCounters({ after: s })),
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

function printDeltas(
  m: Analysis,
  first: Snapshot[],
  second: Snapshot[],
  path: string,
  after: string,
  json: boolean,
): number {
  const { checkedCounters, deltaView, diagnoseAll, formatDelta, formatFindings, hostView } = m;
  const { snapshotDelta } = m;
  const inputs = second.map((a) => {
    const b =
      first.find((x) => x.host === a.host) ??
      (first.length === 1 && second.length === 1 ? first[0] : undefined);
    if (!b)
      throw new DropkitError({
        code: 'USAGE',
        message: `host ${a.host} is in ${after} but not in ${path}`,
        step: 'analyze',
      });
    const before = { ...b, host: a.host };
    return { before, after: a, delta: snapshotDelta(before, a) };
  });
  const findings = diagnoseAll(inputs);
  if (json) {
    printJson({
      schema: 'dropkit.analyze/1',
      hosts: second.map(hostView),
      deltas: inputs.map((i) => deltaView(i.delta)),
      findings: findings.map(findingView),
    });
  } else
    printOut(
      `${inputs.map((i) => formatDelta(i.delta)).join('\n')}${formatFindings(
        findings,
        inputs.flatMap((i) => checkedCounters(i)),
      )}`,
    );
  return EXIT.OK;
}
