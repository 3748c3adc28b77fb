import type { Command } from 'commander';
import { DropkitError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { terminalField as field } from '../terminal-text.js';
import { askYesNo } from './ask.js';
import {
  action,
  examples,
  interrupt,
  nonNegativeInt,
  printErr,
  printInfo,
  printJson,
  printOut,
} from './common.js';
import { isQuiet } from './print.js';

interface UploadOpts {
  url: string;
  yes?: boolean;
  retries: number;
  json?: boolean;
}

// `collect upload`: the last step of the story, attaching the bundle to the
// vendor's case. Never automatic and never part of collection: its own
// command, which verifies the bundle first, shows where it goes, and asks.
export function registerUpload(program: Command): void {
  program
    .command('upload')
    .description(
      "PUT a verified bundle to the vendor's presigned S3 URL or Azure Blob SAS URL (never the map)",
    )
    .argument('<bundle>', 'a .tar.gz written by dropkit')
    .requiredOption('--url <url>', 'the upload URL the vendor gave you (quote it: it has & in it)')
    .option('--yes', 'do not ask (needed off a terminal)')
    .option(
      '--retries <n>',
      'attempts after the first, on 5xx, 429 or a lost connection',
      nonNegativeInt,
      3,
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `\nThe bundle is verified first (as \`collect verify\`) and refused if it fails. The URL's query string (its signature) is never printed.\n${examples(
        [
          `collect upload 20261127T141502Z-node-case-4711.tar.gz --url 'https://acct.blob.core.windows.net/case-4711/bundle.tar.gz?sv=…&sig=…'`,
          `collect upload 20261127T141502Z-node-case-4711.tar.gz --url 'https://bucket.s3.amazonaws.com/…?X-Amz-Signature=…' --yes`,
        ],
      )}`,
    )
    .action(action(runUpload));
}

async function runUpload(file: string, o: UploadOpts, cmd: Command): Promise<number> {
  if (/\.map\.json$/i.test(file))
    cmd.error(
      'error: that is the map (originals ↔ pseudonyms): it stays with you; upload the .tar.gz',
      {
        exitCode: EXIT.USAGE,
      },
    );
  if (!o.yes && !process.stdin.isTTY)
    cmd.error('error: collect upload asks before sending; stdin is not a terminal, so add --yes', {
      exitCode: EXIT.USAGE,
    });
  const [{ uploadTarget }, { putFile }, { proxyFor }, { verifyBundle }, { stat }] =
    await Promise.all([
      import('../upload/target.js'),
      import('../upload/put.js'),
      import('../upload/proxy.js'),
      import('../../bundles/verify.js'),
      import('node:fs/promises'),
    ]);
  const target = uploadTarget(o.url);
  let proxy: ReturnType<typeof proxyFor>;
  try {
    proxy = proxyFor(target.url);
  } catch (e) {
    throw new DropkitError({ code: 'USAGE', message: (e as Error).message, step: 'upload' });
  }
  const v = await verifyBundle(file);
  if (!v.ok)
    throw new DropkitError({
      code: 'BUNDLE_INVALID',
      message: `${file} fails verification (${v.problems.length} problem(s), first: ${v.problems[0]}); not uploaded`,
      step: 'verify',
      hint: `see \`collect verify ${file}\``,
    });
  const bytes = (await stat(file)).size;
  if (!o.json)
    // What is about to leave: always shown when asked about.
    (o.yes ? printInfo : printErr)(
      `${field(file)}: ${bytes} bytes, verified, sha256 ${v.sha256}\nto: ${field(target.shown)}${proxy ? ` (through the proxy ${field(proxy.shown)})` : ''}\n`,
    );
  if (!o.yes && !(await askYesNo('Upload it?'))) {
    printErr('not uploaded\n');
    return EXIT.OK;
  }
  const tty = !o.json && !isQuiet() && process.stderr.isTTY;
  let shownPct = -1;
  const r = await putFile({
    target,
    file,
    bytes,
    retries: o.retries,
    // 1 s, 2 s, 4 s, then every 8 s.
    backoffMs: (n) => Math.min(1000 * 2 ** (n - 1), 8000),
    idleMs: 30_000,
    signal: interrupt.signal,
    ...(proxy ? { proxy } : {}),
    onProgress: (sent, total) => {
      const pct = total ? Math.floor((sent / total) * 100) : 100;
      if (!tty || pct === shownPct) return;
      shownPct = pct;
      process.stderr.write(`\ruploading ${pct}% (${sent} of ${total} bytes)`);
    },
    onRetry: (n, reason) => {
      if (tty) process.stderr.write('\n');
      if (!o.json) printInfo(`attempt ${n} failed (${field(reason)}); retrying\n`);
    },
  });
  if (tty) process.stderr.write('\n');
  if (o.json)
    printJson({
      ok: true,
      file,
      url: target.shown,
      kind: target.kind,
      ...(proxy ? { proxy: proxy.shown } : {}),
      bytes,
      sha256: v.sha256,
      status: r.status,
      attempts: r.attempts,
    });
  else
    printOut(
      `uploaded: ${field(file)} to ${field(target.shown)} (HTTP ${r.status}, ${r.attempts} attempt(s))\nsha256: ${v.sha256} (what the receiver should see; \`collect verify FILE --sha256 ${v.sha256}\`)\n`,
    );
  return EXIT.OK;
}
