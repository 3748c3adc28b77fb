import type { WrittenBundle } from '../../bundles/bundle-input.js';
import type { BundleOutcome } from '../../bundles/write-parts.js';
import type { DropkitError } from '../errors.js';
import { terminalField as field } from '../terminal-text.js';
import { thousands } from '../thousands.js';
import { isQuiet, printError, printJson, printOut } from './print.js';

// What a user needs to attach the bundle: where, how big, its sha256.
export function printWritten(
  w: WrittenBundle,
  json: boolean,
  extra: Record<string, unknown> = {},
): void {
  if (json) {
    printJson({
      ok: true,
      file: w.file,
      bytes: w.bytes,
      sha256: w.sha256,
      mapFile: w.mapFile ?? null,
      status: w.manifest.status,
      hosts: w.manifest.hosts,
      ...extra,
    });
    return;
  }
  // Paths hold the case ID and the output directory; host names and errors
  // come from the hosts: each is one field.
  printOut(
    `bundle: ${field(w.file)}\nsize:   ${thousands(w.bytes)} bytes\nsha256: ${field(w.sha256)}\n`,
  );
  if (w.mapFile)
    printOut(`map:    ${field(w.mapFile)} (original ↔ pseudonym; keep it, do not attach it)\n`);
  if (w.manifest.status === 'partial') {
    for (const h of w.manifest.hosts.filter((x) => x.status !== 'complete'))
      printOut(
        `PARTIAL: ${field(h.host)} ${field(h.status)}${h.error ? `: ${field(h.error)}` : ''}\n`,
      );
  }
}

// What a command adds to its report of the bundle.
export interface BundleReport {
  // --json: fields beside the bundle's own.
  json?: Record<string, unknown>;
  // Text: why the run stopped early (stderr), then what was found (stdout),
  // both before where the bundle is.
  error?: DropkitError;
  text?: string;
}

// The one tail of `collect bundle` and `repro run`: the bundle reported, and
// the exit code it means.
export function reportBundle(
  outcome: BundleOutcome,
  json: boolean,
  report: BundleReport = {},
): number {
  if (json) printWritten(outcome.written, true, report.json);
  else {
    if (report.error) printError(report.error);
    if (isQuiet()) printOut(`bundle: ${field(outcome.written.file)}\n`);
    else {
      if (report.text) printOut(report.text);
      printWritten(outcome.written, false);
    }
  }
  return outcome.exitCode;
}
