import type { Command } from 'commander';
import type { ReproParts } from '../../bundles/repro-bundle.js';
import type { BundleOutcome } from '../../bundles/write-parts.js';
import type { Finding } from '../../collectors/diagnosis/engine.js';
import type { RunRecord } from '../../repro/run/run.js';
import { DropkitError } from '../errors.js';
import { action, debugLogger, examples, type GlobalOptions } from './common.js';
import { reportBundle } from './print-bundle.js';
import {
  addReproOptions,
  checkReproOpts,
  profileFor,
  type ReproOpts,
  runOptions,
} from './repro-options.js';
import { shareRequest } from './share-identity.js';

interface RunOpts extends ReproOpts {
  reverse?: boolean;
  label?: string;
  pod?: boolean;
}

// `repro run`: traffic between the pair, counters sampled on both, one bundle.
export function registerRun(program: Command): void {
  addReproOptions(program.command('run'))
    .description(
      'reproduce packet loss between two hosts with iperf3, sampling counters on both, and bundle the evidence',
    )
    .option('--reverse', 'swap the roles: B sends, A receives')
    .option('--label <text>', 'a label for this run, shown in the summary')
    .option(
      '--pod',
      "run iperf3 in a pod on each host: the first named network namespace behind one of the host's veths (a Kubernetes node's pod; the lab's with `repro lab up --pods N`); needs root or passwordless sudo",
    )
    .addHelpText(
      'after',
      examples([
        'repro lab up && repro lab impair --backlog 10 --rps-to-cpu 1',
        'repro run --pair vmA vmB --profile microburst',
        'repro run --pair azureuser@10.0.0.4 azureuser@10.0.0.5 --case 2611270040001234 --duration 30',
        'repro run --pair vmA vmB --profile ./my-profile.yaml --json',
        'repro lab up --pods 100 && repro run --pair vmA vmB --pod',
      ]),
    )
    .action(action(runRun));
}

async function runRun(o: RunOpts, cmd: Command): Promise<number> {
  checkReproOpts(o, cmd);
  if (o.pod && o.serverAddress)
    throw new DropkitError({
      code: 'USAGE',
      message: '--pod and --server-address exclude each other: with --pod the server is the pod',
      step: 'options',
    });
  const profile = await profileFor(o);
  const g = cmd.optsWithGlobals() as GlobalOptions;
  // The run, the bundle writer and their dependencies load here, not at
  // every `repro` start (doctor, lab, --help).
  const [
    { runRepro },
    { reproBundleParts },
    { writeParts },
    { withSharedIdentity, runHints },
    { formatFindingLine },
  ] = await Promise.all([
    import('../../repro/run/run.js'),
    import('../../bundles/repro-bundle.js'),
    import('../../bundles/write-parts.js'),
    import('../../bundles/identity-share.js'),
    import('./format-findings.js'),
  ]);
  const rec = await runRepro({ ...runOptions(o, profile, g, !!o.reverse), pod: !!o.pod });
  // Nothing captured (no connection, failed preflight): nothing to bundle.
  if (!rec.hosts.some((h) => h.before))
    throw (
      rec.error ??
      new DropkitError({ code: 'INTERNAL', message: 'the run captured nothing', step: 'run' })
    );
  const createdAt = new Date();
  const command = ['repro', ...process.argv.slice(2)];
  const debug = debugLogger(g);
  const t0 = performance.now();
  const { parts, identity } = await withSharedIdentity(
    (shared) =>
      reproBundleParts(rec, {
        ...(o.case ? { caseId: o.case } : {}),
        ...(o.note ? { note: o.note } : {}),
        ...(o.label ? { label: o.label } : {}),
        createdAt,
        command,
        redacted: o.redact,
        kept: o.keep,
        ...(shared ? { shared } : {}),
      }),
    shareRequest(o, runHints(rec)),
  );
  debug?.(`bundle: findings, series and summary in ${(performance.now() - t0).toFixed(1)} ms`);
  const outcome = await writeParts(
    'repro',
    parts,
    {
      ...(o.case ? { caseId: o.case } : {}),
      ...(debug ? { debug } : {}),
      command,
      outDir: o.out,
      redact: o.redact,
      keywords: o.redactKeyword,
      keep: o.keep,
      createdAt,
      ...(identity ? { identity } : {}),
    },
    rec,
  );
  return reportRun(rec, parts, outcome, !!o.json, formatFindingLine);
}

// The bundle as written, plus what the run found and how it ended.
function reportRun(
  rec: RunRecord,
  parts: ReproParts,
  outcome: BundleOutcome,
  json: boolean,
  // format-findings.ts, loaded with the run (the diagnosis engine is not
  // needed at every `repro` start).
  findingLine: (f: Finding) => string,
): number {
  return reportBundle(outcome, json, {
    json: {
      findings: parts.summary.findings.map((f) => ({
        class: f.class,
        severity: f.severity,
        host: f.host,
        line: f.line,
      })),
      repro: parts.summary.repro,
      sampler: parts.stats,
      error: rec.error?.toJSON() ?? null,
    },
    ...(rec.error ? { error: rec.error } : {}),
    text: parts.findings.length
      ? `${parts.findings.map(findingLine).join('\n')}\n`
      : 'no finding: no loss counter moved\n',
  });
}
