import type { Command } from 'commander';
import { Option } from 'commander';
import type { PlannedFixes } from '../../repro/mitigate/plan.js';
import { PLATFORMS, type Platform, type PlatformOutput } from '../../repro/persist/types.js';
import { DropkitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import {
  action,
  collect,
  examples,
  type GlobalOptions,
  interrupt,
  positiveInt,
  printErr,
  printInfo,
  printJson,
  printOut,
} from './common.js';
import { table } from './table.js';

export interface MitigateOptions {
  platform?: Platform;
  out?: string;
  ring?: number;
  json?: boolean;
  apply?: boolean;
  rollback?: boolean;
  node: string[];
  yes?: boolean;
}

// The platforms whose files a plain Linux host takes as they are.
const APPLICABLE: readonly Platform[] = ['linux', 'networkd'];

// `repro mitigate`: the fixes of an analysis, as the files that make them
// permanent on one platform, written here; or, with --apply, installed and
// applied on plain Linux hosts over SSH (a dry run unless --yes), with a
// rollback recorded on each host for --rollback.
export function registerMitigate(program: Command): void {
  program
    .command('mitigate')
    .description(
      'write the files that make the fixes of a bundle or snapshot permanent, for one platform; --apply installs them on hosts',
    )
    .argument('[path]', 'a bundle, snapshot directory or sos report, as collect analyze takes')
    .argument('[after]', 'a later capture of the same host(s): fix what rose between the two')
    .addOption(new Option('--platform <name>', 'where the fix must live').choices(PLATFORMS))
    .option(
      '--out <dir>',
      'a new or empty directory for the files (default: ./dropkit-mitigate-PLATFORM)',
    )
    .option('--ring <n>', 'RX ring size to keep (default: the preset maximum)', positiveInt)
    .option(
      '--apply',
      'install the files and apply the fixes on --node hosts (linux, networkd); a dry run without --yes',
    )
    .option('--rollback', 'undo an earlier --apply on --node hosts; a dry run without --yes')
    .option('--node <host>', 'a host for --apply or --rollback (repeatable)', collect, [])
    .option(
      '--yes',
      'change the hosts (without it, --apply and --rollback only show what they would do)',
    )
    .option('--json', 'print the plan and the files as JSON')
    .addHelpText(
      'after',
      examples([
        'repro mitigate bundle.tar.gz --platform linux',
        'repro mitigate bundle.tar.gz --platform aks --out aks-fix/',
        'repro mitigate before/ after/ --platform networkd',
        'repro mitigate bundle.tar.gz --platform linux --apply --node vmB          # dry run',
        'repro mitigate bundle.tar.gz --platform linux --apply --node vmB --yes',
        'repro mitigate --rollback --node vmB --yes',
      ]),
    )
    .action(action(runMitigate));
}

async function runMitigate(
  path: string | undefined,
  after: string | undefined,
  opts: MitigateOptions,
  cmd: Command,
): Promise<number> {
  const usage = (m: string): never => cmd.error(`error: ${m}`, { exitCode: EXIT.USAGE });
  if ((opts.apply || opts.rollback) && !opts.node.length)
    usage(`--${opts.apply ? 'apply' : 'rollback'} needs the hosts: --node HOST (repeatable)`);
  if (opts.apply && opts.rollback) usage('--apply and --rollback: one or the other');
  if (!opts.apply && !opts.rollback && opts.node.length)
    usage('--node goes with --apply or --rollback');
  if (opts.rollback) {
    if (path) usage('--rollback takes no path: it undoes what the host recorded');
    const { runRollback } = await import('./mitigate-apply.js');
    return runRollback(opts, cmd.optsWithGlobals() as GlobalOptions);
  }
  if (!path) return usage('a bundle, snapshot directory or sos report is required');
  const platform =
    opts.platform ?? usage('--platform is required (linux, networkd, … aks, eks, gke)');
  if (opts.apply && !APPLICABLE.includes(platform))
    usage(
      `--apply installs plain Linux files: --platform ${APPLICABLE.join(' or ')} (${platform}'s files go through its own tools; see their README)`,
    );
  const [{ analyzePaths }, { planFromFindings }, { generate }, { ringTarget }, { writeNewTree }] =
    await Promise.all([
      import('../../collectors/offline/analyze-paths.js'),
      import('../../repro/mitigate/plan.js'),
      import('../../repro/persist/generate.js'),
      import('../../repro/persist/ring-target.js'),
      import('../write-new-tree.js'),
    ]);
  const read = await analyzePaths(path, after, {
    signal: interrupt.signal,
    warn: (line) => printErr(`warning: ${line}\n`),
  });
  const planned = planFromFindings(read.findings, read.hosts, {
    ...(opts.ring !== undefined ? { ring: opts.ring } : {}),
  });
  const { plan } = planned;
  if (!plan.ring.length && !plan.sysctls.length)
    throw new DropkitError({
      code: 'NOTHING_TO_FIX',
      step: 'mitigate',
      message: `${path}: no finding has a setting to make permanent${planned.skipped.length ? ` (${planned.skipped.length} finding${planned.skipped.length === 1 ? '' : 's'} without one)` : ' (no findings)'}`,
      hint: planned.skipped.length
        ? planned.skipped.join('\n')
        : 'collect analyze shows what the capture holds; a capture without drops needs no fix',
    });
  const output = generate(platform, plan);
  if (opts.apply) {
    const { runApply } = await import('./mitigate-apply.js');
    return runApply(output, planned, opts, cmd.optsWithGlobals() as GlobalOptions);
  }
  const out = opts.out ?? `dropkit-mitigate-${platform}`;
  await writeNewTree(
    out,
    output.files.map((f) => ({ path: f.path, bytes: f.content })),
  );
  const fixes = [
    ...plan.sysctls.map((s) => ({
      setting: s.name,
      host: '',
      now: s.current === undefined ? '?' : String(s.current),
      permanent: String(s.target),
      because: s.because,
    })),
    ...plan.ring.map((r) => {
      const t = ringTarget(r);
      return {
        setting: `${r.iface} rx ring`,
        host: r.host,
        now: `${r.current} of ${r.max}`,
        permanent: String(t.value),
        because: t.note ?? `RING on ${r.iface}${r.driver ? ` (${r.driver})` : ''}`,
      };
    }),
  ];
  if (opts.json) {
    printJson({
      ok: true,
      platform,
      out,
      fixes,
      files: output.files.map((f) => ({
        path: f.path,
        ...(f.installTo ? { installTo: f.installTo } : {}),
        what: f.what,
      })),
      notes: output.notes,
      problems: output.problems,
      skipped: planned.skipped,
    });
    return EXIT.OK;
  }
  printOut(report(platform, out, fixes, output, planned));
  printInfo(`nothing was changed on any host: ${out}/README.md says how to apply and roll back\n`);
  return EXIT.OK;
}

function report(
  platform: Platform,
  out: string,
  fixes: Array<Record<'setting' | 'host' | 'now' | 'permanent' | 'because', string>>,
  output: PlatformOutput,
  planned: PlannedFixes,
): string {
  const lines = [
    table(
      ['SETTING', 'HOST', 'NOW', 'PERMANENT', 'BECAUSE'],
      fixes.map((f) => [f.setting, f.host || '(all)', f.now, f.permanent, f.because]),
      5,
    ),
    '',
    `${platform}: ${output.files.length} files in ${out}/`,
    table(
      ['FILE', 'INSTALL TO', 'WHAT'],
      output.files.map((f) => [f.path, f.installTo ?? '-', f.what]),
      3,
    ),
  ];
  const list = (title: string, items: readonly string[]) =>
    items.length ? ['', `${title}:`, ...items.map((i) => `  - ${i}`)] : [];
  lines.push(
    ...list('notes', output.notes),
    ...list(`what ${platform} cannot do here`, output.problems),
    ...list('findings with nothing to make permanent', planned.skipped),
  );
  return `${lines.join('\n')}\n`;
}
