import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { terminalField as field } from '../terminal-text.js';
import { thousands } from '../thousands.js';
import { action, examples, interrupt, printErr, printJson, printOut } from './common.js';

// `collect report`: report.html built again from a bundle (every bundle
// written since the report exists already holds one), next to it.
export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      "(re)build a bundle's report.html next to it: findings, results and charts in one self-contained page",
    )
    .argument('<bundle>', 'a .tar.gz written by dropkit, or the directory it unpacks to')
    .option(
      '--out <file>',
      'where to write the page (default: <bundle name>.report.html beside it)',
    )
    .option('--json', 'print where the report went as JSON')
    .addHelpText(
      'after',
      examples([
        'collect report 20261127T141502Z-repro-case-4711.tar.gz',
        'collect report 20261127T141502Z-compare-2-hosts/ --out /tmp/compare.html',
      ]),
    )
    .action(action(runReport));
}

async function runReport(bundle: string, opts: { out?: string; json?: boolean }): Promise<number> {
  const { writeReportFile } = await import('../../bundles/report/report-file.js');
  const r = await writeReportFile(bundle, {
    ...(opts.out ? { out: opts.out } : {}),
    signal: interrupt.signal,
    warn: (line) => printErr(`warning: ${field(line)}\n`),
  });
  if (opts.json) printJson({ ok: true, ...r });
  else
    printOut(
      `report: ${field(r.file)}\nsize:   ${thousands(r.bytes)} bytes\nsha256: ${r.sha256}\n${r.kind} bundle, ${r.charts} charts; open it in a browser (it loads nothing from the network)\n`,
    );
  return EXIT.OK;
}
