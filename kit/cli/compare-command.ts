import { type Command, InvalidArgumentError } from 'commander';
import type { CompareRecord } from '../../repro/compare/record.js';
import type { Plan } from '../../repro/mitigations/plan.js';
import type { Variant } from '../../repro/mitigations/types.js';
import { parseVariant } from '../../repro/mitigations/variant-spec.js';
import { DropkitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { action, examples, type GlobalOptions, positiveInt } from './common.js';
import { formatCompare } from './format-compare.js';
import { formatPlan } from './format-plan.js';
import { printInfo, printJson } from './print.js';
import { reportBundle } from './print-bundle.js';
import {
  addReproOptions,
  checkReproOpts,
  profileFor,
  type ReproOpts,
  runOptions,
} from './repro-options.js';
import { shareRequest } from './share-identity.js';

interface CompareOpts extends ReproOpts {
  variant: Variant[];
  repeat: number;
  order: 'interleaved' | 'blocked';
  dryRun?: boolean;
}

function variantOption(value: string, previous: Variant[]): Variant[] {
  const p = parseVariant(value);
  if ('error' in p) throw new InvalidArgumentError(p.error);
  if (previous.some((v) => v.name === p.variant.name))
    throw new InvalidArgumentError(`variant "${p.variant.name}" is given twice`);
  return [...previous, p.variant];
}

function orderOption(value: string): 'interleaved' | 'blocked' {
  if (value !== 'interleaved' && value !== 'blocked')
    throw new InvalidArgumentError('must be interleaved or blocked');
  return value;
}

// `repro compare`: the same reproduction once per variant, mitigations
// applied and always restored, one bundle with the comparison on top.
export function registerCompare(program: Command): void {
  addReproOptions(program.command('compare'))
    .description(
      'run the same reproduction as a baseline and with mitigations applied (and restored), and compare',
    )
    .option(
      '--variant <spec>',
      'baseline, or mitigations joined by +: backlog[=N], ring[=N], rps, rmem[=N], budget[=N], each on B (the receiver) unless @A or @both (repeatable)',
      variantOption,
      [],
    )
    .option('--repeat <n>', 'runs of each variant', positiveInt, 1)
    .option(
      '--order <order>',
      'interleaved (baseline, ring, baseline, ring…) or blocked',
      orderOption,
      'interleaved',
    )
    .option('--dry-run', 'print what would change on each host, change nothing')
    .addHelpText(
      'after',
      `\nEvery setting changed is recorded before the first change, here and on the host (/run/dropkit/restore/, 0700), restored and read back after each run, and restored by the host itself if the connection is lost; \`repro restore\` finishes a restore that could not be verified.\n${examples(
        [
          'repro lab up && repro lab impair --backlog 10 --rps-to-cpu 1',
          'repro compare --pair vmA vmB --variant baseline --variant backlog',
          'repro compare --pair vmA vmB --variant baseline --variant ring --variant ring+backlog --repeat 3',
          'repro compare --pair azureuser@10.0.0.4 azureuser@10.0.0.5 --variant baseline --variant backlog=65536@both --dry-run',
        ],
      )}`,
    )
    .action(action(runCompareCommand));
}

async function runCompareCommand(o: CompareOpts, cmd: Command): Promise<number> {
  checkReproOpts(o, cmd);
  if (o.variant.length < 1)
    cmd.error('error: give at least one --variant, e.g. --variant baseline --variant backlog', {
      exitCode: 2,
    });
  const profile = await profileFor(o);
  const g = cmd.optsWithGlobals() as GlobalOptions;
  const [{ runCompare }, { compareBundleParts }, { writeParts }, { withSharedIdentity, runHints }] =
    await Promise.all([
      import('../../repro/compare/compare.js'),
      import('../../bundles/compare-bundle.js'),
      import('../../bundles/write-parts.js'),
      import('../../bundles/identity-share.js'),
    ]);
  let plan: Plan | undefined;
  const cr = await runCompare({
    ...runOptions(o, profile, g),
    variants: o.variant,
    repeat: o.repeat,
    order: o.order,
    ...(o.dryRun ? { dryRun: true } : {}),
    onPlan: (p) => {
      plan = p;
      if (!o.json) printInfo(formatPlan(p, o.dryRun));
    },
  });
  if (o.dryRun && plan && !cr.error) {
    if (o.json) printJson({ ok: true, dryRun: true, variants: cr.variants });
    return EXIT.OK;
  }
  if (!cr.runs.some((r) => r.rec.hosts.some((h) => h.before))) throw nothingCaptured(cr);
  const createdAt = new Date();
  const command = ['repro', ...process.argv.slice(2)];
  const meta = {
    ...(o.case ? { caseId: o.case } : {}),
    ...(o.note ? { note: o.note } : {}),
    createdAt,
    command,
    redacted: o.redact,
    kept: o.keep,
  };
  // The hosts are the same in every run: the first run's roles and data
  // interfaces name them.
  const first = cr.runs.find((r) => r.rec.hosts.some((h) => h.before));
  const { parts, identity } = await withSharedIdentity(
    (shared) => compareBundleParts(cr, { ...meta, ...(shared ? { shared } : {}) }),
    shareRequest(o, first ? runHints(first.rec) : []),
  );
  const outcome = await writeParts(
    'compare',
    parts,
    {
      ...meta,
      outDir: o.out,
      redact: o.redact,
      keywords: o.redactKeyword,
      keep: o.keep,
      ...(identity ? { identity } : {}),
    },
    cr,
  );
  const code = reportBundle(outcome, !!o.json, {
    json: { compare: parts.json },
    ...(cr.error ? { error: cr.error } : {}),
    text: formatCompare(parts.table, parts.json),
  });
  // A host left changed outranks a partial bundle: it needs the operator now.
  const unrestored = cr.restore.some((r) => r.status === 'pending' || r.status === 'failed');
  return unrestored && code !== EXIT.INTERRUPTED ? EXIT.RESTORE : code;
}

function nothingCaptured(cr: CompareRecord): DropkitError {
  return (
    cr.error ??
    new DropkitError({
      code: 'INTERNAL',
      message: 'the comparison captured nothing',
      step: 'compare',
    })
  );
}
