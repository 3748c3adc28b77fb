import type { Command } from 'commander';
import { checkCaseId } from '../../bundles/case-secret.js';
import type { ReproParts } from '../../bundles/repro-bundle.js';
import type { BundleOutcome } from '../../bundles/write-parts.js';
import { type Caps, loadProfile, ProfileError } from '../../repro/profile.js';
import type { RunRecord } from '../../repro/run/run.js';
import { parseRate } from '../../repro/units.js';
import { DropkitError } from '../errors.js';
import { createProgress } from '../progress.js';
import { openTransport } from '../transport/open.js';
import {
  action,
  collect,
  examples,
  type GlobalOptions,
  interrupt,
  openOptions,
  positiveInt,
  tcpPort,
} from './common.js';
import { formatFindingLine } from './format-findings.js';
import { reportBundle } from './print-bundle.js';

interface RunOpts {
  pair: string[];
  profile: string;
  duration?: number;
  serverAddress?: string;
  port?: number;
  reverse?: boolean;
  label?: string;
  case?: string;
  note?: string;
  out: string;
  sampleInterval: number;
  maxDuration?: number;
  maxRate?: string;
  redact: boolean;
  redactKeyword: string[];
  json?: boolean;
}

// `repro run`: traffic between the pair, counters sampled on both, one bundle.
export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'reproduce packet loss between two hosts with iperf3, sampling counters on both, and bundle the evidence',
    )
    .requiredOption('--pair <hosts...>', 'A B: A sends (iperf3 client), B receives (iperf3 server)')
    .option(
      '--profile <name|file>',
      'built-in profile (see `repro profiles`) or a YAML file',
      'microburst',
    )
    .option('--duration <s>', 'seconds of traffic per phase (overrides the profile)', positiveInt)
    .option('--server-address <addr>', "B's data-plane address (default: the one A routes to)")
    .option('--port <n>', 'iperf3 port on B (default: the first free one from 5201)', tcpPort)
    .option('--reverse', 'swap the roles: B sends, A receives')
    .option('--label <text>', 'a label for this run, shown in the summary')
    .option('--case <id>', 'support case ID: names the bundle and keys the pseudonyms')
    .option('--note <text>', 'a note for the support engineer')
    .option('--out <dir>', 'where to write the bundle', '.')
    .option('--sample-interval <ms>', 'sampler interval on both hosts', positiveInt, 100)
    .option(
      '--max-duration <s>',
      'raise the safety cap on total traffic time (default 300)',
      positiveInt,
    )
    .option(
      '--max-rate <rate>',
      'raise the safety cap on aggregate bitrate per phase (default 25G)',
    )
    .option('--no-redact', 'do NOT redact addresses, names and secrets')
    .option('--redact-keyword <word>', 'also redact this word everywhere (repeatable)', collect, [])
    .option('--json', 'print the result as JSON; no live progress')
    .addHelpText(
      'after',
      examples([
        'repro lab up && repro lab impair --backlog 10 --rps-to-cpu 1',
        'repro run --pair vmA vmB --profile microburst',
        'repro run --pair azureuser@10.0.0.4 azureuser@10.0.0.5 --case 2611270040001234 --duration 30',
        'repro run --pair vmA vmB --profile ./my-profile.yaml --json',
      ]),
    )
    .action(action(runRun));
}

async function runRun(o: RunOpts, cmd: Command): Promise<number> {
  if (o.pair.length !== 2)
    cmd.error('error: --pair takes exactly two hosts: the sender and the receiver', {
      exitCode: 2,
    });
  if (o.case) checkCaseId(o.case);
  if (o.sampleInterval < 20)
    cmd.error('error: --sample-interval must be at least 20 ms', { exitCode: 2 });
  const profile = await profileFor(o);
  const g = cmd.optsWithGlobals() as GlobalOptions;
  const progress = createProgress(o.json ? 'quiet' : process.stderr.isTTY ? 'tty' : 'plain');
  // The run, the bundle writer and their dependencies load here, not at
  // every `repro` start (doctor, lab, --help).
  const [{ runRepro }, { reproBundleParts }, { writeParts }] = await Promise.all([
    import('../../repro/run/run.js'),
    import('../../bundles/repro-bundle.js'),
    import('../../bundles/write-parts.js'),
  ]);
  const opening = openOptions(g);
  const rec = await runRepro({
    pair: [o.pair[0]!, o.pair[1]!],
    reverse: !!o.reverse,
    profile,
    ...(o.serverAddress ? { serverAddress: o.serverAddress } : {}),
    ...(o.port !== undefined ? { port: o.port } : {}),
    sampleIntervalMs: o.sampleInterval,
    open: (spec) => openTransport(spec, opening),
    signal: interrupt.signal,
    progress,
  });
  // Nothing captured (no connection, failed preflight): nothing to bundle.
  if (!rec.hosts.some((h) => h.before))
    throw (
      rec.error ??
      new DropkitError({ code: 'INTERNAL', message: 'the run captured nothing', step: 'run' })
    );
  const createdAt = new Date();
  const command = ['repro', ...process.argv.slice(2)];
  const parts = reproBundleParts(rec, {
    ...(o.case ? { caseId: o.case } : {}),
    ...(o.note ? { note: o.note } : {}),
    ...(o.label ? { label: o.label } : {}),
    createdAt,
    command,
    redacted: o.redact,
  });
  const outcome = await writeParts(
    'repro',
    parts,
    {
      ...(o.case ? { caseId: o.case } : {}),
      command,
      outDir: o.out,
      redact: o.redact,
      keywords: o.redactKeyword,
      createdAt,
    },
    rec,
  );
  return reportRun(rec, parts, outcome, !!o.json);
}

// The bundle as written, plus what the run found and how it ended.
function reportRun(
  rec: RunRecord,
  parts: ReproParts,
  outcome: BundleOutcome,
  json: boolean,
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
      ? `${parts.findings.map(formatFindingLine).join('\n')}\n`
      : 'no finding: no loss counter moved\n',
  });
}

async function profileFor(o: RunOpts) {
  const caps: Partial<Caps> = {};
  if (o.maxDuration !== undefined) caps.maxTotalDurationS = o.maxDuration;
  if (o.maxRate !== undefined) {
    const r = parseRate(o.maxRate);
    if (r === undefined)
      throw new DropkitError({
        code: 'USAGE',
        message: `--max-rate ${o.maxRate} is not a rate`,
        step: 'profile',
        hint: 'e.g. --max-rate 40G',
      });
    caps.maxAggregateBitsPerSecond = r;
  }
  try {
    // --duration applies before the caps are checked: it may shorten a
    // profile that is over them.
    return await loadProfile(o.profile, {
      caps,
      ...(o.duration !== undefined ? { overrides: { duration: o.duration } } : {}),
    });
  } catch (e) {
    if (e instanceof ProfileError) {
      throw new DropkitError({
        code: 'USAGE',
        message: e.message,
        step: 'profile',
        ...(e.hint ? { hint: e.hint } : {}),
        cause: e,
      });
    }
    throw e;
  }
}
