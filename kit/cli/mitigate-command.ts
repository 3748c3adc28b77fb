import type { Command } from 'commander';
import { Option } from 'commander';
import type { PlannedFixes } from '../../repro/mitigate/plan.js';
import { PLATFORMS, type Platform, type PlatformOutput } from '../../repro/persist/types.js';
import { DropkitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { action, examples, interrupt, printErr, printInfo, printJson, printOut } from './common.js';
import { table } from './table.js';

interface MitigateOptions {
  platform: Platform;
  out?: string;
  ring?: number;
  json?: boolean;
}

// `repro mitigate`: the fixes of an analysis, as the files that make them
// permanent on one platform. Writes files on this machine only: no host is
// touched.
export function registerMitigate(program: Command): void {
  program
    .command('mitigate')
    .description(
      'write the files that make the fixes of a bundle or snapshot permanent, for one platform (no host is changed)',
    )
    .argument('<path>', 'a bundle, snapshot directory or sos report, as collect analyze takes')
    .argument('[after]', 'a later capture of the same host(s): fix what rose between the two')
    .addOption(
      new Option('--platform <name>', 'where the fix must live')
        .choices(PLATFORMS)
        .makeOptionMandatory(),
    )
    .option(
      '--out <dir>',
      'a new or empty directory for the files (default: ./dropkit-mitigate-PLATFORM)',
    )
    .option('--ring <n>', 'RX ring size to keep (default: the preset maximum)', positiveInt)
    .option('--json', 'print the plan and the files as JSON')
    .addHelpText(
      'after',
      examples([
        'repro mitigate bundle.tar.gz --platform linux',
        'repro mitigate bundle.tar.gz --platform aks --out aks-fix/',
        'repro mitigate before/ after/ --platform networkd',
      ]),
    )
    .action(action(runMitigate));
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1) throw new Error(`not a positive integer: ${v}`);
  return n;
}

async function runMitigate(
  path: string,
  after: string | undefined,
  opts: MitigateOptions,
): Promise<number> {
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
  const output = generate(opts.platform, plan);
  const out = opts.out ?? `dropkit-mitigate-${opts.platform}`;
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
      platform: opts.platform,
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
  printOut(report(opts.platform, out, fixes, output, planned));
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
