import type { Command } from 'commander';
import { checkCaseId } from '../../bundles/case-secret.js';
import type { Category } from '../../bundles/redact/categories.js';
import { type Caps, loadProfile, ProfileError } from '../../repro/profile.js';
import type { Profile } from '../../repro/profile-types.js';
import type { RunOptions } from '../../repro/run/run.js';
import { parseRate } from '../../repro/units.js';
import { DropkitError } from '../errors.js';
import { createProgress, progressMode } from '../progress.js';
import { openTransport } from '../transport/open.js';
import {
  collect,
  type GlobalOptions,
  interrupt,
  openOptions,
  positiveInt,
  tcpPort,
} from './common.js';
import { KEEP_FLAGS, keepCategory, keepHelp } from './keep-option.js';
import { addShareOptions, checkShareOpts, type ShareOpts } from './share-identity.js';

// What `repro run` and `repro compare` share: the pair, the profile and its
// caps, the data path, and the bundle's options. One definition, so the two
// commands never drift apart.

export interface ReproOpts extends ShareOpts {
  pair: string[];
  profile: string;
  duration?: number;
  serverAddress?: string;
  port?: number;
  case?: string;
  note?: string;
  out: string;
  sampleInterval: number;
  maxDuration?: number;
  maxRate?: string;
  redact: boolean;
  redactKeyword: string[];
  keep: Category[];
  json?: boolean;
}

export function addReproOptions(c: Command): Command {
  c.requiredOption('--pair <hosts...>', 'A B: A sends (iperf3 client), B receives (iperf3 server)')
    .option(
      '--profile <name|file>',
      'built-in profile (see `repro profiles`) or a YAML file',
      'microburst',
    )
    .option('--duration <s>', 'seconds of traffic per phase (overrides the profile)', positiveInt)
    .option('--server-address <addr>', "B's data-plane address (default: the one A routes to)")
    .option('--port <n>', 'iperf3 port on B (default: the first free one from 5201)', tcpPort)
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
    .option(KEEP_FLAGS, keepHelp(), keepCategory, [] as Category[])
    .option('--json', 'print the result as JSON; no live progress');
  return addShareOptions(c);
}

// The checks commander cannot make: exactly two hosts, a valid case ID.
export function checkReproOpts(o: ReproOpts, cmd: Command): void {
  if (o.pair.length !== 2)
    cmd.error('error: --pair takes exactly two hosts: the sender and the receiver', {
      exitCode: 2,
    });
  if (o.case) checkCaseId(o.case);
  checkShareOpts(o, cmd);
  if (o.sampleInterval < 20)
    cmd.error('error: --sample-interval must be at least 20 ms', { exitCode: 2 });
}

// Each run of a comparison runs this same profile under these same caps.
export async function profileFor(o: ReproOpts): Promise<Profile> {
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

// A run's options from the command line: the same for each run of a comparison.
export function runOptions(
  o: ReproOpts,
  profile: Profile,
  g: GlobalOptions,
  reverse = false,
): RunOptions {
  const opening = openOptions(g);
  return {
    pair: [o.pair[0]!, o.pair[1]!],
    reverse,
    profile,
    ...(o.serverAddress ? { serverAddress: o.serverAddress } : {}),
    ...(o.port !== undefined ? { port: o.port } : {}),
    sampleIntervalMs: o.sampleInterval,
    open: (spec) => openTransport(spec, opening),
    signal: interrupt.signal,
    progress: createProgress(progressMode(!!o.json, !!g.quiet)),
  };
}
