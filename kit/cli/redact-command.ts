import type { Command } from 'commander';
import type { Category } from '../../bundles/redact/categories.js';
import { createProgress, progressMode } from '../progress.js';
import { terminalField as field } from '../terminal-text.js';
import { thousands } from '../thousands.js';
import { action, collect, examples, interrupt, printErr, printJson, printOut } from './common.js';
import { KEEP_FLAGS, keepCategory, keepHelp } from './keep-option.js';

// `collect redact`: what other tools collected (sos reports, directories, logs), through the
// bundle's redactor and leak scan, keyed by the same case.
export function registerRedact(program: Command): void {
  program
    .command('redact')
    .description(
      "redact a sos report, a directory, a log or standard input with the bundles' redactor and leak scan",
    )
    .argument(
      '<path...>',
      'a sos report (.tar.xz, .tar.gz, .tgz, .tar, or a directory), any directory, a text file, or - for standard input',
    )
    .option('--case <id>', 'the case whose key makes the tokens (the same as its bundles)')
    .option('--out <dir>', 'write the outputs and maps here (default: beside each input)')
    .option(
      '--redact-keyword <word>',
      'also replace this word anywhere (repeatable)',
      collect,
      [] as string[],
    )
    .option(KEEP_FLAGS, keepHelp(), keepCategory, [] as Category[])
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Outputs: <name>-redacted.tar.gz for an archive (an .xz or plain .tar input is written as gzip:
no xz encoder is bundled; .tar.bz2 and .tar.zst are refused: decompress them first),
<name>-redacted/ for a directory, <name>-redacted.<ext> for a file, standard output for -
(or stdin-redacted under --out). The map <name>-redacted.map.json (mode 0600) goes beside
each output, in the current directory for standard output. Binary files are left out and
listed. Nothing is written unless the leak scan of the written output is clean.
${examples([
  'collect redact sosreport-node1-2026-11-27-abcdefg.tar.xz --case 2611270040001234',
  'collect redact /var/log/syslog --out /tmp/case --redact-keyword contoso',
  'journalctl -k | collect redact - --case 4711 > kernel-redacted.log',
  'collect redact logs/ --keep hostname --json',
])}`,
    )
    .action(action(runRedact));
}

interface RedactOpts {
  case?: string;
  out?: string;
  redactKeyword: string[];
  keep: Category[];
  json?: boolean;
}

// A progress line for inputs worth waiting for: over a few MB, on a terminal.
const PROGRESS_FROM = 4 << 20;

async function runRedact(paths: string[], opts: RedactOpts): Promise<number> {
  const { redactInputs, emitStdout } = await import('../../bundles/redact-input/redact-run.js');
  const mode = progressMode(!!opts.json);
  const progress = mode === 'tty' ? createProgress('tty') : undefined;
  const started = performance.now();
  let shownAt = 0;
  const outcome = await redactInputs({
    inputs: paths,
    ...(opts.case ? { caseId: opts.case } : {}),
    ...(opts.out ? { outDir: opts.out } : {}),
    keywords: opts.redactKeyword,
    keep: opts.keep,
    signal: interrupt.signal,
    ...(progress
      ? {
          onProgress: (phase: string, bytes: number) => {
            const now = performance.now();
            if (bytes < PROGRESS_FROM || now - shownAt < 250) return;
            shownAt = now;
            progress.status({
              phase: `${phase}: ${thousands(Math.round(bytes / (1 << 20)))} MiB read`,
              elapsedS: (now - started) / 1000,
              remainingS: 0,
              dropRates: [],
            });
          },
        }
      : {}),
  }).finally(() => progress?.done());
  if (outcome.stdoutFile) await emitStdout(outcome.stdoutFile);
  const replaced = Object.fromEntries(Object.entries(outcome.counts).filter(([, n]) => n > 0));
  if (opts.json) {
    printJson({ ok: true, outputs: outcome.outputs, replaced, kept: outcome.kept });
    return 0;
  }
  // Reported on stderr: stdout may be carrying the redacted text itself.
  const say = outcome.stdoutFile ? printErr : printOut;
  for (const o of outcome.outputs) {
    say(
      `${field(o.input)} -> ${o.output ? field(o.output) : 'standard output'}: ${thousands(o.files)} file(s) redacted, ${o.skipped.length} skipped; map ${field(o.map)} (0600, keep it: it reverses the tokens)\n`,
    );
    for (const s of o.skipped) say(`  skipped ${field(s.path)}: ${field(s.reason)}\n`);
  }
  const list = Object.entries(replaced).map(([c, n]) => `${c} ${thousands(n)}`);
  say(`replaced: ${list.length ? list.join(', ') : 'nothing'}\n`);
  if (outcome.kept.length) say(`kept readable (--keep): ${outcome.kept.join(', ')}\n`);
  say('leak scan of the written output: clean\n');
  return 0;
}
