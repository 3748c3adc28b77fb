import { type Command, InvalidArgumentError } from 'commander';
import { EXIT } from '../exit-codes.js';
import { terminalField as field } from '../terminal-text.js';
import { action, examples, printJson, printOut } from './common.js';

// `collect verify`: structure, sha256s and leak patterns of a bundle.
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'check a bundle: structure, every sha256 against the manifest, and the leak patterns',
    )
    .argument('<bundle>', 'a .tar.gz written by dropkit')
    .option(
      '--sha256 <hex>',
      'the sha256 printed when the bundle was written: any other file is a problem',
      sha256Hex,
    )
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      examples([
        'collect verify 20261127T141502Z-node-case-4711.tar.gz',
        'collect verify 20261127T141502Z-node-case-4711.tar.gz --sha256 9f86d08…',
      ]),
    )
    .action(action(runVerify));
}

async function runVerify(file: string, opts: { json?: boolean; sha256?: string }): Promise<number> {
  const { verifyBundle } = await import('../../bundles/verify.js');
  const r = await verifyBundle(file, opts.sha256);
  if (opts.json)
    printJson({
      file: r.file,
      kind: r.kind,
      ok: r.ok,
      ...(r.manifest?.redaction?.kept?.length ? { kept: r.manifest.redaction.kept } : {}),
      files: r.files,
      sha256: r.sha256,
      problems: r.problems,
    });
  else {
    // Paths and problems name entries of a stranger's archive: a `\r`
    // in one must not overwrite its line with a forged `OK:`.
    for (const p of r.problems) printOut(`PROBLEM: ${field(p)}\n`);
    printOut(
      !r.ok
        ? `INVALID: ${field(file)}: ${r.problems.length} problem(s)\n`
        : r.kind === 'redacted'
          ? `OK: ${field(file)}: ${r.files} files redacted by collect redact: paths and links stay inside it, no original value of its map and no leak pattern\n`
          : `OK: ${field(file)}: ${r.files} files, every sha256 matches the manifest, no leak pattern${
              r.manifest?.redaction?.kept?.length
                ? ` (left readable on purpose, --keep: ${r.manifest.redaction.kept.map(field).join(', ')})`
                : ''
            }\n`,
    );
  }
  return r.ok ? EXIT.OK : EXIT.INVALID;
}

// `--sha256`: 64 hex digits, as printed when the bundle was written.
function sha256Hex(value: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(value))
    throw new InvalidArgumentError('must be a sha256: 64 hexadecimal digits');
  return value.toLowerCase();
}
