import type { WrittenBundle } from '../../bundles/write-bundle.js';
import { terminalField as field } from '../terminal-text.js';
import { thousands } from '../thousands.js';
import { printJson, printOut } from './print.js';

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
