import type { Command } from 'commander';
import { deltaView, hostView } from '../../collectors/analyze-json.js';
import {
  checkedCounters,
  diagnose,
  diagnoseAll,
  type Finding,
} from '../../collectors/diagnosis/engine.js';
import type { Snapshot } from '../../collectors/model.js';
import { loadCapture, loadSnapshots } from '../../collectors/offline/load.js';
import { snapshotDelta } from '../../collectors/snapshot-delta.js';
import { DropkitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { action, examples, interrupt, printErr, printJson, printOut } from './common.js';
import { formatFindings } from './format-findings.js';
import { formatDelta, formatSnapshot } from './format-snapshot.js';

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
  // Ctrl-C stops a long archive read at once; nothing is on disk to clean.
  const load = {
    signal: interrupt.signal,
    warn: (line: string) => printErr(`warning: ${line}\n`),
  };
  const capture = await loadCapture(path, load);
  // A reproduction bundle carries its own "before": one path is enough.
  if (!after && capture.before)
    return printDeltas(capture.before, capture.after, path, path, !!opts.json);
  const first = capture.after;
  if (!after) return printSinceBoot(first, !!opts.json);
  return printDeltas(first, await loadSnapshots(after, load), path, after, !!opts.json);
}

// One capture: counters since boot.
function printSinceBoot(first: Snapshot[], json: boolean): number {
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
  first: Snapshot[],
  second: Snapshot[],
  path: string,
  after: string,
  json: boolean,
): number {
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
